"""Email to citizens, beside the SMS: what a message says (Persian, right-to-left
HTML with a plain-text part, Persian digits, Jalali dates) and its one delivery
attempt through Django's email framework. Which emails are recorded, and when, is
intake.notifications'; the delivery with retries is the task intake.tasks.send_email.

Settings (environment variables read by portal.settings.base):
  EMAIL_ENABLED        True; False records and sends nothing
  EMAIL_BACKEND        Django's SMTP backend (the console backend in development)
  EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS / EMAIL_USE_SSL, EMAIL_HOST_USER,
  EMAIL_HOST_PASSWORD, EMAIL_TIMEOUT, DEFAULT_FROM_EMAIL   Django's own
  EMAIL_MAX_ATTEMPTS   3 (like SMS_MAX_ATTEMPTS)
  EMAIL_RETRY_BACKOFF  seconds before the 2nd attempt; doubles each time (30)
"""

import re
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import Site

from portal.logging import mask_personal_data
from portal.persian import to_persian_digits

from . import pdf, receipts


class MailError(Exception):
    """A send failed. `retry` says whether trying again later may help."""

    def __init__(self, message, retry=True):
        super().__init__(message)
        self.retry = retry


def email_enabled():
    return bool(getattr(settings, "EMAIL_ENABLED", True))


def max_attempts():
    return int(getattr(settings, "EMAIL_MAX_ATTEMPTS", getattr(settings, "SMS_MAX_ATTEMPTS", 3)))


def retry_backoff():
    return float(getattr(settings, "EMAIL_RETRY_BACKOFF", getattr(settings, "SMS_RETRY_BACKOFF", 30)))


# What a message says ---------------------------------------------------------


RECEIPT_SUBJECT = "رسید خدمت: درخواست شما ثبت شد"


def promised_date(request_obj):
    """The date the organisation promised an answer by («مهلت پاسخ‌گویی», the due
    date) while the request still waits for one; None once answered or closed, or
    when it has none. Every SMS and email states it (intake.notifications)."""
    if request_obj.due_date and request_obj.status in request_obj.OPEN_STATUSES:
        return request_obj.due_date
    return None


def default_site():
    return Site.objects.filter(is_default_site=True).first()


def site_request(site):
    """A request for the site, so the templates read its settings (the
    organisation's name) as on the web; None without a site."""
    if site is None:
        return None
    http_request = HttpRequest()
    http_request.META["SERVER_NAME"] = site.hostname
    http_request.META["SERVER_PORT"] = str(site.port)
    if site.port == 443:
        http_request.META["wsgi.url_scheme"] = "https"
    return http_request


def track_url(site):
    """The follow-up page's absolute address (no tracking code in it)."""
    root = site.root_url if site is not None else getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    return f"{root.rstrip('/')}{reverse('track')}"


def _render(name, context):
    site = default_site()
    http_request = site_request(site)
    context = {
        **context,
        "track_url": track_url(site),
        "promised": promised_date(context["req"]),
        "next_date": context["req"].announced_next_date(),
    }
    text = render_to_string(f"intake/email/{name}.txt", context, request=http_request)
    html = render_to_string(f"intake/email/{name}.html", context, request=http_request)
    # Blank lines the template tags leave behind, at most one in a row.
    text = re.sub(r"\n\s*\n(\s*\n)+", "\n\n", text).strip() + "\n"
    return text, html


def compose_receipt(request_obj):
    """(subject, text, html) of the receipt email: the request is registered."""
    context = {"req": request_obj, "subject": RECEIPT_SUBJECT, "code": code(request_obj)}
    return (RECEIPT_SUBJECT, *_render("receipt", context))


def compose_status(request_obj):
    """(subject, text, html) of a status email: the request's status now, with the
    public note of the change that led to it."""
    status = request_obj.get_status_display()
    subject = f"وضعیت درخواست شما: {status}"
    event = request_obj.events.filter(kind="status", status=request_obj.status).order_by("-created_at", "-pk")
    context = {
        "req": request_obj,
        "subject": subject,
        "status": status,
        "event": event.first(),
        "code": code(request_obj),
    }
    return (subject, *_render("status", context))


def code(request_obj):
    """The tracking code in Persian digits, in groups of four (left to right)."""
    digits = to_persian_digits(request_obj.tracking_code)
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def receipt_pdf(request_obj):
    """The service receipt's PDF, as the receipt page offers it."""
    http_request = site_request(default_site())
    return pdf.render_receipt_pdf(http_request, request_obj, receipts.receipt_context(request_obj))


def complete(message):
    """A receipt is recorded with the request, before anything is written in it (the
    submission stays quick): its text and HTML are written at its first attempt.
    True when it filled them (the caller saves)."""
    if message.html or message.request is None:
        return False
    if message.kind == "receipt":
        message.subject, message.text, message.html = compose_receipt(message.request)
    else:
        message.subject, message.text, message.html = compose_status(message.request)
    return True


# One delivery attempt --------------------------------------------------------


def build(message):
    """The email of a recorded EmailMessage: text, its HTML alternative and, for a
    receipt, the receipt's PDF."""
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"Auto-Submitted": "auto-generated", "Content-Language": "fa"},
    )
    email.attach_alternative(message.html, "text/html")
    if message.kind == "receipt" and message.request is not None:
        request_obj = message.request
        email.attach(f"receipt-{request_obj.tracking_code}.pdf", receipt_pdf(request_obj), "application/pdf")
    return email


def send(message):
    """Send a recorded EmailMessage once; MailError (with `retry`) when it fails. A
    recipient the server refuses for good (5xx) is not retried; everything else
    (4xx, other 5xx replies, the server down or slow) may pass later."""
    try:
        email = build(message)
        connection = get_connection(fail_silently=False)
        sent = connection.send_messages([email])
    except smtplib.SMTPRecipientsRefused as error:
        codes = [reply[0] for reply in error.recipients.values()]
        permanent = bool(codes) and all(500 <= int(code) < 600 for code in codes)
        raise MailError(
            f"SMTP recipient refused: {', '.join(str(code) for code in codes)}", retry=not permanent
        ) from None
    except smtplib.SMTPResponseException as error:
        reply = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else error.smtp_error
        )
        raise MailError(
            f"SMTP {error.smtp_code} {mask_personal_data(str(reply))}".strip(), retry=True
        ) from None
    except (smtplib.SMTPException, OSError) as error:  # OSError: refused, timed out
        raise MailError(
            f"SMTP server unreachable: {type(error).__name__} {mask_personal_data(str(error))}"
        ) from None
    if not sent:
        raise MailError("the email backend sent nothing")
    return sent
