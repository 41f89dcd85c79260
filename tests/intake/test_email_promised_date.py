"""«مهلت پاسخ‌گویی»: every notification (SMS and email, receipt and status change)
states the date the organisation promised an answer by, while the request waits for
one; the receipt and the tracking page already show it (tests/intake/test_due_date.py)."""

import datetime

import pytest
from django.core import mail as django_mail
from django.test import override_settings

from intake import services, sms
from intake.models import ServiceRequest, SmsMessage
from portal.jalali import format_jalali_date
from tests.intake.helpers import fill_to_review, step
from tests.intake.requests import make_request

DUE = datetime.date(2026, 12, 20)  # ۲۹ آذر ۱۴۰۵
MEMORY_SMS = override_settings(SMS_BACKEND="intake.sms.MemoryBackend")


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def text_of(message):
    return message.body.replace("\r\n", "\n")


def test_receipt_sms_and_email_state_the_promised_date(
    client, intake_page, service, officer, django_capture_on_commit_callbacks
):
    fill_to_review(client, service, officer)
    with MEMORY_SMS, django_capture_on_commit_callbacks(execute=True):
        assert client.post(step(6), {"action": "next"}).status_code == 302
    request_obj = ServiceRequest.objects.get()
    assert request_obj.due_date  # 7 working days from today
    line = f"مهلت پاسخ‌گویی: {format_jalali_date(request_obj.due_date, long=True)}"
    [(_mobile, sent)] = sms.outbox
    assert line in sent and line in SmsMessage.objects.get().text
    [receipt] = django_mail.outbox
    assert f"مهلت پاسخ‌گویی: {format_jalali_date(request_obj.due_date)}" in text_of(receipt)


def test_status_notifications_state_it_while_the_request_waits(service, django_capture_on_commit_callbacks):
    request_obj = make_request(service, email="citizen@example.com", due_date=DUE)
    with MEMORY_SMS, django_capture_on_commit_callbacks(execute=True):
        services.transition(request_obj, "waiting", None, public_note="سند را بفرستید.")
    assert "مهلت پاسخ‌گویی: ۲۹ آذر ۱۴۰۵\n" in sms.outbox[-1][1]
    assert "مهلت پاسخ‌گویی: ۱۴۰۵/۰۹/۲۹ (۲۹ آذر ۱۴۰۵)" in text_of(django_mail.outbox[-1])
    html = django_mail.outbox[-1].alternatives[0].content
    assert "مهلت پاسخ‌گویی" in html and "۱۴۰۵/۰۹/۲۹ (۲۹ آذر ۱۴۰۵)" in html


def test_no_promise_once_closed_or_without_a_due_date(service, django_capture_on_commit_callbacks):
    closed = make_request(service, email="citizen@example.com", due_date=DUE)
    undated = make_request(service, email="other@example.com", due_date=None)
    with MEMORY_SMS, django_capture_on_commit_callbacks(execute=True):
        services.transition(closed, "closed", None)
        services.transition(undated, "in_review", None)
    assert len(sms.outbox) == 2 and len(django_mail.outbox) == 2
    for (_mobile, sent), email in zip(sms.outbox, django_mail.outbox, strict=True):
        assert "مهلت" not in sent
        assert "مهلت" not in text_of(email) and "مهلت" not in email.alternatives[0].content
