"""Email beside SMS: the receipt (its PDF attached) and every status change go to the
citizen's address through a real SMTP server on 127.0.0.1 (aiosmtpd), recorded in
EmailMessage and retried like SMS; a failing server never loses or blocks a request."""

import email
import io
import logging
import re
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail as django_mail
from django.test import override_settings
from pypdf import PdfReader

from intake import notifications, services, tasks
from intake.models import EmailMessage, ServiceRequest, SmsMessage
from portal.jalali import format_jalali_date
from portal.persian import to_persian_digits
from tests.intake.helpers import BASE, fill_to_review, step
from tests.intake.requests import make_request

SENDER = "میز خدمت <desk@example.ir>"


class Handler:
    """An SMTP server's replies, set per test: `rcpt` and `data` are lists of replies
    used one per message (then "ok"); what it accepts is kept in `messages`."""

    def __init__(self):
        self.rcpt, self.data, self.messages, self.tries = [], [], [], 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        reply = self.rcpt.pop(0) if self.rcpt else "ok"
        if reply != "ok":
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.tries += 1
        reply = self.data.pop(0) if self.data else "ok"
        if reply != "ok":
            return reply
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        message.raw = envelope.original_content
        self.messages.append(message)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


def smtp_settings(port, **extra):
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=2,
        DEFAULT_FROM_EMAIL=SENDER,
        EMAIL_MAX_ATTEMPTS=3,
        EMAIL_RETRY_BACKOFF=0,
        **extra,
    )


def submit(client, service, officer, capture, citizen=None):
    fill_to_review(client, service, officer, citizen=citizen)
    with capture(execute=True):
        response = client.post(step(6), {"action": "next"})
    assert response.status_code == 302
    return ServiceRequest.objects.get()


def parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")
    return text, html


def test_receipt_email_with_its_pdf_over_smtp(
    client, intake_page, service, officer, smtp, django_capture_on_commit_callbacks
):
    with smtp_settings(smtp.port):
        request_obj = submit(client, service, officer, django_capture_on_commit_callbacks)
    record = EmailMessage.objects.get(request=request_obj)
    assert (record.kind, record.status, record.attempts) == ("receipt", "sent", 1)
    assert record.recipient == request_obj.email
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    # Headers: the Persian subject and sender name travel encoded (RFC 2047), read back intact.
    for name in ("Subject", "From"):
        folded = re.search(rb"^" + name.encode() + rb":(.*(?:\r?\n[ \t].*)*)", message.raw, re.M).group(1)
        assert folded.isascii() and b"=?utf-8?" in folded.lower()
    # (Django folds a long encoded subject onto the next line: the parser keeps one space.)
    assert message["Subject"].strip() == "رسید خدمت: درخواست شما ثبت شد" == record.subject
    assert message["From"].addresses[0].display_name == "میز خدمت"
    assert message["From"].addresses[0].addr_spec == "desk@example.ir"
    assert message["To"].addresses[0].addr_spec == request_obj.email
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = parts(message)
    code = to_persian_digits(request_obj.tracking_code)
    grouped = " ".join(code[i : i + 4] for i in range(0, 16, 4))
    due = format_jalali_date(request_obj.due_date)
    # The HTML: right to left, Persian digits, Jalali dates, the promised date.
    assert '<html lang="fa" dir="rtl">' in html and 'dir="rtl" lang="fa"' in html
    assert grouped in html and request_obj.tracking_code not in html
    assert "مهلت پاسخ‌گویی" in html and due in html
    assert format_jalali_date(request_obj.submitted_at.date())[:4] in html  # a Jalali year, ۱۴۰…
    assert "علي كريمی" not in html  # canonical Persian letters, as stored
    assert f"{request_obj.full_name} گرامی" in html
    # The plain-text part says the same without markup.
    assert "<" not in text and f"مهلت پاسخ‌گویی: {due}" in text
    # ... the code in one piece there (spaced groups would read right to left).
    assert f"کد پیگیری: {code}\n" in text and grouped not in text
    assert "http://localhost/track/" in text and 'href="http://localhost/track/"' in html
    # The receipt's PDF, attached.
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    pdf = attachments[0]
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == f"receipt-{request_obj.tracking_code}.pdf"
    content = pdf.get_content()
    assert content.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(content)).pages) >= 1
    # The SMS went as before, on its own.
    assert SmsMessage.objects.get(request=request_obj).status == "sent"


def test_every_status_change_is_emailed(service, smtp, django_capture_on_commit_callbacks):
    request_obj = make_request(service, email="citizen@example.com", due_date=None)
    with smtp_settings(smtp.port), django_capture_on_commit_callbacks(execute=True):
        services.transition(request_obj, "in_review", None, public_note="مدارک شما در دست بررسی است؛ ۳ روز.")
    with smtp_settings(smtp.port), django_capture_on_commit_callbacks(execute=True):
        services.transition(request_obj, "waiting", None, public_note="تصویر سند را بفرستید.")
    records = list(EmailMessage.objects.filter(request=request_obj).order_by("pk"))
    assert [(r.kind, r.status) for r in records] == [("status", "sent"), ("status", "sent")]
    assert [m["Subject"].strip() for m in smtp.messages] == [
        "وضعیت درخواست شما: در حال بررسی",
        "وضعیت درخواست شما: در انتظار تکمیل مدارک",
    ]
    text, html = parts(smtp.messages[0])
    assert "«<strong>در حال بررسی</strong>»" in html and "مدارک شما در دست بررسی است؛ ۳ روز." in html
    assert "توضیح کارشناس:\nمدارک شما در دست بررسی است؛ ۳ روز." in text
    assert not list(smtp.messages[0].iter_attachments())  # only the receipt carries the PDF
    assert "مهلت پاسخ‌گویی" not in text  # no due date, no line for it


def test_status_email_states_the_promised_date(service, smtp, django_capture_on_commit_callbacks):
    import datetime

    due = datetime.date(2026, 12, 20)
    request_obj = make_request(service, email="citizen@example.com", due_date=due)
    with smtp_settings(smtp.port), django_capture_on_commit_callbacks(execute=True):
        services.transition(request_obj, "in_review", None)
    text, html = parts(smtp.messages[0])
    assert "مهلت پاسخ‌گویی: ۱۴۰۵/۰۹/۲۹ (۲۹ آذر ۱۴۰۵)" in text
    assert "۱۴۰۵/۰۹/۲۹ (۲۹ آذر ۱۴۰۵)" in html


def test_a_request_without_email_sends_none(
    client, intake_page, service, officer, smtp, django_capture_on_commit_callbacks
):
    from tests.intake.conftest import VALID_CITIZEN

    citizen = {**VALID_CITIZEN, "email": ""}
    with smtp_settings(smtp.port):
        request_obj = submit(client, service, officer, django_capture_on_commit_callbacks, citizen=citizen)
        with django_capture_on_commit_callbacks(execute=True):
            services.transition(request_obj, "in_review", None)
    assert request_obj.email == ""
    assert not EmailMessage.objects.exists() and smtp.tries == 0 and not smtp.messages
    assert SmsMessage.objects.filter(request=request_obj).count() == 2  # the SMS went as always


def test_email_off_records_nothing(service, django_capture_on_commit_callbacks):
    request_obj = make_request(service, email="citizen@example.com")
    with override_settings(EMAIL_ENABLED=False), django_capture_on_commit_callbacks(execute=True):
        services.transition(request_obj, "in_review", None)
    assert not EmailMessage.objects.exists() and not django_mail.outbox


def test_refused_for_a_while_then_accepted(service, smtp, django_capture_on_commit_callbacks):
    """A 4xx and then a 5xx reply to the message: tried again (with back-off in
    production), accepted on the third attempt."""
    smtp.data = ["451 4.3.0 Mailbox busy, try again later", "554 5.3.4 Message too big for now"]
    request_obj = make_request(service, email="citizen@example.com")
    with smtp_settings(smtp.port), django_capture_on_commit_callbacks(execute=True):
        services.transition(request_obj, "in_review", None)
    record = EmailMessage.objects.get()
    assert (record.status, record.attempts) == ("sent", 3)
    assert smtp.tries == 3 and len(smtp.messages) == 1
    assert record.last_error.startswith("SMTP 554")  # what the last failure said


def test_recipient_refused_for_good_is_not_retried(service, smtp, django_capture_on_commit_callbacks):
    smtp.rcpt = ["550 5.1.1 <citizen@example.com>: Recipient address rejected"] * 3
    request_obj = make_request(service, email="citizen@example.com")
    with smtp_settings(smtp.port), django_capture_on_commit_callbacks(execute=True):
        services.transition(request_obj, "in_review", None)
    record = EmailMessage.objects.get()
    assert (record.status, record.attempts) == ("failed", 1)
    assert "550" in record.last_error and "citizen@example.com" not in record.last_error
    request_obj.refresh_from_db()
    assert request_obj.status == "in_review"


def test_server_down_never_loses_or_blocks_a_request(
    client, intake_page, service, officer, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.INFO)
    with smtp_settings(free_port()):  # nothing listens there
        request_obj = submit(client, service, officer, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            services.transition(request_obj, "in_review", None, public_note="بررسی آغاز شد.")
    request_obj.refresh_from_db()
    assert request_obj.status == "in_review"
    records = list(EmailMessage.objects.filter(request=request_obj).order_by("pk"))
    assert [(r.kind, r.status, r.attempts) for r in records] == [
        ("receipt", "failed", 3),
        ("status", "failed", 3),
    ]
    assert all("ConnectionRefusedError" in r.last_error for r in records)
    assert [m.status for m in SmsMessage.objects.filter(request=request_obj)] == ["sent", "sent"]
    assert client.get(BASE + "receipt/").status_code == 200
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "failed after 3 attempts" in logged
    assert request_obj.email not in logged and request_obj.email.lower() not in logged.lower()


def test_a_broken_queue_keeps_the_email_for_retry_email(
    client, intake_page, service, officer, smtp, django_capture_on_commit_callbacks, monkeypatch
):
    def explode(*args, **kwargs):
        raise RuntimeError("queue down")

    monkeypatch.setattr(tasks, "enqueue_email", explode)
    with smtp_settings(smtp.port):
        request_obj = submit(client, service, officer, django_capture_on_commit_callbacks)
    assert ServiceRequest.objects.filter(pk=request_obj.pk).exists()
    record = EmailMessage.objects.get()
    assert record.status == "pending" and record.attempts == 0 and not smtp.messages
    monkeypatch.undo()
    EmailMessage.objects.update(updated_at=record.updated_at - __import__("datetime").timedelta(minutes=10))
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with smtp_settings(smtp.port):
        call_command("retry_email", stdout=out)
    assert "1 pending emails queued again" in out.getvalue()
    record.refresh_from_db()
    assert record.status == "sent" and len(smtp.messages) == 1


def test_a_failing_record_never_blocks_the_submission(
    client, intake_page, service, officer, django_capture_on_commit_callbacks, monkeypatch
):
    def explode(request_obj, kind):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(notifications, "record_email", explode)
    request_obj = submit(client, service, officer, django_capture_on_commit_callbacks)
    assert ServiceRequest.objects.filter(pk=request_obj.pk).exists()
    assert not EmailMessage.objects.exists()
    assert SmsMessage.objects.get(request=request_obj).status == "sent"


def test_a_receipt_is_written_at_its_first_attempt_and_a_failure_there_is_recorded(
    client, intake_page, service, officer, django_capture_on_commit_callbacks, monkeypatch
):
    """The submission only records the receipt (no rendering in its transaction); the
    text is written when it is sent, and if that fails it is retried and recorded."""
    from intake import mail

    def explode(request_obj):
        raise RuntimeError("template broken")

    monkeypatch.setattr(mail, "compose_receipt", explode)
    request_obj = submit(client, service, officer, django_capture_on_commit_callbacks)
    record = EmailMessage.objects.get(request=request_obj)
    assert (record.status, record.attempts, record.last_error) == ("failed", 3, "template broken")
    assert record.subject == "رسید خدمت: درخواست شما ثبت شد" and record.html == ""
    assert SmsMessage.objects.get(request=request_obj).status == "sent"
    monkeypatch.undo()
    EmailMessage.objects.update(status="pending", attempts=0)
    tasks.deliver_email(record.pk)
    record.refresh_from_db()
    assert record.status == "sent" and 'dir="rtl"' in record.html and "کد پیگیری" in record.text


def test_receipt_is_recorded_once(service, django_capture_on_commit_callbacks):
    request_obj = make_request(service, email="citizen@example.com")
    notifications.queue_receipt_email(request_obj.pk)
    notifications.queue_receipt_email(request_obj.pk)
    assert EmailMessage.objects.filter(kind="receipt").count() == 1
    assert len(django_mail.outbox) == 1  # the test settings' locmem backend
    sent = django_mail.outbox[0]
    assert sent.attachments[0][2] == "application/pdf"
    assert sent.alternatives[0].mimetype == "text/html"


def self_signed(directory):
    """A certificate for 127.0.0.1 and its key, as PEM files."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def test_starttls_and_login_from_the_settings(
    service, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    """EMAIL_USE_TLS and EMAIL_HOST_USER / EMAIL_HOST_PASSWORD: the server demands
    STARTTLS before anything and a login before the message; a wrong password is
    recorded as failed, the right one delivers."""
    import ssl

    from aiosmtpd.smtp import AuthResult

    cert_path, key_path = self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert_path, key_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_path))  # the client trusts this certificate only

    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, session.ssl is not None))
        return AuthResult(
            success=(auth_data.login, auth_data.password) == (b"portal", b"s3cret-pass"), handled=False
        )

    handler = Handler()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=server_tls,
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
        auth_exclude_mechanism=["LOGIN"],  # PLAIN only
    )
    controller.start()
    try:
        request_obj = make_request(service, email="citizen@example.com")
        tls = {"EMAIL_USE_TLS": True, "EMAIL_HOST_USER": "portal"}
        with smtp_settings(controller.port), override_settings(**tls, EMAIL_HOST_PASSWORD="wrong"):
            with django_capture_on_commit_callbacks(execute=True):
                services.transition(request_obj, "in_review", None)
        with smtp_settings(controller.port), override_settings(**tls, EMAIL_HOST_PASSWORD="s3cret-pass"):
            with django_capture_on_commit_callbacks(execute=True):
                services.transition(request_obj, "waiting", None, public_note="سند را بفرستید.")
    finally:
        controller.stop()
    refused, delivered = EmailMessage.objects.order_by("pk")
    assert (refused.status, refused.attempts) == ("failed", 3) and refused.last_error.startswith("SMTP 535")
    assert (delivered.status, delivered.attempts) == ("sent", 1)
    assert len(handler.messages) == 1
    assert handler.messages[0]["Subject"].strip() == "وضعیت درخواست شما: در انتظار تکمیل مدارک"
    assert set(logins) == {(b"portal", True)}  # every login over TLS
