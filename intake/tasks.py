"""Background tasks (django-tasks): the delivery of a recorded SMS or email, with
retries. In production the database backend (django-tasks-db) stores the tasks and
`manage.py db_worker` runs them. The tasks' paths, intake.tasks.send_sms and
intake.tasks.send_email, are stored with every queued task: keep them.

A one-time code is never in the stored text (it holds sms.PLACEHOLDER instead): it
travels sealed in the task's `sealed` argument and is put back only for the
gateway; it is masked again in a recorded error and in the log."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task, task_backends
from django_tasks_db import DatabaseBackend

from portal.logging import mask_personal_data

from . import mail, sms
from .models import EmailMessage, SmsMessage

logger = logging.getLogger(__name__)


LOST_CODE = "the message's one-time code is no longer known (its sealed copy is missing); not sent"


@task()
def send_sms(message_pk, sealed=""):
    message = deliver(message_pk, sealed)
    return message.status if message is not None else None


def enqueue(message_pk, delay=None, sealed=""):
    """Queue the delivery of a recorded SMS (after `delay` seconds when given);
    `sealed` is its secret from sms.seal, when its text holds sms.PLACEHOLDER."""
    queued = send_sms
    if delay:
        queued = send_sms.using(run_after=timezone.now() + timezone.timedelta(seconds=delay))
    if sealed:
        queued.enqueue(message_pk, sealed=sealed)
    else:
        queued.enqueue(message_pk)


def _fail(message, error):
    """Mark an SmsMessage or EmailMessage failed for good. The log names the message by
    its number only: its recipient and contents stay in the database."""
    message.status = message.Status.FAILED
    message.last_error = error[:1000]
    message.updated_at = timezone.now()
    message.save(update_fields=["status", "last_error", "updated_at"])
    kind = "SMS" if isinstance(message, SmsMessage) else "email"
    logger.warning("%s %s failed after %s attempts: %s", kind, message.pk, message.attempts, error)
    return message


def queue_in_database():
    """True when the task queue is a table of this database (django-tasks-db, as in
    production): a task enqueued inside a transaction is then committed with it."""
    return isinstance(task_backends[send_sms.backend], DatabaseBackend)


def deliver(message_pk, sealed=""):
    """One attempt at sending; schedules the next attempt with back-off on a
    temporary failure (or, on a backend that cannot defer, tries again at once).
    A text holding sms.PLACEHOLDER is sent with `sealed`'s secret in its place, or not at
    all (the citizen would get «******»): marked failed."""
    max_attempts = int(getattr(settings, "SMS_MAX_ATTEMPTS", 3))
    backoff = float(getattr(settings, "SMS_RETRY_BACKOFF", 30))
    while True:
        with transaction.atomic():
            message = SmsMessage.objects.select_for_update().filter(pk=message_pk).first()
            if message is None or message.status != SmsMessage.Status.PENDING:
                return message
            secret = sms.unseal(sealed) if sealed else None
            if sms.PLACEHOLDER in message.text and not secret:
                return _fail(message, LOST_CODE)
            message.attempts += 1
            message.updated_at = timezone.now()
            message.save(update_fields=["attempts", "updated_at"])
        text = sms.fill(message.text, secret) if secret else message.text
        try:
            provider_id = sms.get_backend().send(message.recipient, text)
        except Exception as error:  # any backend failure is recorded, never raised
            retry = getattr(error, "retry", True)
            error_text = str(error)
            if secret:  # a gateway's error may quote the message
                error_text = error_text.replace(secret, sms.PLACEHOLDER)
            error_text = sms.mask_codes(error_text)
            message.last_error = error_text[:1000]
            if retry and message.attempts < max_attempts:
                message.save(update_fields=["last_error"])
                if default_task_backend.supports_defer:
                    enqueue(message.pk, delay=backoff * 2 ** (message.attempts - 1), sealed=sealed)
                    return message
                continue
            return _fail(message, error_text)
        message.status = SmsMessage.Status.SENT
        message.provider_id = str(provider_id)[:100]
        message.updated_at = timezone.now()
        message.save(update_fields=["status", "provider_id", "updated_at"])
        return message


# Email ------------------------------------------------------------------------


@task()
def send_email(message_pk):
    message = deliver_email(message_pk)
    return message.status if message is not None else None


def enqueue_email(message_pk, delay=None):
    """Queue the delivery of a recorded EmailMessage (after `delay` seconds when given)."""
    queued = send_email
    if delay:
        queued = send_email.using(run_after=timezone.now() + timezone.timedelta(seconds=delay))
    queued.enqueue(message_pk)


def deliver_email(message_pk):
    """One attempt at sending an email; like `deliver`: the next attempt is scheduled
    with back-off on a temporary failure (or, on a backend that cannot defer, made at
    once), and the message is marked failed after EMAIL_MAX_ATTEMPTS or a permanent
    refusal. Nothing here raises: the error is recorded."""
    max_attempts = mail.max_attempts()
    backoff = mail.retry_backoff()
    while True:
        with transaction.atomic():
            message = EmailMessage.objects.select_for_update().filter(pk=message_pk).first()
            if message is None or message.status != EmailMessage.Status.PENDING:
                return message
            message.attempts += 1
            message.updated_at = timezone.now()
            message.save(update_fields=["attempts", "updated_at"])
        try:
            if mail.complete(message):
                message.save(update_fields=["subject", "text", "html"])
            mail.send(message)
        except Exception as error:  # any failure is recorded, never raised
            retry = getattr(error, "retry", True)
            error_text = mask_personal_data(str(error) or type(error).__name__)
            message.last_error = error_text[:1000]
            if retry and message.attempts < max_attempts:
                message.updated_at = timezone.now()
                message.save(update_fields=["last_error", "updated_at"])
                if default_task_backend.supports_defer:
                    enqueue_email(message.pk, delay=backoff * 2 ** (message.attempts - 1))
                    return message
                continue
            return _fail(message, error_text)
        message.status = EmailMessage.Status.SENT
        message.updated_at = timezone.now()
        message.save(update_fields=["status", "updated_at"])
        return message


def stale_message_ids(model, cutoff, task_path):
    """The pending messages of `model` (SmsMessage or EmailMessage) untouched since
    `cutoff` that no queued task of `task_path` will deliver (a crash lost it):
    retry_sms and retry_email queue these again."""
    waiting = waiting_message_ids(cutoff, task_path)
    pending = model.objects.filter(status=model.Status.PENDING, updated_at__lt=cutoff)
    return [pk for pk in pending.values_list("pk", flat=True) if pk not in waiting]


def waiting_message_ids(cutoff, task_path):
    """The messages a queued task of `task_path` ("intake.tasks.send_sms" or
    "…send_email"; ready, or running since `cutoff`) will deliver."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return set()  # the other backends run a task at once: nothing waits
    rows = DBTaskResult.objects.filter(task_path=task_path, status=TaskResultStatus.READY)
    running = DBTaskResult.objects.filter(
        task_path=task_path, status=TaskResultStatus.RUNNING, started_at__gte=cutoff
    )
    ids = set()
    for args_kwargs in [
        *rows.values_list("args_kwargs", flat=True),
        *running.values_list("args_kwargs", flat=True),
    ]:
        args = (args_kwargs or {}).get("args") or []
        if args:
            ids.add(args[0])
    return ids
