"""One-time SMS codes (کد یک‌بار مصرف): 6 digits from `secrets`, stored as an
HMAC (never in clear), for one purpose (a request in one browser session, or a
history lookup), single use, expiring after FOLLOWUP_OTP_TTL seconds (300), at
most FOLLOWUP_OTP_MAX_ATTEMPTS (5) guesses; a new code replaces the old one.

The code is in clear only in what the SMS gateway is given: the SMS log's row
(SmsMessage.text) holds MASK in its place, the code travels sealed with the
delivery task (intake.tasks), and every log line masks it."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import notifications, sms
from .models import OneTimeCode

# What stands for the code in the stored text.
MASK = sms.PLACEHOLDER
# The SMS's text; the 0007 migration masks the codes in rows written before MASK.
TEMPLATE = "کد تایید میز خدمت: {code}\nاین کد را در اختیار دیگران قرار ندهید."


def message_text(code):
    return TEMPLATE.format(code=code)


def _hash(purpose, code):
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{purpose}:{code}".encode(), hashlib.sha256).hexdigest()


def ttl():
    return int(getattr(settings, "FOLLOWUP_OTP_TTL", 300))


def issue(purpose, mobile, request_obj=None):
    """Create a fresh code for `purpose`, send it by SMS; returns the SmsMessage (or None)."""
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        OneTimeCode.objects.filter(purpose=purpose, used_at__isnull=True).update(used_at=now)
        OneTimeCode.objects.create(
            purpose=purpose,
            code_hash=_hash(purpose, code),
            mobile=mobile,
            expires_at=now + timedelta(seconds=ttl()),
        )
    return notifications.queue_text(request_obj, mobile, message_text(MASK), secret=code)


def verify(purpose, code):
    """True once for the right, unexpired, unused code; every try counts."""
    from portal.persian import canonical_digits

    code = canonical_digits(code or "")
    max_attempts = int(getattr(settings, "FOLLOWUP_OTP_MAX_ATTEMPTS", 5))
    now = timezone.now()
    with transaction.atomic():
        row = (
            OneTimeCode.objects.select_for_update()
            .filter(purpose=purpose, used_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if row is None or row.expires_at <= now or row.attempts >= max_attempts:
            return False
        row.attempts += 1
        ok = len(code) == 6 and hmac.compare_digest(row.code_hash, _hash(purpose, code))
        if ok:
            row.used_at = now
        row.save(update_fields=["attempts", "used_at"])
        return ok
