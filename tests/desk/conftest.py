"""Two units, a service in each, a request in each, and one user per role."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from desk import scoping
from desk.models import StaffProfile
from tests.factories import OrgUnitFactory, ServicePageFactory
from tests.intake.requests import make_request, signatory


def make_user(username, group=None, units=(), **extra):
    user = get_user_model().objects.create_user(
        username=username, password="pass-1234-word", first_name=username, **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    if units:
        StaffProfile.objects.create(user=user).units.set(units)
    signatory(user, full_name=username)  # may sign official letters
    return user


@pytest.fixture
def desk_world(service_index):
    unit_a = OrgUnitFactory(name="واحد الف")
    unit_b = OrgUnitFactory(name="واحد ب")
    service_a = ServicePageFactory(
        parent=service_index, unit=unit_a, title="خدمت الف", service_id="10012135000"
    )
    service_b = ServicePageFactory(
        parent=service_index, unit=unit_b, title="خدمت ب", service_id="10012135001"
    )
    world = {
        "unit_a": unit_a,
        "unit_b": unit_b,
        "service_a": service_a,
        "service_b": service_b,
        "request_a": make_request(service_a),
        "request_b": make_request(service_b, national_code="0790419904"),
        "staff_a": make_user("staff_a", scoping.DESK_STAFF, [unit_a]),
        "staff_b": make_user("staff_b", scoping.DESK_STAFF, [unit_b]),
        "manager": make_user("manager", scoping.MANAGERS),
        "editor": make_user("editor", scoping.EDITORS),
        "superuser": get_user_model().objects.create_superuser("root", password="pass-1234-word"),
    }
    signatory(world["superuser"], full_name="root")
    return world
