import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.test import override_settings

from intake import sms, tasks
from intake.models import ServiceRequest, SmsMessage
from tests.intake.helpers import BASE, fill_to_review, step


class FakeKavenegar(BaseHTTPRequestHandler):
    """Answers like Kavenegar's /v1/{key}/sms/send.json; behaviour set per server."""

    def do_POST(self):  # noqa: N802
        server = self.server
        length = int(self.headers.get("Content-Length", 0))
        fields = parse_qs(self.rfile.read(length).decode())
        server.calls.append({"path": self.path, "fields": fields})
        mode = server.modes.pop(0) if server.modes else server.default_mode
        if mode == "timeout":
            time.sleep(1.5)
            return
        if mode == "ok":
            status, body = (
                200,
                {
                    "return": {"status": 200, "message": "تایید شد"},
                    "entries": [{"messageid": 8792343, "status": 1, "receptor": fields["receptor"][0]}],
                },
            )
        elif mode == "bad_receptor":
            status, body = 400, {"return": {"status": 411, "message": "receptor invalid"}, "entries": None}
        else:
            status, body = 502, {"return": {"status": 500, "message": "server error"}, "entries": None}
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeKavenegar)
    server.calls, server.modes, server.default_mode = [], [], "ok"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def kavenegar_settings(gateway, **extra):
    return override_settings(
        SMS_BACKEND="intake.sms.KavenegarBackend",
        SMS_KAVENEGAR_API_KEY="test-key",
        SMS_KAVENEGAR_SENDER="10004346",
        SMS_KAVENEGAR_URL=f"http://127.0.0.1:{gateway.server_port}",
        SMS_TIMEOUT=0.5,
        SMS_MAX_ATTEMPTS=3,
        SMS_RETRY_BACKOFF=0,
        **extra,
    )


def submit(client, service, officer, capture):
    fill_to_review(client, service, officer)
    with capture(execute=True):
        response = client.post(step(6), {"action": "next"})
    assert response.status_code == 302
    return ServiceRequest.objects.get()


def test_kavenegar_success(gateway):
    with kavenegar_settings(gateway):
        assert sms.KavenegarBackend().send("09121234567", "سلام") == "8792343"
    call = gateway.calls[0]
    assert call["path"] == "/v1/test-key/sms/send.json"
    assert call["fields"] == {"receptor": ["09121234567"], "message": ["سلام"], "sender": ["10004346"]}


def test_kavenegar_error_is_permanent(gateway):
    gateway.default_mode = "bad_receptor"
    with kavenegar_settings(gateway), pytest.raises(sms.SmsError) as error:
        sms.KavenegarBackend().send("09121234567", "سلام")
    assert error.value.retry is False


def test_kavenegar_server_error_and_timeout_are_temporary(gateway):
    gateway.modes = ["server_error", "timeout"]
    with kavenegar_settings(gateway):
        for _ in range(2):
            with pytest.raises(sms.SmsError) as error:
                sms.KavenegarBackend().send("09121234567", "سلام")
            assert error.value.retry is True


def test_sms_is_sent_after_commit_and_recorded(
    client, intake_page, service, officer, gateway, django_capture_on_commit_callbacks
):
    with kavenegar_settings(gateway):
        request_obj = submit(client, service, officer, django_capture_on_commit_callbacks)
    message = SmsMessage.objects.get(request=request_obj)
    assert message.status == "sent" and message.attempts == 1 and message.provider_id == "8792343"
    assert message.recipient == "09121234567"
    assert gateway.calls[0]["fields"]["receptor"] == ["09121234567"]
    assert "کد پیگیری" in message.text
    body = client.get(BASE + "receipt/").content.decode()
    shown = re.sub(r"<[^>]+>", "", body)  # the number is isolated (<bdi dir="ltr">)
    assert "پیامک کد پیگیری به شماره ۰۹۱۲۱۲۳۴۵۶۷ ارسال شد." in shown


def test_sms_retried_with_backoff_then_sent(
    client, intake_page, service, officer, gateway, django_capture_on_commit_callbacks
):
    gateway.modes = ["server_error", "timeout"]
    with kavenegar_settings(gateway):
        request_obj = submit(client, service, officer, django_capture_on_commit_callbacks)
    message = SmsMessage.objects.get(request=request_obj)
    assert message.status == "sent" and message.attempts == 3
    assert len(gateway.calls) == 3


def test_failing_gateway_never_loses_the_request(
    client, intake_page, service, officer, gateway, django_capture_on_commit_callbacks
):
    gateway.default_mode = "server_error"
    with kavenegar_settings(gateway):
        request_obj = submit(client, service, officer, django_capture_on_commit_callbacks)
    message = SmsMessage.objects.get(request=request_obj)
    assert message.status == "failed" and message.attempts == 3 and "500" in message.last_error
    assert ServiceRequest.objects.count() == 1
    body = client.get(BASE + "receipt/").content.decode()
    assert "پیامکی برای شهروند ارسال نشد" in body


def test_permanent_error_is_not_retried(
    client, intake_page, service, officer, gateway, django_capture_on_commit_callbacks
):
    gateway.default_mode = "bad_receptor"
    with kavenegar_settings(gateway):
        submit(client, service, officer, django_capture_on_commit_callbacks)
    assert SmsMessage.objects.get().attempts == 1
    assert len(gateway.calls) == 1


def test_a_broken_queue_does_not_block_the_request(
    client, intake_page, service, officer, django_capture_on_commit_callbacks, monkeypatch
):
    def explode(*args, **kwargs):
        raise RuntimeError("queue down")

    monkeypatch.setattr(tasks, "enqueue", explode)
    request_obj = submit(client, service, officer, django_capture_on_commit_callbacks)
    assert ServiceRequest.objects.filter(pk=request_obj.pk).exists()
    assert client.get(BASE + "receipt/").status_code == 200


def test_disabled_sms_records_nothing_and_says_so(
    client, intake_page, service, officer, django_capture_on_commit_callbacks
):
    with override_settings(SMS_ENABLED=False):
        submit(client, service, officer, django_capture_on_commit_callbacks)
    assert not SmsMessage.objects.exists()
    assert "پیامکی برای شهروند ارسال نشد" in client.get(BASE + "receipt/").content.decode()


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_database_backend_queues_after_commit_and_defers_retries(
    client, intake_page, service, officer, django_capture_on_commit_callbacks, monkeypatch
):
    """In production (django-tasks-db) the send is stored for the worker; a
    temporary failure is rescheduled with back-off instead of retried at once."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DB_TASKS):
        request_obj = submit(client, service, officer, django_capture_on_commit_callbacks)
        message = SmsMessage.objects.get(request=request_obj)
        assert message.status == "pending" and message.attempts == 0
        queued = DBTaskResult.objects.get(task_path="intake.tasks.send_sms")
        assert queued.task_path == "intake.tasks.send_sms" and queued.args_kwargs["args"] == [message.pk]

        class Temporary:
            def send(self, recipient, text):
                raise sms.SmsError("down", retry=True)

        monkeypatch.setattr(sms, "get_backend", Temporary)
        before = timezone.now()
        with override_settings(SMS_RETRY_BACKOFF=30):
            tasks.deliver(message.pk)
        message.refresh_from_db()
        assert message.status == "pending" and message.attempts == 1
        retry = DBTaskResult.objects.filter(task_path="intake.tasks.send_sms").exclude(pk=queued.pk).get()
        assert retry.run_after >= before + timezone.timedelta(seconds=29)
        # The worker's last attempt marks it failed; the request stays.
        with override_settings(SMS_RETRY_BACKOFF=30, SMS_MAX_ATTEMPTS=2):
            tasks.deliver(message.pk)
        message.refresh_from_db()
        assert message.status == "failed" and message.attempts == 2


def test_database_backend_task_is_written_with_the_request(client, intake_page, service, officer):
    """With django-tasks-db the send task is written in the request's own transaction
    (no on-commit step that a dying process could skip): here no on-commit callback
    runs at all, and the task is there."""
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DB_TASKS):
        assert tasks.queue_in_database()
        fill_to_review(client, service, officer)
        assert client.post(step(6), {"action": "next"}).status_code == 302
        message = SmsMessage.objects.get()
        assert DBTaskResult.objects.get(task_path="intake.tasks.send_sms").args_kwargs["args"] == [message.pk]
    assert not tasks.queue_in_database()  # the immediate backend of the tests: after the commit


def test_kavenegar_gets_the_one_time_code_that_the_record_masks(db, gateway):
    from intake import otp

    with kavenegar_settings(gateway):
        message = otp.issue("request:test", "09121234567")
    message.refresh_from_db()
    sent = gateway.calls[0]["fields"]["message"][0]
    code = re.search(r"\d{6}", sent).group(0)
    assert sent == otp.message_text(code) and message.status == "sent"
    assert message.text == otp.message_text("******") and code not in message.text
