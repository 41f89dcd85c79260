"""desk.demo: one user per role and demo requests in every status; idempotent."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from desk import scoping
from desk.demo import REQUESTS
from intake.models import OfficialResponse, ServiceRequest

pytestmark = pytest.mark.django_db


def test_load_demo_makes_role_users_and_requests_in_every_status(settings, client):
    settings.DESK_DEMO_REQUESTS = True
    call_command("load_demo", "--no-index", verbosity=0)
    call_command("load_demo", "--no-index", verbosity=0)  # idempotent
    User = get_user_model()
    for username, group in [
        ("editor", scoping.EDITORS),
        ("desk1", scoping.DESK_STAFF),
        ("desk2", scoping.DESK_STAFF),
        ("manager", scoping.MANAGERS),
    ]:
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert authenticate(username=username, password=f"{username}-demo-1405") == user
    desk1 = User.objects.get(username="desk1")
    assert len(scoping.unit_ids(desk1)) == 2
    assert ServiceRequest.objects.count() == len(REQUESTS)
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == set(ServiceRequest.Status.values)
    assert OfficialResponse.objects.count() == 4  # two answered, two closed after answering
    assert all(req.events.exists() for req in ServiceRequest.objects.all())
    assert ServiceRequest.objects.filter(due_date__isnull=False).count() == len(REQUESTS)
    # desk1 sees only their two units' requests; the manager sees all.
    visible = scoping.visible_requests(desk1)
    assert 0 < visible.count() < len(REQUESTS)
    assert set(visible.values_list("unit_id", flat=True)) <= scoping.unit_ids(desk1)
    client.force_login(desk1)
    assert client.get("/admin/requests/").status_code == 200


def test_no_passwords_and_no_requests_outside_development(settings):
    settings.DEMO_ADMIN_ALLOWED = False
    settings.DEBUG = False
    call_command("load_demo", "--no-index", verbosity=0)
    for username in ("editor", "desk1", "desk2", "manager"):
        assert not get_user_model().objects.get(username=username).has_usable_password()
    assert not ServiceRequest.objects.exists()
