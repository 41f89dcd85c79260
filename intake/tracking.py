"""Tracking codes (کد پیگیری): 16 ASCII digits, the first not zero, the last a
Damm check digit.

The Damm algorithm uses a totally anti-symmetric quasigroup of order 10, so the
check digit detects every single mistyped digit and every swap of two
neighbouring (different) digits. The 15 payload digits come from the operating
system's cryptographically secure generator (`secrets`).
"""

import secrets

from portal.persian import canonical_digits

CODE_LENGTH = 16

_DAMM_TABLE = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def damm_check_digit(digits):
    """The Damm check digit of a string of ASCII digits."""
    interim = 0
    for char in digits:
        interim = _DAMM_TABLE[interim][int(char)]
    return str(interim)


def generate_tracking_code():
    """A fresh 16-digit code: 15 random digits (first 1-9) and the check digit."""
    first = str(secrets.randbelow(9) + 1)
    rest = "".join(str(secrets.randbelow(10)) for _ in range(CODE_LENGTH - 2))
    payload = first + rest
    return payload + damm_check_digit(payload)


def is_valid_tracking_code(value):
    """True for 16 ASCII digits, first not zero, with a correct check digit."""
    if not isinstance(value, str) or len(value) != CODE_LENGTH or not value.isascii() or not value.isdigit():
        return False
    if value[0] == "0":
        return False
    return damm_check_digit(value) == "0"


def normalise_tracking_code(value):
    """What a citizen typed (Persian digits, spaces, dashes) as ASCII digits, or ""."""
    return canonical_digits(value or "")
