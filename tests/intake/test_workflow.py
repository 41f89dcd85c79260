"""The one state machine in intake.services, the official response and its numbers."""

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from intake import services
from intake.models import OfficialResponse, RequestEvent, ServiceRequest, SmsMessage
from tests.intake.requests import answer, default_signer, make_request, signatory
from tests.intake.transactional import start_as_after_a_flush  # noqa: F401 (a fixture)

Status = ServiceRequest.Status
ALLOWED = {
    ("received", "in_review"),
    ("received", "referred"),
    ("received", "waiting"),
    ("received", "closed"),
    ("in_review", "referred"),
    ("in_review", "waiting"),
    ("in_review", "closed"),
    ("referred", "in_review"),
    ("referred", "waiting"),
    ("referred", "closed"),
    ("waiting", "in_review"),
    ("waiting", "closed"),
    ("answered", "closed"),
    ("answered", "in_review"),
}


@pytest.fixture
def staff(db):
    user = get_user_model().objects.create_user("staff", password="x")
    signatory(user)  # may sign official letters
    return user


def test_status_names_are_persian():
    assert [label for _value, label in Status.choices] == [
        "ثبت شده",
        "در حال بررسی",
        "ارجاع شده",
        "در انتظار تکمیل مدارک",
        "پاسخ داده شده",
        "مختومه",
    ]


@pytest.mark.parametrize("start,target", list(itertools.product(Status.values, Status.values)))
def test_every_transition_allowed_or_refused(service, staff, start, target):
    request_obj = make_request(service)
    ServiceRequest.objects.filter(pk=request_obj.pk).update(status=start)
    request_obj.refresh_from_db()
    events = RequestEvent.objects.count()
    if (start, target) in ALLOWED:
        event = services.transition(request_obj, target, staff, public_note="عمومی", internal_note="داخلی")
        request_obj.refresh_from_db()
        assert request_obj.status == target
        assert (event.from_status, event.status, event.actor, event.note, event.internal_note) == (
            start,
            target,
            staff,
            "عمومی",
            "داخلی",
        )
    else:
        with pytest.raises(services.TransitionError):
            services.transition(request_obj, target, staff)
        request_obj.refresh_from_db()
        assert request_obj.status == start
        assert RequestEvent.objects.count() == events


def test_transition_notifies_the_citizen_by_sms(service, staff, django_capture_on_commit_callbacks):
    request_obj = make_request(service)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(request_obj, "waiting", staff, public_note="مدارک را کامل کنید")
    message = SmsMessage.objects.get(request=request_obj)
    assert "در انتظار تکمیل مدارک" in message.text and message.recipient == request_obj.mobile


def test_expected_status_mismatch_is_a_clear_error(service, staff):
    request_obj = make_request(service)
    services.transition(request_obj, "in_review", staff)
    with pytest.raises(services.TransitionError, match="تغییر کرده است"):
        services.transition(request_obj, "waiting", staff, expected_status="received")


def test_refer_moves_the_request_to_another_unit(service, staff):
    from tests.factories import OrgUnitFactory

    other = OrgUnitFactory(name="واحد دیگر")
    request_obj = make_request(service)
    services.transition(request_obj, "referred", staff, unit=other)
    request_obj.refresh_from_db()
    assert request_obj.unit == other and request_obj.unit_name == "واحد دیگر"


def test_issue_response_numbers_per_jalali_year_and_answers(service, staff):
    first = answer(make_request(service), staff)
    second = answer(make_request(service), staff)
    year = first.number.split("/")[0]
    assert first.number == f"{year}/000001" and second.number == f"{year}/000002"
    assert 1400 <= int(year) <= 1499
    assert first.request.status == Status.ANSWERED
    assert first.citizen_name == "علی کریمی" and first.national_code == "0499370899"
    assert first.request.events.filter(status="answered", from_status="in_review").count() == 1


def test_issue_response_twice_or_from_received_refused(service, staff):
    request_obj = make_request(service)
    with pytest.raises(services.TransitionError):
        services.issue_response(request_obj, staff, "a", "b", "c")
    answer(request_obj, staff)
    with pytest.raises(services.TransitionError):
        services.issue_response(request_obj, staff, "a", "b", "c")
    assert OfficialResponse.objects.count() == 1


def test_answered_only_through_a_response(service, staff):
    request_obj = make_request(service)
    services.transition(request_obj, "in_review", staff)
    with pytest.raises(services.TransitionError, match="پاسخ رسمی"):
        services.transition(request_obj, "answered", staff)


pg = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL=postgres://...)"
)


def run_concurrently(func, items):
    barrier = threading.Barrier(len(items))

    def task(item):
        try:
            barrier.wait(timeout=30)
            try:
                return func(item)
            except services.TransitionError as error:
                return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(task, items))


# Two staff at once on one request: tests/intake/test_workflow_race.py (forced, not left to chance).
@pg
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("start_as_after_a_flush")
def test_response_numbers_unique_under_concurrent_issuing(service):
    requests = [make_request(service) for _ in range(20)]
    for request_obj in requests:
        services.transition(request_obj, "in_review", None)
    signer = default_signer()
    results = run_concurrently(
        lambda r: services.issue_response(
            ServiceRequest.objects.get(pk=r.pk), None, "a", "b", "c", signer=signer
        ),
        requests,
    )
    numbers = [r.number for r in results]
    assert len(set(numbers)) == 20
    assert sorted(int(n.split("/")[1]) for n in numbers) == list(range(1, 21))
