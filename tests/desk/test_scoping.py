"""The rules of who sees and does what (desk.scoping) and the roles (desk.roles)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from desk import scoping
from intake import services
from intake.followup.queries import request_with_public_events
from intake.models import RequestEvent


@pytest.mark.django_db
def test_roles_exist_after_migrate_with_their_permissions():
    codes = {
        name: set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        for name in (scoping.EDITORS, scoping.DESK_STAFF, scoping.MANAGERS)
    }
    assert {"access_admin", "change_orgunit", "add_holiday"} <= codes[scoping.EDITORS]
    assert not {c for c in codes[scoping.EDITORS] if c.endswith("servicerequest")}
    assert {"access_admin", "view_servicerequest", "change_servicerequest"} <= codes[scoping.DESK_STAFF]
    assert "view_reports" not in codes[scoping.DESK_STAFF]
    assert {"view_servicerequest", "view_reports"} <= codes[scoping.MANAGERS]
    assert "change_servicerequest" not in codes[scoping.MANAGERS]


def test_visibility_by_role(desk_world):
    w = desk_world
    a, b = w["request_a"], w["request_b"]
    assert list(scoping.visible_requests(w["staff_a"])) == [a]
    assert list(scoping.visible_requests(w["staff_b"])) == [b]
    assert set(scoping.visible_requests(w["manager"])) == {a, b}
    assert set(scoping.visible_requests(w["superuser"])) == {a, b}
    assert not scoping.visible_requests(w["editor"]).exists()
    assert scoping.can_view(w["staff_a"], a) and not scoping.can_view(w["staff_a"], b)
    assert scoping.can_act(w["staff_a"], a) and not scoping.can_act(w["staff_a"], b)
    assert scoping.can_view(w["manager"], b) and not scoping.can_act(w["manager"], b)
    assert scoping.can_act(w["superuser"], b)
    assert not scoping.can_view(w["editor"], a)
    assert scoping.can_see_reports(w["manager"]) and not scoping.can_see_reports(w["staff_a"])


def test_an_inactive_staff_member_sees_nothing(desk_world):
    staff = desk_world["staff_a"]
    staff.is_active = False
    staff.save()
    assert not scoping.visible_requests(staff).exists()
    assert not scoping.can_act(staff, desk_world["request_a"])


def test_referral_moves_the_request_to_the_other_units_staff(desk_world):
    w = desk_world
    services.transition(w["request_a"], "referred", w["staff_a"], unit=w["unit_b"])
    assert not scoping.visible_requests(w["staff_a"]).exists()
    assert set(scoping.visible_requests(w["staff_b"])) == {w["request_a"], w["request_b"]}


def test_assignable_staff_are_the_units_desk_staff(desk_world):
    w = desk_world
    assert list(scoping.assignable_staff(w["request_a"])) == [w["staff_a"]]


def test_assign_and_notes_are_recorded_but_kept_from_the_citizen(desk_world):
    w = desk_world
    request_obj = w["request_a"]
    services.assign(request_obj, w["staff_a"], w["superuser"])
    services.add_note(request_obj, w["staff_a"], internal_note="فقط برای کارکنان")
    services.add_note(request_obj, w["staff_a"], public_note="مدارک رسید.")
    request_obj.refresh_from_db()
    assert request_obj.assignee == w["staff_a"]
    kinds = list(request_obj.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "assigned", "note", "note"]
    shown = [event.note for event in request_with_public_events(request_obj.pk)[1]]
    assert shown == ["درخواست از درگاه ثبت شد.", "مدارک رسید."]
    with pytest.raises(services.TransitionError):
        services.add_note(request_obj, w["staff_a"], public_note="  ")
    assert RequestEvent.objects.filter(request=request_obj).count() == 4


def test_a_closed_request_cannot_be_assigned(desk_world):
    w = desk_world
    services.transition(w["request_a"], "closed", w["staff_a"])
    with pytest.raises(services.TransitionError):
        services.assign(w["request_a"], w["staff_a"], w["staff_a"])


def test_one_users_checks_read_their_groups_and_units_once(desk_world, django_assert_num_queries):
    w = desk_world
    staff = get_user_model().objects.get(pk=w["staff_a"].pk)
    with django_assert_num_queries(2):  # the groups, then the units
        for _ in range(3):
            assert scoping.can_use_desk(staff) and not scoping.is_manager(staff)
            assert scoping.can_view(staff, w["request_a"]) and not scoping.can_act(staff, w["request_b"])
            assert scoping.unit_ids(staff) == {w["unit_a"].pk}


def test_a_user_loaded_again_sees_their_new_units(desk_world):
    w = desk_world
    staff = get_user_model().objects.get(pk=w["staff_a"].pk)
    assert not scoping.can_view(staff, w["request_b"])
    staff.staff_profile.units.add(w["unit_b"])
    again = get_user_model().objects.get(pk=staff.pk)
    assert scoping.can_view(again, w["request_b"]) and scoping.can_act(again, w["request_b"])
