"""The receipt says what became of its email (sent, queued, failed) beside the SMS
line, only when the citizen gave an address; the staff request page lists the
request's emails beside its SMS."""

import pytest

from intake.models import EmailMessage, ServiceRequest
from portal.persian import to_persian_digits
from tests.intake.conftest import VALID_CITIZEN
from tests.intake.helpers import BASE, fill_to_review, step

pytestmark = pytest.mark.django_db


def submit(client, service, officer, capture, citizen=None):
    fill_to_review(client, service, officer, citizen=citizen)
    with capture(execute=True):
        assert client.post(step(6), {"action": "next"}).status_code == 302
    return client.get(f"{BASE}receipt/").content.decode()


def test_the_receipt_says_the_email_went(
    client, intake_page, service, officer, django_capture_on_commit_callbacks
):
    page = submit(client, service, officer, django_capture_on_commit_callbacks)
    assert EmailMessage.objects.get().status == EmailMessage.Status.SENT
    assert "رسید خدمت با فایل PDF آن به نشانی" in page and "ایمیل شد." in page


def test_a_failed_email_is_said_too(
    client, intake_page, service, officer, django_capture_on_commit_callbacks
):
    fill_to_review(client, service, officer)
    client.post(step(6), {"action": "next"})  # the commit callbacks never run: queued
    assert "ایمیل رسید خدمت به نشانی" in client.get(f"{BASE}receipt/").content.decode()
    EmailMessage.objects.update(status=EmailMessage.Status.FAILED)
    assert "ایمیل رسید خدمت فرستاده نشد" in client.get(f"{BASE}receipt/").content.decode()


def test_no_address_no_email_line(client, intake_page, service, officer, django_capture_on_commit_callbacks):
    citizen = {**VALID_CITIZEN, "email": ""}
    page = submit(client, service, officer, django_capture_on_commit_callbacks, citizen=citizen)
    assert not EmailMessage.objects.exists() and "ایمیل رسید خدمت" not in page and "ایمیل شد" not in page


def test_the_staff_request_page_lists_the_emails(
    client, intake_page, service, officer, django_capture_on_commit_callbacks, django_user_model
):
    submit(client, service, officer, django_capture_on_commit_callbacks)
    request_obj = ServiceRequest.objects.get()
    admin = django_user_model.objects.create_superuser("root", password="pass-1234-word")
    client.force_login(admin)
    page = client.get(f"/admin/requests/{request_obj.pk}/").content.decode()
    email = EmailMessage.objects.get()
    assert "ایمیل‌ها" in page and to_persian_digits(email.subject) in page
    assert email.get_status_display() in page
