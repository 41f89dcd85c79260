"""`manage.py retry_sms`: the SMS a crash left unsent are queued again, never twice."""

import datetime
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from intake import notifications, otp, sms, tasks
from intake.models import SmsMessage
from tests.intake.requests import make_request

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run(**options):
    out = StringIO()
    call_command("retry_sms", stdout=out, **options)
    return out.getvalue()


def aged(request_obj, minutes=10):
    past = timezone.now() - datetime.timedelta(minutes=minutes)
    type(request_obj).objects.filter(pk=request_obj.pk).update(submitted_at=past)
    return past


@pytest.mark.django_db
def test_request_whose_sms_was_never_recorded_gets_it(service):
    request_obj = make_request(service)
    aged(request_obj)
    recent = make_request(service)  # its SMS may still be on its way: left alone
    assert "1 receipt SMS recorded and queued" in run()
    message = SmsMessage.objects.get(request=request_obj)
    assert message.status == SmsMessage.Status.SENT  # the immediate backend sent it
    assert request_obj.tracking_code in message.text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    assert not SmsMessage.objects.filter(request=recent).exists()
    assert "0 receipt SMS" in run()  # never twice


@pytest.mark.django_db
def test_old_requests_never_get_a_late_sms(service):
    aged(make_request(service), minutes=60 * 24 * 3)
    assert "0 receipt SMS" in run()
    assert not SmsMessage.objects.exists()


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_pending_sms_without_a_task_is_queued_again_with_a_task_left_alone(service):
    request_obj = make_request(service)
    past = timezone.now() - datetime.timedelta(minutes=10)
    lost = SmsMessage.objects.create(
        request=request_obj, recipient="09121234567", text="x", backend="ConsoleBackend", updated_at=past
    )
    waiting = notifications.queue_text(request_obj, "09121234567", "y")  # a task row is ready for it
    SmsMessage.objects.filter(pk=waiting.pk).update(updated_at=past)
    fresh = SmsMessage.objects.create(request=request_obj, recipient="09121234567", text="z", backend="x")

    assert "1 pending SMS queued again" in run()
    tasks = [row.args_kwargs["args"][0] for row in DBTaskResult.objects.all()]
    assert sorted(tasks) == sorted([lost.pk, waiting.pk])
    assert fresh.pk not in tasks

    # A task that started long ago and never finished (its worker was killed) counts as lost.
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=past)
    assert "2 pending SMS queued again" in run()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS, SMS_BACKEND="intake.sms.MemoryBackend")
def test_one_time_code_waits_sealed_in_its_task_and_a_lost_one_is_never_sent_masked(service):
    request_obj = make_request(service)
    message = otp.issue("request:test", "09121234567", request_obj)
    row = DBTaskResult.objects.get()
    assert row.args_kwargs["args"] == [message.pk]  # retry_sms reads the message from args[0]
    code = sms.unseal(row.args_kwargs["kwargs"]["sealed"])
    assert re.fullmatch(r"\d{6}", code) and code not in json.dumps(row.args_kwargs)
    assert code not in SmsMessage.objects.get(pk=message.pk).text
    past = timezone.now() - datetime.timedelta(minutes=10)
    SmsMessage.objects.filter(pk=message.pk).update(updated_at=past)
    assert "0 pending SMS queued again" in run()  # its task still waits for it

    sms.outbox.clear()
    tasks.deliver(message.pk, row.args_kwargs["kwargs"]["sealed"])
    assert sms.outbox == [("09121234567", otp.message_text(code))]

    # Queued again without its sealed code (its task row lost): failed, never «******».
    lost = otp.issue("request:other", "09121234567", request_obj)
    DBTaskResult.objects.all().delete()
    SmsMessage.objects.filter(pk=lost.pk).update(updated_at=past)
    sms.outbox.clear()
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ):
        assert "1 pending SMS queued again" in run()
    lost.refresh_from_db()
    assert lost.status == SmsMessage.Status.FAILED and sms.outbox == []
