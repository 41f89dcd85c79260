"""What the citizen is told, and when: every SMS is recorded in SmsMessage and its
delivery queued (intake.tasks.send_sms); the gateway is intake.sms. When the
citizen gave an email address, the same moments are emailed too: recorded in
EmailMessage and queued (intake.tasks.send_email); what they say and the sending
are intake.mail's.

- the receipt SMS with the tracking code: recorded in the request's own
  transaction by intake.services (`record_tracking_sms`), or afterwards
  (`queue_receipt_sms`, also used by `manage.py retry_sms`);
- a status change (`queue_status_sms`), queued after the workflow's commit;
- any other text, e.g. a one-time code (`queue_text`, the code itself masked in
  the record and sealed in the task).

SMS_ENABLED = False records nothing (the receipt then says no SMS was sent).

Email: the receipt (its PDF attached) is recorded beside the receipt SMS, in the
request's transaction (`record_tracking_sms`) or after it (`queue_receipt_sms`);
a status email beside every status SMS (`queue_status_sms`). An email never
blocks an SMS or the request: each is recorded and queued on its own, and a
failure is logged (by number, never the address) for `manage.py retry_email`.
EMAIL_ENABLED = False records no email.
"""

import logging

from django.conf import settings
from django.db import transaction

from portal.jalali import format_jalali_date
from portal.persian import to_persian_digits

from . import mail, sms, tasks
from .models import EmailMessage, ServiceRequest, SmsMessage

logger = logging.getLogger(__name__)


def sms_enabled():
    return bool(getattr(settings, "SMS_ENABLED", True))


def promised_line(request_obj):
    """«مهلت پاسخ‌گویی: ۲۹ آذر ۱۴۰۵» and a line break, or nothing (promised_date)."""
    due = mail.promised_date(request_obj)
    return f"مهلت پاسخ‌گویی: {format_jalali_date(due, long=True)}\n" if due else ""


def next_date_line(request_obj):
    """«تاریخ اقدام بعدی: ۲ دی ۱۴۰۵» and a line break while staff have announced one
    still to come (ServiceRequest.announced_next_date), or nothing."""
    next_date = request_obj.announced_next_date()
    return f"تاریخ اقدام بعدی: {format_jalali_date(next_date, long=True)}\n" if next_date else ""


def tracking_text(request_obj):
    code = to_persian_digits(request_obj.tracking_code)
    return f"درخواست شما ثبت شد. کد پیگیری: {code}\n{promised_line(request_obj)}میز خدمت"


WAITING_LINE = (
    "مدارک یا توضیحی از شما خواسته شده است. آنچه خواسته شده را در بخش «نظرسنجی و پیگیری درخواست»"
    " (/track/)، پس از تایید هویت، ببینید و از همان‌جا «ارسال مدارک و پاسخ» را بزنید.\nمیز خدمت"
)


def status_text(request_obj):
    code = to_persian_digits(request_obj.tracking_code)
    where = "برای پیگیری به بخش «نظرسنجی و پیگیری درخواست» مراجعه کنید.\nمیز خدمت"
    if request_obj.status == request_obj.Status.WAITING:
        where = WAITING_LINE  # what is missing, and where to answer it
    return (
        f"وضعیت درخواست شما با کد پیگیری {code}: {request_obj.get_status_display()}\n"
        f"{next_date_line(request_obj)}{promised_line(request_obj)}{where}"
    )


def record(request_obj, recipient, text):
    """An SMS recorded as pending (not queued yet), or None when SMS is off."""
    if not sms_enabled():
        return None
    return SmsMessage.objects.create(
        request=request_obj, recipient=recipient, text=text, backend=sms.backend_name()
    )


def record_tracking_sms(request_obj):
    """The SMS with the tracking code, recorded (pending) for a new request; the
    receipt email, when the citizen gave an address, is recorded and queued beside it."""
    message = record(request_obj, request_obj.mobile, tracking_text(request_obj))
    record_receipt_email(request_obj)
    return message


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
    the request: `manage.py retry_sms` records it later); then the receipt email,
    unless one is recorded already."""
    try:
        message = queue_tracking_sms(request_pk)
    except Exception:
        logger.exception("could not queue the SMS for request %s", request_pk)
        message = None
    queue_receipt_email(request_pk)
    return message


def enqueue_quietly(message_pk):
    """Queue a recorded SMS; never raises (`manage.py retry_sms` queues a message
    left pending again)."""
    try:
        tasks.enqueue(message_pk)
    except Exception:
        logger.exception("could not queue SMS %s", message_pk)


def queue_status_sms(request_pk):
    """Tell the citizen the request's new status by SMS (and email); never raises."""
    request_obj = None
    try:
        request_obj = ServiceRequest.objects.get(pk=request_pk)
        queue_text(request_obj, request_obj.mobile, status_text(request_obj))
    except Exception:
        logger.exception("could not queue the status SMS for request %s", request_pk)
    queue_status_email(request_obj if request_obj is not None else request_pk)


# Email ------------------------------------------------------------------------


def record_email(request_obj, kind):
    """An email to the citizen recorded as pending (not queued yet), or None when
    they gave no address or email is off."""
    if not mail.email_enabled() or not request_obj.email:
        return None
    if kind == EmailMessage.Kind.RECEIPT:
        # Written at its first attempt (intake.mail.complete): nothing to render here.
        subject, text, html = mail.RECEIPT_SUBJECT, "", ""
    else:
        # A status change is written now, as it was when it happened.
        subject, text, html = mail.compose_status(request_obj)
    return EmailMessage.objects.create(
        request=request_obj, kind=kind, recipient=request_obj.email, subject=subject, text=text, html=html
    )


def enqueue_email_quietly(message_pk):
    """Queue a recorded email; never raises (`manage.py retry_email` queues a
    message left pending again)."""
    try:
        tasks.enqueue_email(message_pk)
    except Exception:
        logger.exception("could not queue email %s", message_pk)


def record_receipt_email(request_obj):
    """Inside the new request's transaction: the receipt email recorded with it and
    its task committed with it (a queue in this database) or queued after the
    commit. A failure here is logged and rolled back to its own savepoint: the
    request is written regardless (`manage.py retry_email` records it later)."""
    if not mail.email_enabled() or not request_obj.email:
        return None
    try:
        with transaction.atomic():
            message = record_email(request_obj, EmailMessage.Kind.RECEIPT)
            if tasks.queue_in_database():
                tasks.enqueue_email(message.pk)
    except Exception:
        logger.exception("could not record the receipt email for request %s", request_obj.pk)
        return None
    if not tasks.queue_in_database():
        transaction.on_commit(lambda: enqueue_email_quietly(message.pk))
    return message


def queue_receipt_email(request_pk):
    """Record the receipt email of a stored request (once: nothing when one is
    recorded already) and queue its delivery; never raises."""
    try:
        request_obj = ServiceRequest.objects.get(pk=request_pk)
        if request_obj.email_messages.filter(kind=EmailMessage.Kind.RECEIPT).exists():
            return None
        return record_and_queue_email(request_obj, EmailMessage.Kind.RECEIPT)
    except Exception:
        logger.exception("could not queue the receipt email for request %s", request_pk)
        return None


def queue_status_email(request):
    """Tell the citizen the request's new status by email, when they gave an
    address; never raises. `request`: the ServiceRequest, or its pk."""
    request_pk = getattr(request, "pk", request)
    try:
        request_obj = (
            request if isinstance(request, ServiceRequest) else ServiceRequest.objects.get(pk=request_pk)
        )
        return record_and_queue_email(request_obj, EmailMessage.Kind.STATUS)
    except Exception:
        logger.exception("could not queue the status email for request %s", request_pk)
        return None


def record_and_queue_email(request_obj, kind):
    """Record an email of `kind` (nothing without an address) and queue its delivery."""
    message = record_email(request_obj, kind)
    if message is not None:
        tasks.enqueue_email(message.pk)
    return message
