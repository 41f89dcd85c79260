"""The upload scanner hook: clamd's INSTREAM protocol against small servers on
127.0.0.1 (and a Unix socket) that answer OK, FOUND, ERROR, nothing, or are gone."""

import socket
import socketserver
import struct
import threading

import pytest
from django.test import override_settings

from intake.models import DraftFile
from portal import clamd
from tests.intake import conftest as intake_fixtures
from tests.intake import files
from tests.intake.helpers import choose, step

_clean_state = intake_fixtures._clean_state
intake_page = intake_fixtures.intake_page
unit = intake_fixtures.unit
officer = intake_fixtures.officer
service = intake_fixtures.service

UNAVAILABLE = "امکان بررسی امنیتی فایل نیست؛ لطفاً بعداً تلاش کنید."


class FakeClamd:
    """Speaks enough of clamd: zINSTREAM, length-prefixed chunks, one reply."""

    def __init__(self, reply=b"stream: OK\0", silent=False, unix_path=None):
        self.reply, self.silent, self.received, self.commands = reply, silent, [], []
        fake = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                sock = self.request
                command = b""
                while not command.endswith(b"\0"):
                    command += sock.recv(1)
                fake.commands.append(command)
                data = b""
                while True:
                    size = struct.unpack("!L", self._exactly(4))[0]
                    if size == 0:
                        break
                    data += self._exactly(size)
                fake.received.append(data)
                if fake.silent:
                    threading.Event().wait(3)
                    return
                sock.sendall(fake.reply)

            def _exactly(self, count):
                buf = b""
                while len(buf) < count:
                    part = self.request.recv(count - len(buf))
                    if not part:
                        raise ConnectionError
                    buf += part
                return buf

        if unix_path:
            self.server = socketserver.ThreadingUnixStreamServer(str(unix_path), Handler)
            self.address = str(unix_path)
        else:
            self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
            self.address = f"127.0.0.1:{self.server.server_address[1]}"
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_clamd():
    servers = []

    def start(**kwargs):
        server = FakeClamd(**kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def closed_port_address():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"127.0.0.1:{port}"


def test_clean_bytes_pass_and_arrive_whole_in_chunks(fake_clamd):
    server = fake_clamd()
    data = bytes(range(256)) * 600  # 153,600 bytes: three chunks
    assert clamd.scan_bytes(data, address=server.address) is None
    assert server.commands == [b"zINSTREAM\0"]
    assert server.received == [data]


def test_a_signature_is_reported(fake_clamd):
    server = fake_clamd(reply=b"stream: Eicar-Test-Signature FOUND\0")
    assert clamd.scan_bytes(b"X5O!P%@AP", address=f"tcp://{server.address}") == "Eicar-Test-Signature"


def test_a_unix_socket_works_too(fake_clamd, tmp_path):
    server = fake_clamd(unix_path=tmp_path / "clamd.ctl")
    assert clamd.scan_bytes(b"%PDF-1.4", address=f"unix://{server.address}") is None
    assert clamd.scan_bytes(b"%PDF-1.4", address=server.address) is None


@pytest.mark.parametrize("reply", [b"INSTREAM size limit exceeded. ERROR\0", b"", b"garbage\0"])
def test_anything_but_ok_or_found_is_unavailable(fake_clamd, reply):
    server = fake_clamd(reply=reply)
    with pytest.raises(clamd.ScannerUnavailable):
        clamd.scan_bytes(b"data", address=server.address)


def test_no_answer_in_time_is_unavailable(fake_clamd):
    server = fake_clamd(silent=True)
    with pytest.raises(clamd.ScannerUnavailable):
        clamd.scan_bytes(b"data", address=server.address, timeout=0.5)


def test_nobody_listening_is_unavailable():
    with pytest.raises(clamd.ScannerUnavailable):
        clamd.scan_bytes(b"data", address=closed_port_address(), timeout=2)


def test_a_malformed_address_is_unavailable():
    with pytest.raises(clamd.ScannerUnavailable):
        clamd.scan_bytes(b"data", address="clamd-without-port", timeout=2)


def upload_step(client, service, upload):
    choose(client, service)
    client.post(step(1), {"action": "next"})
    client.post(
        step(2),
        {
            "action": "next",
            "unit": str(service.unit_id),
            "service": service.service_id,
            "service_id": service.service_id,
            "request_text": "متن درخواست آزمایشی",
        },
    )
    return client.post(step(3), {"action": "next", "file1": upload})


def test_wizard_upload_is_scanned_and_stored_when_clean(client, intake_page, service, fake_clamd):
    server = fake_clamd()
    with override_settings(CLAMD_ADDRESS=server.address):
        response = upload_step(client, service, files.pdf("نامه.pdf"))
    assert response.status_code == 302
    assert DraftFile.objects.count() == 1
    assert server.received == [DraftFile.objects.get().file.read()]


def test_wizard_upload_with_a_signature_is_refused(client, intake_page, service, fake_clamd):
    server = fake_clamd(reply=b"stream: Win.Test.EICAR_HDB-1 FOUND\0")
    with override_settings(CLAMD_ADDRESS=server.address):
        response = upload_step(client, service, files.pdf("نامه.pdf"))
    assert response.status_code == 200
    assert "فایل «\u2068نامه.pdf\u2069» در بررسی امنیتی آلوده تشخیص داده شد" in response.content.decode()
    assert DraftFile.objects.count() == 0


@pytest.mark.parametrize("kind", ["unreachable", "silent"])
def test_wizard_upload_fails_closed_when_the_scanner_cannot_answer(
    client, intake_page, service, fake_clamd, kind
):
    address = closed_port_address() if kind == "unreachable" else fake_clamd(silent=True).address
    with override_settings(CLAMD_ADDRESS=address, CLAMD_TIMEOUT=0.5):
        response = upload_step(client, service, files.png())
    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()
    assert DraftFile.objects.count() == 0


def test_without_a_scanner_configured_nothing_is_contacted(client, intake_page, service, fake_clamd):
    server = fake_clamd()
    with override_settings(CLAMD_ADDRESS=""):
        response = upload_step(client, service, files.png())
    assert response.status_code == 302
    assert server.received == []
