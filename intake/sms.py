"""SMS gateways: pluggable backends chosen by settings.SMS_BACKEND. What the citizen
is told and its record are intake.notifications'; the delivery (with retries) is the
task in intake.tasks.

Settings (all optional):
  SMS_ENABLED          True; False records nothing and the receipt says no SMS was sent
  SMS_BACKEND          "intake.sms.ConsoleBackend" (default, logs the text with
                       every code masked), "intake.sms.KavenegarBackend", or
                       "intake.sms.MemoryBackend" (tests: keeps what it sends)
  SMS_KAVENEGAR_API_KEY, SMS_KAVENEGAR_SENDER, SMS_KAVENEGAR_URL ("https://api.kavenegar.com")
  SMS_TIMEOUT          seconds per HTTP call (5)
  SMS_MAX_ATTEMPTS     3
  SMS_RETRY_BACKOFF    seconds before the 2nd attempt; doubles each time (30)
"""

import base64
import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string

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


# A secret (a one-time code) is never stored in a message's text: the text holds
# PLACEHOLDER in its place, and the secret travels sealed (encrypted under a key derived
# from SECRET_KEY) with the delivery task, to be put back only for the gateway.
PLACEHOLDER = "******"


def _sealer():
    key = salted_hmac("intake.sms.sealed-secret", "fernet", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret):
    """The secret encrypted (and authenticated) for the delivery task."""
    return _sealer().encrypt(secret.encode()).decode()


def unseal(sealed):
    """The secret back, or None when it cannot be read (another key, tampered)."""
    try:
        return _sealer().decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError, TypeError, AttributeError):
        return None


def fill(text, secret):
    """What the gateway sends: the stored text with its PLACEHOLDER filled."""
    return text.replace(PLACEHOLDER, secret, 1)


class ConsoleBackend:
    """Development default: writes the message to the log; always succeeds."""

    name = "console"

    def send(self, recipient, text):
        # Tracking and one-time codes never reach the log in clear (the text is in SmsMessage).
        logger.info("SMS to %s: %s", recipient, mask_codes(text))
        return f"console-{uuid.uuid4().hex[:12]}"


outbox = []


class MemoryBackend:
    """Keeps what it sends in `intake.sms.outbox` as (recipient, text), like Django's
    locmem email backend: for tests (a one-time code is only ever in what is sent)."""

    name = "memory"

    def send(self, recipient, text):
        outbox.append((recipient, text))
        return f"memory-{len(outbox)}"


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


def backend_path():
    return getattr(settings, "SMS_BACKEND", "intake.sms.ConsoleBackend")


def backend_name():
    """The backend's class name, as SmsMessage.backend records it."""
    return backend_path().rsplit(".", 1)[-1]


def get_backend():
    return import_string(backend_path())()
