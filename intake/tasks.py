"""Background tasks (django-tasks): the delivery of a recorded SMS, with retries.
In production the database backend (django-tasks-db) stores the tasks and
`manage.py db_worker` runs them. The task's path, intake.tasks.send_sms, is stored
with every queued task: keep it."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task, task_backends
from django_tasks_db import DatabaseBackend

from . import sms
from .models import SmsMessage

logger = logging.getLogger(__name__)


@task()
def send_sms(message_pk):
    message = deliver(message_pk)
    return message.status if message is not None else None


def enqueue(message_pk, delay=None):
    """Queue the delivery of a recorded SMS (after `delay` seconds when given)."""
    queued = send_sms
    if delay:
        queued = send_sms.using(run_after=timezone.now() + timezone.timedelta(seconds=delay))
    queued.enqueue(message_pk)


def queue_in_database():
    """True when the task queue is a table of this database (django-tasks-db, as in
    production): a task enqueued inside a transaction is then committed with it."""
    return isinstance(task_backends[send_sms.backend], DatabaseBackend)


def deliver(message_pk):
    """One attempt at sending; schedules the next attempt with back-off on a
    temporary failure (or, on a backend that cannot defer, tries again at once)."""
    max_attempts = int(getattr(settings, "SMS_MAX_ATTEMPTS", 3))
    backoff = float(getattr(settings, "SMS_RETRY_BACKOFF", 30))
    while True:
        with transaction.atomic():
            message = SmsMessage.objects.select_for_update().filter(pk=message_pk).first()
            if message is None or message.status != SmsMessage.Status.PENDING:
                return message
            message.attempts += 1
            message.updated_at = timezone.now()
            message.save(update_fields=["attempts", "updated_at"])
        try:
            provider_id = sms.get_backend().send(message.recipient, message.text)
        except Exception as error:  # any backend failure is recorded, never raised
            retry = getattr(error, "retry", True)
            message.last_error = str(error)[:1000]
            if retry and message.attempts < max_attempts:
                message.save(update_fields=["last_error"])
                if default_task_backend.supports_defer:
                    enqueue(message.pk, delay=backoff * 2 ** (message.attempts - 1))
                    return message
                continue
            message.status = SmsMessage.Status.FAILED
            message.updated_at = timezone.now()
            message.save(update_fields=["status", "last_error", "updated_at"])
            logger.warning("SMS %s failed after %s attempts: %s", message.pk, message.attempts, error)
            return message
        message.status = SmsMessage.Status.SENT
        message.provider_id = str(provider_id)[:100]
        message.updated_at = timezone.now()
        message.save(update_fields=["status", "provider_id", "updated_at"])
        return message
