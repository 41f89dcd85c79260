"""One-time SMS codes never stored nor logged in clear: not in the SMS log's rows
(text, last error), not in any emitted log line (the console backend's included),
while the SMS gateway still gets the real code and the code still works."""

import importlib
import re

import pytest
from django.apps import apps

from intake import sms
from intake.models import SmsMessage
from portal.persian import to_persian_digits
from tests.intake.requests import MOBILE, NATIONAL_CODE, make_request

SENT = []


class RecordingConsoleBackend(sms.ConsoleBackend):
    """The console backend (it logs what it sends), remembering what it was given."""

    def send(self, recipient, text):
        SENT.append((recipient, text))
        return super().send(recipient, text)


class EchoingFailingBackend:
    """A gateway whose error quotes the whole message (some do)."""

    def send(self, recipient, text):
        SENT.append((recipient, text))
        raise sms.SmsError(f"refused message {text!r} to {recipient}", retry=False)


@pytest.fixture
def recording(settings):
    settings.FOLLOWUP_OTP_REQUIRED = True
    settings.SMS_BACKEND = f"{__name__}.RecordingConsoleBackend"
    SENT.clear()
    yield SENT
    SENT.clear()


def sent_code():
    texts = [text for _, text in SENT if "کد تایید" in text]
    assert texts, "the gateway got no one-time code"
    return re.search(r"\d{6}", texts[-1]).group(0)


def assert_nowhere(code, log_text):
    forms = {code, to_persian_digits(code)}
    for text, error in SmsMessage.objects.values_list("text", "last_error"):
        assert not any(form in text or form in error for form in forms), text
    assert not any(form in log_text for form in forms)


def test_identity_code_reaches_the_gateway_only(client, service, recording, emitted_log):
    req = make_request(service)
    assert client.post("/track/", {"code": req.tracking_code}).status_code == 302
    response = client.post("/track/identity/", {"national_code": NATIONAL_CODE})
    assert response.status_code == 200 and "کد تایید" in response.content.decode()
    code = sent_code()
    assert recording[-1][0] == MOBILE
    message = SmsMessage.objects.get(text__contains="کد تایید")
    assert message.status == SmsMessage.Status.SENT and "******" in message.text
    log_text = emitted_log.getvalue()
    assert "SMS to" in log_text  # the console backend did log the message
    assert_nowhere(code, log_text)
    # The code the citizen received works.
    assert client.post("/track/identity/", {"otp": code}).status_code == 302
    assert client.get("/track/response/").status_code == 200


def test_history_code_reaches_the_gateway_only(client, service, recording, emitted_log):
    make_request(service)
    client.post("/track/history/", {"national_code": NATIONAL_CODE, "mobile": MOBILE})
    code = sent_code()
    assert_nowhere(code, emitted_log.getvalue())
    assert client.post("/track/history/", {"otp": code}).status_code == 302


def test_gateway_error_quoting_the_message_is_masked(client, service, recording, settings, emitted_log):
    settings.SMS_BACKEND = f"{__name__}.EchoingFailingBackend"
    req = make_request(service)
    client.post("/track/", {"code": req.tracking_code})
    client.post("/track/identity/", {"national_code": NATIONAL_CODE})
    code = sent_code()
    message = SmsMessage.objects.get(text__contains="کد تایید")
    assert message.status == SmsMessage.Status.FAILED and message.last_error
    assert_nowhere(code, emitted_log.getvalue())


def test_a_pending_code_without_its_sealed_copy_is_never_sent_masked(db, recording):
    """A one-time code message queued again without its code (e.g. by retry_sms) fails:
    the citizen never gets «******», and asks for a new code."""
    from intake import otp, tasks

    message = SmsMessage.objects.create(recipient=MOBILE, text=otp.message_text(otp.MASK), backend="x")
    tasks.deliver(message.pk)
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.FAILED and not SENT


def test_migration_masks_codes_already_stored(db):
    migration = importlib.import_module("intake.migrations.0007_mask_stored_one_time_codes")
    old = "کد تایید میز خدمت: 123456\nاین کد را در اختیار دیگران قرار ندهید."
    persian = "کد تایید میز خدمت: ۶۵۴۳۲۱\nاین کد را در اختیار دیگران قرار ندهید."
    other = "درخواست شما ثبت شد. کد پیگیری: ۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶\nمیز خدمت"
    rows = [SmsMessage.objects.create(recipient=MOBILE, text=t, backend="x") for t in (old, persian, other)]
    migration.mask_one_time_codes(apps, None)
    texts = [SmsMessage.objects.get(pk=row.pk).text for row in rows]
    assert texts[0] == old.replace("123456", "******")
    assert texts[1] == persian.replace("۶۵۴۳۲۱", "******")
    assert texts[2] == other  # not a one-time code: the tracking code is the request's own
