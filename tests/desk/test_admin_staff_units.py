"""«واحدهای کارکنان»: a superuser gives a staff member units in the admin, and the
member's listing follows at once."""

import pytest

from desk import scoping
from desk.models import StaffProfile
from portal.persian import to_persian_digits
from tests.desk.conftest import make_user

pytestmark = pytest.mark.django_db


def test_superuser_gives_units_and_the_staff_member_sees_them(client, desk_world):
    newcomer = make_user("newcomer", scoping.DESK_STAFF)
    client.force_login(desk_world["superuser"])
    form = client.get("/admin/staff-units/new/")
    assert form.status_code == 200
    assert "واحد الف" in form.content.decode()
    response = client.post(
        "/admin/staff-units/new/",
        {"user": newcomer.pk, "units": [desk_world["unit_a"].pk, desk_world["unit_b"].pk]},
    )
    assert response.status_code == 302
    assert set(StaffProfile.objects.get(user=newcomer).units.all()) == {
        desk_world["unit_a"],
        desk_world["unit_b"],
    }
    client.force_login(newcomer)
    body = client.get("/admin/requests/").content.decode()
    for key in ("request_a", "request_b"):
        assert to_persian_digits(desk_world[key].tracking_code) in body


def test_staff_and_managers_cannot_manage_units(client, desk_world):
    for name in ("staff_a", "manager", "editor"):
        client.force_login(desk_world[name])
        for url in ("/admin/staff-units/", "/admin/staff-units/new/"):
            assert client.get(url).status_code in (302, 403), (name, url)
    before = set(StaffProfile.objects.get(user=desk_world["staff_a"]).units.all())
    client.force_login(desk_world["staff_a"])
    client.post(
        "/admin/staff-units/new/", {"user": desk_world["staff_a"].pk, "units": [desk_world["unit_b"].pk]}
    )
    assert set(StaffProfile.objects.get(user=desk_world["staff_a"]).units.all()) == before
