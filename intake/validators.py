"""Normalisers and validators for what citizens type in the wizard.

Each `normalise_*` returns the storage form (ASCII digits, Persian letters, no
bidi controls) or raises django.core.exceptions.ValidationError with a Persian
message. They are idempotent: normalising a normalised value returns it unchanged.
"""

import re

from django.core.exceptions import ValidationError

from portal.persian import canonical_digits, canonical_text, clean_typed_text, to_ascii_digits

NATIONAL_CODE_MESSAGE = "شماره ملی معتبر نیست؛ ۱۰ رقم شماره ملی را درست وارد کنید."
MOBILE_MESSAGE = "شماره تلفن همراه معتبر نیست؛ مانند ۰۹۱۲۱۲۳۴۵۶۷ وارد کنید."
LANDLINE_MESSAGE = "شماره تلفن ثابت معتبر نیست؛ با پیش‌شماره شهر وارد کنید، مانند ۰۲۱۱۲۳۴۵۶۷۸."
NAME_MESSAGE = "فقط حروف، فاصله و نیم‌فاصله مجاز است."

# Iranian provincial area codes (without the leading 0).
AREA_CODES = frozenset(
    "11 13 17 21 23 24 25 26 28 31 34 35 38 41 44 45 51 54 56 58 61 66 71 74 76 77 81 83 84 86 87".split()
)

_ASCII10 = re.compile(r"^[0-9]{10}$")
_PHONE_JUNK = re.compile(r"[\s\-_().\u200c]")
_NAME_RE = re.compile(r"^[\u0600-\u06FF\u200cA-Za-z][\u0600-\u06FF\u200cA-Za-z .'\-]*$")
_ARABIC_DIGITS_IN_RANGE = re.compile(r"[\u0660-\u0669\u06F0-\u06F9]")


def normalise_national_code(value):
    """شماره ملی: 10 digits in any script, valid check digit, not ten equal digits."""
    code = canonical_digits(value or "")
    if not _ASCII10.match(code):
        raise ValidationError(NATIONAL_CODE_MESSAGE, code="national_code")
    if len(set(code)) == 1 or int(code[3:9]) == 0:
        raise ValidationError(NATIONAL_CODE_MESSAGE, code="national_code")
    check = int(code[9])
    remainder = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    expected = remainder if remainder < 2 else 11 - remainder
    if check != expected:
        raise ValidationError(NATIONAL_CODE_MESSAGE, code="national_code")
    return code


def _phone_digits(value):
    text = _PHONE_JUNK.sub("", to_ascii_digits(canonical_digits(value or "")))
    if text.startswith("+"):
        text = text[1:]
        if not text.startswith("98"):
            return None
        text = "0" + text[2:]
    elif text.startswith("0098"):
        text = "0" + text[4:]
    if not text.isascii() or not text.isdigit():
        return None
    return text


def normalise_mobile(value):
    """تلفن همراه: +98, 0098, 98, 0 or no prefix; stored as 09XXXXXXXXX."""
    text = _phone_digits(value)
    if text is None:
        raise ValidationError(MOBILE_MESSAGE, code="mobile")
    if len(text) == 12 and text.startswith("98"):
        text = "0" + text[2:]
    elif len(text) == 10 and text.startswith("9"):
        text = "0" + text
    if not re.fullmatch(r"09[0-9]{9}", text):
        raise ValidationError(MOBILE_MESSAGE, code="mobile")
    return text


def normalise_landline(value):
    """تلفن ثابت: area code (021, 031, ...) and 8 digits; stored as 0XXXXXXXXXX."""
    text = _phone_digits(value)
    if text is None:
        raise ValidationError(LANDLINE_MESSAGE, code="landline")
    if len(text) == 12 and text.startswith("98"):
        text = "0" + text[2:]
    elif len(text) == 10 and not text.startswith("0"):
        text = "0" + text
    if not re.fullmatch(r"0[1-8][0-9]{9}", text) or text[1:3] not in AREA_CODES:
        raise ValidationError(LANDLINE_MESSAGE, code="landline")
    return text


def normalise_name(value):
    """نام / نام خانوادگی: Persian ی/ک, no bidi controls, single spaces, letters only,
    at least one letter (a name of ZWNJs and spaces is no name)."""
    text = re.sub(r"\s+", " ", canonical_text(value or "")).strip(" \u200c")
    if text and (not _NAME_RE.match(text) or _ARABIC_DIGITS_IN_RANGE.search(text)):
        raise ValidationError(NAME_MESSAGE, code="name")
    return text


def normalise_free_text(value):
    """Free text (request text, address, visit description): canonical letters,
    no bidi controls or other control and format characters (ZWNJ kept), digits
    stored ASCII, line endings unified."""
    return to_ascii_digits(clean_typed_text(value))
