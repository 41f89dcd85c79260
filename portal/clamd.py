"""A small client for ClamAV's clamd: the INSTREAM command over TCP or a Unix socket.

    zINSTREAM\\0, then chunks (4-byte big-endian length + bytes), then a zero length;
    clamd answers "stream: OK\\0", "stream: <signature> FOUND\\0" or "... ERROR\\0".

CLAMD_ADDRESS is "host:port", "tcp://host:port", a Unix socket path
("/run/clamav/clamd.ctl") or "unix:///run/clamav/clamd.ctl". Anything but a clear
OK or FOUND (no answer, a timeout, an ERROR, a malformed reply) raises
ScannerUnavailable: callers refuse the file (fail closed). Ground floor: imports
nothing of ours; reads settings when called.
"""

import socket
import struct

from django.conf import settings

CHUNK = 64 * 1024
MAX_REPLY = 4096


class ScannerUnavailable(Exception):
    """clamd is configured but did not give a usable answer."""


def configured():
    return bool(str(getattr(settings, "CLAMD_ADDRESS", "") or "").strip())


def _connect(address, timeout):
    address = address.strip()
    if address.startswith("unix://"):
        address = address[len("unix://") :]
    elif address.startswith("tcp://"):
        address = address[len("tcp://") :]
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address)
        return sock
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ScannerUnavailable(f"CLAMD_ADDRESS is neither host:port nor a socket path: {address!r}")
    return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)


def scan_bytes(data, address=None, timeout=None):
    """None when clamd finds nothing, the signature name when it finds something;
    raises ScannerUnavailable otherwise."""
    address = address or str(getattr(settings, "CLAMD_ADDRESS", ""))
    timeout = timeout if timeout is not None else float(getattr(settings, "CLAMD_TIMEOUT", 10))
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start : start + CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < MAX_REPLY:
                part = sock.recv(MAX_REPLY)
                if not part:
                    break
                reply += part
    except OSError as error:  # refused, unreachable, timed out, reset
        raise ScannerUnavailable(f"clamd at {address} did not answer: {error}") from error
    text = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    _, _, verdict = text.partition(": ")
    if verdict == "OK":
        return None
    if verdict.endswith(" FOUND"):
        return verdict[: -len(" FOUND")].strip() or "unknown"
    raise ScannerUnavailable(f"clamd at {address} answered {text!r}")
