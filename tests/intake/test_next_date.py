"""«تاریخ اقدام بعدی»: with a status change or a note, staff may announce the date of
the next step (a visit…); the citizen sees it on the follow-up page and is told by SMS
and email, while it is still to come and the request open (issue 19, the desk's duty
to announce the next date)."""

import datetime

import pytest
from django.core import mail as django_mail
from django.test import override_settings
from django.utils import timezone

from intake import services, sms
from intake.models import RequestEvent, ServiceRequest, SmsMessage
from portal.jalali import format_jalali_date
from tests.intake.requests import make_request

pytestmark = pytest.mark.django_db

Status = ServiceRequest.Status


@pytest.fixture(autouse=True)
def _outbox(sms_outbox):
    """Emptied before and after (tests/conftest.py); the tests choose the gateway."""


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def line(date):
    return f"تاریخ اقدام بعدی: {format_jalali_date(date, long=True)}"


def test_a_status_change_announces_the_next_date(service, django_capture_on_commit_callbacks):
    req = make_request(service, email="citizen@example.org")
    visit = in_days(3)
    with (
        override_settings(SMS_BACKEND="intake.sms.MemoryBackend"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.transition(req, Status.IN_REVIEW, None, public_note="بازدید محلی", next_date=visit)
    req.refresh_from_db()
    assert req.next_date == visit and RequestEvent.objects.latest("pk").next_date == visit
    assert line(visit) in sms.outbox[-1][1]
    assert line(visit).split(": ")[1] in django_mail.outbox[-1].body


def test_a_note_with_a_date_alone_tells_the_citizen(service, django_capture_on_commit_callbacks):
    req = make_request(service)
    visit = in_days(1)
    with (
        override_settings(SMS_BACKEND="intake.sms.MemoryBackend"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.add_note(req, None, next_date=visit)
    assert ServiceRequest.objects.get(pk=req.pk).next_date == visit
    assert line(visit) in sms.outbox[-1][1]


def test_a_past_date_is_refused_and_nothing_written(service):
    req = make_request(service)
    events, messages = RequestEvent.objects.count(), SmsMessage.objects.count()
    with pytest.raises(services.TransitionError, match="پیش از امروز"):
        services.transition(req, Status.IN_REVIEW, None, next_date=in_days(-1))
    with pytest.raises(services.TransitionError, match="پیش از امروز"):
        services.add_note(req, None, next_date=in_days(-1))
    req.refresh_from_db()
    assert req.status == Status.RECEIVED and req.next_date is None
    assert (RequestEvent.objects.count(), SmsMessage.objects.count()) == (events, messages)


def test_shown_while_to_come_and_open_only(service):
    req = make_request(service)
    req.next_date = in_days(2)
    assert req.announced_next_date() == req.next_date
    assert req.announced_next_date(today=in_days(3)) is None
    req.status = Status.CLOSED
    assert req.announced_next_date() is None


def test_the_follow_up_page_shows_it(client, service):
    req = make_request(service)
    services.add_note(req, None, next_date=in_days(4))
    response = client.post("/track/", {"code": req.tracking_code}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200 and 'id="next-date"' in body
    assert "(تاریخ اقدام بعدی: " in body  # in the history too, though the note had no text
    assert "تاریخ اقدام بعدی" in body and format_jalali_date(in_days(4), long=True) in body
