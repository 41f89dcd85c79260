"""`manage.py retry_email` and the production queue (django-tasks-db): the email a
crash or a failing server left unsent is queued again, with back-off, never twice."""

import datetime
from io import StringIO

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from intake import mail, tasks
from intake.models import EmailMessage, ServiceRequest
from tests.intake.helpers import fill_to_review, step
from tests.intake.requests import make_request

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_TASK = "intake.tasks.send_email"


def run(**options):
    out = StringIO()
    call_command("retry_email", stdout=out, **options)
    return out.getvalue()


def aged(request_obj, minutes=10):
    past = timezone.now() - datetime.timedelta(minutes=minutes)
    ServiceRequest.objects.filter(pk=request_obj.pk).update(submitted_at=past)
    return past


@pytest.mark.django_db
def test_request_whose_receipt_email_was_never_recorded_gets_it(service):
    request_obj = make_request(service, email="citizen@example.com")
    aged(request_obj)
    aged(make_request(service))  # no address: nothing to send
    recent = make_request(service, email="other@example.com")  # may still be on its way
    aged(make_request(service, email="old@example.com"), minutes=60 * 24 * 3)  # too old
    assert "1 receipt emails recorded and queued" in run()
    message = EmailMessage.objects.get()
    assert (message.request, message.kind, message.status) == (request_obj, "receipt", "sent")
    assert [sent.to for sent in django_mail.outbox] == [["citizen@example.com"]]
    assert not EmailMessage.objects.filter(request=recent).exists()
    assert "0 receipt emails" in run()  # never twice
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_pending_email_without_a_task_is_queued_again_with_a_task_left_alone(service):
    request_obj = make_request(service, email="citizen@example.com")
    past = timezone.now() - datetime.timedelta(minutes=10)
    fields = {
        "request": request_obj,
        "kind": "status",
        "recipient": "citizen@example.com",
        "updated_at": past,
    }
    lost = EmailMessage.objects.create(subject="الف", text="الف", html="<p>الف</p>", **fields)
    waiting = EmailMessage.objects.create(subject="ب", text="ب", html="<p>ب</p>", **fields)
    tasks.enqueue_email(waiting.pk)
    fresh = EmailMessage.objects.create(**{**fields, "updated_at": timezone.now()}, subject="پ")
    assert "1 pending emails queued again" in run()
    queued = sorted(row.args_kwargs["args"][0] for row in DBTaskResult.objects.filter(task_path=EMAIL_TASK))
    assert queued == sorted([lost.pk, waiting.pk])
    assert fresh.pk not in queued


@pytest.mark.django_db
def test_failed_emails_are_tried_again_on_request(service):
    request_obj = make_request(service, email="citizen@example.com")
    message = EmailMessage.objects.create(
        request=request_obj,
        kind="status",
        recipient="citizen@example.com",
        subject="وضعیت",
        text="متن",
        html="<p>متن</p>",
        status="failed",
        attempts=3,
        last_error="SMTP server unreachable",
    )
    assert "failed emails" not in run()  # only with --failed
    assert "1 failed emails tried again" in run(failed=True)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert django_mail.outbox[0].subject == "وضعیت"


@pytest.mark.django_db
def test_email_off_nothing_to_do(service):
    aged(make_request(service, email="citizen@example.com"))
    with override_settings(EMAIL_ENABLED=False):
        assert "nothing to do" in run()
    assert not EmailMessage.objects.exists()


def test_database_queue_writes_the_email_task_with_the_request_and_defers_retries(
    client, intake_page, service, officer, monkeypatch
):
    """In production (django-tasks-db) the receipt email's task is written in the
    request's own transaction; a temporary failure is rescheduled with back-off,
    and the last attempt marks it failed. The request stays."""
    with override_settings(TASKS=DATABASE_TASKS):
        fill_to_review(client, service, officer)
        assert client.post(step(6), {"action": "next"}).status_code == 302
        message = EmailMessage.objects.get()
        assert message.status == "pending" and message.attempts == 0
        queued = DBTaskResult.objects.get(task_path=EMAIL_TASK)
        assert queued.args_kwargs["args"] == [message.pk]

        def refuse(message):
            raise mail.MailError("SMTP 451 busy", retry=True)

        monkeypatch.setattr(mail, "send", refuse)
        before = timezone.now()
        with override_settings(EMAIL_RETRY_BACKOFF=30):
            tasks.deliver_email(message.pk)
        message.refresh_from_db()
        assert message.status == "pending" and message.attempts == 1
        retry = DBTaskResult.objects.filter(task_path=EMAIL_TASK).exclude(pk=queued.pk).get()
        assert retry.run_after >= before + datetime.timedelta(seconds=29)
        with override_settings(EMAIL_RETRY_BACKOFF=30, EMAIL_MAX_ATTEMPTS=2):
            tasks.deliver_email(message.pk)
        message.refresh_from_db()
        assert (message.status, message.attempts, message.last_error) == ("failed", 2, "SMTP 451 busy")
    assert ServiceRequest.objects.count() == 1
