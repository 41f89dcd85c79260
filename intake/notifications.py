"""What the citizen is told, and when: every SMS is recorded in SmsMessage and its
delivery queued (intake.tasks.send_sms); the gateway is intake.sms. Email will
come here too.

- the receipt SMS with the tracking code: recorded in the request's own
  transaction by intake.services (`record_tracking_sms`), or afterwards
  (`queue_receipt_sms`, also used by `manage.py retry_sms`);
- a status change (`queue_status_sms`), queued after the workflow's commit;
- any other text, e.g. a one-time code (`queue_text`, the code itself masked in
  the record and sealed in the task).

SMS_ENABLED = False records nothing (the receipt then says no SMS was sent).
"""

import logging

from django.conf import settings

from portal.persian import to_persian_digits

from . import sms, tasks
from .models import ServiceRequest, SmsMessage

logger = logging.getLogger(__name__)


def sms_enabled():
    return bool(getattr(settings, "SMS_ENABLED", True))


def tracking_text(request_obj):
    code = to_persian_digits(request_obj.tracking_code)
    return f"درخواست شما ثبت شد. کد پیگیری: {code}\nمیز خدمت"


def status_text(request_obj):
    code = to_persian_digits(request_obj.tracking_code)
    return (
        f"وضعیت درخواست شما با کد پیگیری {code}: {request_obj.get_status_display()}\n"
        "برای پیگیری به بخش «نظرسنجی و پیگیری درخواست» مراجعه کنید.\nمیز خدمت"
    )


def record(request_obj, recipient, text):
    """An SMS recorded as pending (not queued yet), or None when SMS is off."""
    if not sms_enabled():
        return None
    return SmsMessage.objects.create(
        request=request_obj, recipient=recipient, text=text, backend=sms.backend_name()
    )


def record_tracking_sms(request_obj):
    """The SMS with the tracking code, recorded (pending) for a new request."""
    return record(request_obj, request_obj.mobile, tracking_text(request_obj))


def queue_text(request_obj, recipient, text, secret=None):
    """Record any SMS (status change, one-time code) and queue its delivery. A
    `secret` (a one-time code) is never recorded: `text` holds sms.PLACEHOLDER in its
    place, and the secret goes sealed with the task, to the gateway only."""
    message = record(request_obj, recipient, text)
    if message is not None:
        tasks.enqueue(message.pk, sealed=sms.seal(secret) if secret else "")
    return message


def queue_tracking_sms(request_pk):
    """Record the receipt SMS of a stored request and queue its delivery."""
    request_obj = ServiceRequest.objects.get(pk=request_pk)
    return queue_text(request_obj, request_obj.mobile, tracking_text(request_obj))


def queue_receipt_sms(request_pk):
    """queue_tracking_sms that never raises (a failing queue never loses or blocks
    the request: `manage.py retry_sms` records it later)."""
    try:
        return queue_tracking_sms(request_pk)
    except Exception:
        logger.exception("could not queue the SMS for request %s", request_pk)
        return None


def enqueue_quietly(message_pk):
    """Queue a recorded SMS; never raises (`manage.py retry_sms` queues a message
    left pending again)."""
    try:
        tasks.enqueue(message_pk)
    except Exception:
        logger.exception("could not queue SMS %s", message_pk)


def queue_status_sms(request_pk):
    """Tell the citizen the request's new status by SMS; never raises."""
    try:
        request_obj = ServiceRequest.objects.get(pk=request_pk)
        queue_text(request_obj, request_obj.mobile, status_text(request_obj))
    except Exception:
        logger.exception("could not queue the status SMS for request %s", request_pk)
