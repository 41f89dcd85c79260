"""The whole state machine, every (from, to) pair, including the moves into
«پاسخ داده شده», which only issue_response() makes (transition() refuses them before
it reads the table, so tests/intake/test_workflow.py's matrix never sees them).

The expected table is written here from the intended lifecycle (docs/followup.md,
"The workflow"), not read from TRANSITIONS: a move added to or dropped from the code's
table fails here. Answering needs a request someone has looked at: from «در حال بررسی»
or «ارجاع شده» only; a request waiting for documents goes back to review first."""

import itertools

import pytest
from django.contrib.auth import get_user_model

from intake import services
from intake.models import OfficialResponse, RequestEvent, ResponseCounter, ServiceRequest, SmsMessage
from tests.intake.requests import answer, make_request, signatory

Status = ServiceRequest.Status

LIFECYCLE = {
    "received": {"in_review", "referred", "waiting", "closed"},
    "in_review": {"referred", "waiting", "answered", "closed"},
    "referred": {"in_review", "waiting", "answered", "closed"},
    "waiting": {"in_review", "closed"},
    "answered": {"closed", "in_review"},
    "closed": set(),
}
# «در انتظار تکمیل مدارک» needs a public note (what is missing): every move here has one.
NOTE = "تصویر سند مالکیت را بفرستید."
ANSWERABLE_FROM = {start for start, targets in LIFECYCLE.items() if "answered" in targets}


@pytest.fixture
def staff(db):
    user = get_user_model().objects.create_user("staff", password="x")
    signatory(user)
    return user


def request_in(service, status):
    request_obj = make_request(service)
    ServiceRequest.objects.filter(pk=request_obj.pk).update(status=status)
    request_obj.refresh_from_db()
    return request_obj


def test_the_table_is_the_intended_lifecycle():
    assert set(LIFECYCLE) == set(Status.values)
    assert {
        str(start): {str(t) for t in targets} for start, targets in services.TRANSITIONS.items()
    } == LIFECYCLE
    assert ANSWERABLE_FROM == {"in_review", "referred"}


@pytest.mark.parametrize("start", Status.values)
def test_issue_response_from_every_status(service, staff, start, django_capture_on_commit_callbacks):
    request_obj = request_in(service, start)
    events = RequestEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        if start in ANSWERABLE_FROM:
            response = services.issue_response(request_obj, staff, "ماده ۱۰", "پذیرفته شد", "دیوان")
        else:
            with pytest.raises(services.TransitionError) as refused:
                services.issue_response(request_obj, staff, "ماده ۱۰", "پذیرفته شد", "دیوان")
    request_obj.refresh_from_db()
    if start in ANSWERABLE_FROM:
        assert request_obj.status == "answered"
        assert response.request_id == request_obj.pk
        event = RequestEvent.objects.get(request=request_obj, kind="status")
        assert (event.from_status, event.status, event.actor) == (start, "answered", staff)
        assert SmsMessage.objects.filter(request=request_obj).count() == 1
    else:
        assert "پاسخ" in str(refused.value)  # a Persian message staff can read
        assert request_obj.status == start
        assert not OfficialResponse.objects.exists()
        assert RequestEvent.objects.count() == events
        assert not ResponseCounter.objects.filter(last__gt=0).exists()
        assert not SmsMessage.objects.exists()


@pytest.mark.parametrize("start", sorted(ANSWERABLE_FROM))
def test_a_reopened_request_gets_no_second_response(service, staff, start):
    request_obj = make_request(service)
    first = answer(request_obj, staff)
    services.transition(request_obj, "in_review", staff)
    if start == "referred":
        services.transition(request_obj, "referred", staff)
    with pytest.raises(services.TransitionError, match="پیش از این پاسخ رسمی"):
        services.issue_response(request_obj, staff, "a", "b", "c")
    request_obj.refresh_from_db()
    assert request_obj.status == start
    assert list(OfficialResponse.objects.values_list("number", flat=True)) == [first.number]


@pytest.mark.parametrize("start,target", list(itertools.product(Status.values, Status.values)))
def test_every_move_through_transition(service, staff, start, target):
    """transition() makes every allowed move but the one into «answered» (a response
    must exist for it) and refuses the rest without writing anything."""
    request_obj = request_in(service, start)
    events = RequestEvent.objects.count()
    if target in LIFECYCLE[start] and target != "answered":
        services.transition(request_obj, target, staff, public_note=NOTE)
        request_obj.refresh_from_db()
        assert request_obj.status == target
        assert RequestEvent.objects.count() == events + 1
    else:
        with pytest.raises(services.TransitionError):
            services.transition(request_obj, target, staff, public_note=NOTE)
        request_obj.refresh_from_db()
        assert request_obj.status == start
        assert RequestEvent.objects.count() == events
