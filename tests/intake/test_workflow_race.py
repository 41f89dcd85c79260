"""Two staff members acting on one request at the same moment, forced every run
(tests/intake/races.py): the second reads the request while the first's change is
written but not committed. With the row lock (SELECT … FOR UPDATE) the second waits,
then sees the new status and is refused; without it the second's stale read wins and
these tests fail, every time."""

import pytest
from django.contrib.auth import get_user_model

from intake import services
from intake.models import OfficialResponse, RequestEvent, ServiceRequest
from tests.intake.races import RACE_MODULE, race
from tests.intake.requests import make_request, signatory
from tests.intake.transactional import start_as_after_a_flush  # noqa: F401 (a fixture)

pytestmark = RACE_MODULE


@pytest.fixture
def two_staff(db):
    users = [get_user_model().objects.create_user(f"staff{i}") for i in (1, 2)]
    for user in users:
        signatory(user)  # may sign official letters
    return users


def fresh(request_obj):
    return ServiceRequest.objects.get(pk=request_obj.pk)


def test_the_second_staff_member_waits_and_is_refused(service, two_staff):
    first, second = two_staff
    request_obj = make_request(service)
    held, late, blocked = race(
        lambda: services.transition(fresh(request_obj), "in_review", first, expected_status="received"),
        lambda: services.transition(
            fresh(request_obj), "waiting", second, public_note="مدارک", expected_status="received"
        ),
    )
    assert "error" not in held, held
    assert blocked, "the second transition never waited for the first"
    assert isinstance(late.get("error"), services.TransitionError), late
    assert "«در حال بررسی» تغییر کرده است" in str(late["error"])
    request_obj.refresh_from_db()
    assert request_obj.status == "in_review"
    assert list(RequestEvent.objects.filter(kind="status").values_list("status", "actor")) == [
        ("in_review", first.pk)
    ]


def test_the_table_is_checked_against_the_status_after_the_wait(service, two_staff):
    """No expected status given: the second move (received → referred) is judged from
    the status the first left (waiting), where it is not allowed."""
    first, second = two_staff
    request_obj = make_request(service)
    held, late, blocked = race(
        lambda: services.transition(fresh(request_obj), "waiting", first, public_note="سند را بفرستید."),
        lambda: services.transition(fresh(request_obj), "referred", second),
    )
    assert "error" not in held, held
    assert blocked
    assert isinstance(late.get("error"), services.TransitionError), late
    assert "از «در انتظار تکمیل مدارک» به «ارجاع شده» مجاز نیست" in str(late["error"])
    request_obj.refresh_from_db()
    assert request_obj.status == "waiting"
    assert RequestEvent.objects.filter(kind="status").count() == 1


def test_two_official_responses_at_once_give_one(service, two_staff):
    first, second = two_staff
    request_obj = make_request(service)
    services.transition(request_obj, "in_review", None)
    held, late, blocked = race(
        lambda: services.issue_response(fresh(request_obj), first, "ماده ۱", "اول", "دیوان"),
        lambda: services.issue_response(fresh(request_obj), second, "ماده ۲", "دوم", "دیوان"),
    )
    assert "error" not in held, held
    assert blocked
    assert isinstance(late.get("error"), services.TransitionError), late
    assert OfficialResponse.objects.get().content == "اول"
    request_obj.refresh_from_db()
    assert request_obj.status == "answered"
    assert RequestEvent.objects.filter(kind="status", status="answered").count() == 1


def test_a_status_change_while_a_response_is_written(service, two_staff):
    """One staff member issues the response while another closes the request they
    saw «در حال بررسی»: the close waits, then is refused."""
    first, second = two_staff
    request_obj = make_request(service)
    services.transition(request_obj, "in_review", None)
    held, late, blocked = race(
        lambda: services.issue_response(fresh(request_obj), first, "ماده ۱", "اول", "دیوان"),
        lambda: services.transition(fresh(request_obj), "closed", second, expected_status="in_review"),
    )
    assert "error" not in held, held
    assert blocked
    assert isinstance(late.get("error"), services.TransitionError), late
    request_obj.refresh_from_db()
    assert request_obj.status == "answered"
