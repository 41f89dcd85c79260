"""SMS: pluggable backends chosen by settings.SMS_BACKEND, every send recorded
in SmsMessage, delivery through django-tasks after the transaction commits.

Settings (all optional):
  SMS_ENABLED          True; False records nothing and the receipt says no SMS was sent
  SMS_BACKEND          "intake.sms.ConsoleBackend" (default, logs the text) or
                       "intake.sms.KavenegarBackend"
  SMS_KAVENEGAR_API_KEY, SMS_KAVENEGAR_SENDER, SMS_KAVENEGAR_URL ("https://api.kavenegar.com")
  SMS_TIMEOUT          seconds per HTTP call (5)
  SMS_MAX_ATTEMPTS     3
  SMS_RETRY_BACKOFF    seconds before the 2nd attempt; doubles each time (30)
"""

import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from portal.persian import to_persian_digits

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """A send failed. `retry` says whether trying again later may help."""

    def __init__(self, message, retry=True):
        super().__init__(message)
        self.retry = retry


_CODE_RUN = re.compile(r"[0-9\u06F0-\u06F9\u0660-\u0669]{6,}")


def mask_codes(text):
    """Every run of 6 or more digits (a tracking or one-time code) as ****, for logs."""
    return _CODE_RUN.sub(lambda match: "*" * len(match.group(0)), text)


class ConsoleBackend:
    """Development default: writes the message to the log; always succeeds."""

    name = "console"

    def send(self, recipient, text):
        # Tracking and one-time codes never reach the log in clear (the text is in SmsMessage).
        logger.info("SMS to %s: %s", recipient, mask_codes(text))
        return f"console-{uuid.uuid4().hex[:12]}"


class FailingBackend:
    """Always fails (for demonstrations and tests of the failure path)."""

    name = "failing"

    def send(self, recipient, text):
        raise SmsError("the failing backend never sends", retry=False)


class KavenegarBackend:
    """Kavenegar's REST API: GET/POST {url}/v1/{api_key}/sms/send.json.

    The reply is JSON: {"return": {"status": 200, "message": "..."},
    "entries": [{"messageid": 8792343, "status": 1, ...}]}. Statuses 4xx are the
    request's fault (not retried, except 418 credit and 429 rate); anything else,
    network errors and timeouts are retried.
    """

    name = "kavenegar"
    PERMANENT = {
        400,
        401,
        402,
        403,
        404,
        405,
        406,
        407,
        409,
        411,
        412,
        413,
        414,
        415,
        416,
        417,
        419,
        422,
        424,
    }

    def __init__(self):
        self.api_key = getattr(settings, "SMS_KAVENEGAR_API_KEY", "")
        self.sender = getattr(settings, "SMS_KAVENEGAR_SENDER", "")
        self.base_url = getattr(settings, "SMS_KAVENEGAR_URL", "https://api.kavenegar.com").rstrip("/")
        self.timeout = float(getattr(settings, "SMS_TIMEOUT", 5))

    def send(self, recipient, text):
        if not self.api_key:
            raise SmsError("SMS_KAVENEGAR_API_KEY is not set", retry=False)
        url = f"{self.base_url}/v1/{urllib.parse.quote(self.api_key, safe='')}/sms/send.json"
        fields = {"receptor": recipient, "message": text}
        if self.sender:
            fields["sender"] = self.sender
        body = urllib.parse.urlencode(fields).encode()
        req = urllib.request.Request(  # noqa: S310 (https or a configured URL)
            url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:  # noqa: S310
                payload = response.read()
        except urllib.error.HTTPError as error:
            payload = error.read()
            status = self._status(payload) or error.code
            raise SmsError(
                f"kavenegar HTTP {error.code} status {status}", retry=status not in self.PERMANENT
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsError(f"kavenegar unreachable: {error}", retry=True) from None
        status = self._status(payload)
        if status != 200:
            raise SmsError(f"kavenegar status {status}", retry=status not in self.PERMANENT)
        try:
            entries = json.loads(payload).get("entries") or []
            return str(entries[0].get("messageid", ""))
        except (ValueError, AttributeError, IndexError, TypeError):
            raise SmsError("kavenegar reply not understood", retry=True) from None

    @staticmethod
    def _status(payload):
        try:
            return int(json.loads(payload)["return"]["status"])
        except (ValueError, KeyError, TypeError):
            return None


def get_backend():
    path = getattr(settings, "SMS_BACKEND", "intake.sms.ConsoleBackend")
    return import_string(path)()


def tracking_text(request_obj):
    code = to_persian_digits(request_obj.tracking_code)
    return f"درخواست شما ثبت شد. کد پیگیری: {code}\nمیز خدمت"


def record_tracking_sms(request_obj):
    """The SMS with the tracking code, recorded (pending) for a request; None when SMS
    is off. The wizard records it in the request's own transaction."""
    from .models import SmsMessage

    if not getattr(settings, "SMS_ENABLED", True):
        return None
    backend_path = getattr(settings, "SMS_BACKEND", "intake.sms.ConsoleBackend")
    return SmsMessage.objects.create(
        request=request_obj,
        recipient=request_obj.mobile,
        text=tracking_text(request_obj),
        backend=backend_path.rsplit(".", 1)[-1],
    )


def queue_tracking_sms(request_pk):
    """Record the SMS for a submitted request and enqueue its delivery."""
    from .models import ServiceRequest

    if not getattr(settings, "SMS_ENABLED", True):
        return None
    message = record_tracking_sms(ServiceRequest.objects.get(pk=request_pk))
    enqueue(message.pk)
    return message


def queue_in_database():
    """True when the task queue is a table of this database (django-tasks-db, as in
    production): a task enqueued inside a transaction is then committed with it."""
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    from .tasks import send_sms

    return isinstance(task_backends[send_sms.backend], DatabaseBackend)


def enqueue(message_pk, delay=None):
    from .tasks import send_sms

    task = send_sms
    if delay:
        task = send_sms.using(run_after=timezone.now() + timezone.timedelta(seconds=delay))
    task.enqueue(message_pk)


def deliver(message_pk):
    """One attempt at sending; schedules the next attempt with back-off on a
    temporary failure (or, on a backend that cannot defer, tries again at once)."""
    from django_tasks import default_task_backend

    from .models import SmsMessage

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
            provider_id = get_backend().send(message.recipient, message.text)
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


def status_text(request_obj):
    code = to_persian_digits(request_obj.tracking_code)
    return (
        f"وضعیت درخواست شما با کد پیگیری {code}: {request_obj.get_status_display()}\n"
        "برای پیگیری به بخش «نظرسنجی و پیگیری درخواست» مراجعه کنید.\nمیز خدمت"
    )


def queue_text(request_obj, recipient, text):
    """Record any SMS (status change, one-time code) and enqueue its delivery."""
    from .models import SmsMessage

    if not getattr(settings, "SMS_ENABLED", True):
        return None
    backend_path = getattr(settings, "SMS_BACKEND", "intake.sms.ConsoleBackend")
    message = SmsMessage.objects.create(
        request=request_obj, recipient=recipient, text=text, backend=backend_path.rsplit(".", 1)[-1]
    )
    enqueue(message.pk)
    return message
