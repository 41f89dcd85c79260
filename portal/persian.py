"""Persian text helpers: canonical storage form and display form.

Data is stored canonical (ASCII digits, Persian ی and ک, no bidi control
characters) and shown with Persian digits at display time. Imports nothing of ours.
"""

import re

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"

_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, ASCII_DIGITS * 2)
_TO_PERSIAN = str.maketrans(ASCII_DIGITS + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)
_ARABIC_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})

# LRM, RLM, ALM, the embedding/override controls and the isolates.
BIDI_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI_RE = re.compile(f"[{BIDI_CONTROLS}]")


def to_ascii_digits(value):
    """Persian and Arabic-Indic digits to ASCII; everything else unchanged."""
    return str(value).translate(_TO_ASCII)


def to_persian_digits(value):
    """ASCII and Arabic-Indic digits to Persian digits, for display."""
    return str(value).translate(_TO_PERSIAN)


def strip_bidi_controls(value):
    return _BIDI_RE.sub("", str(value))


def canonical_text(value):
    """The storage form of text a person typed: Persian letters, ASCII digits
    only where asked for separately, no bidi control characters, trimmed."""
    return strip_bidi_controls(str(value).translate(_ARABIC_LETTERS)).strip()


def canonical_digits(value):
    """The storage form of a number typed in any script: ASCII digits only,
    with white space, dashes and bidi marks removed."""
    text = strip_bidi_controls(to_ascii_digits(value))
    return re.sub(r"[\s\-_]", "", text)


def group_thousands(number, separator="٬"):
    """12500000 -> ۱۲٬۵۰۰٬۰۰۰ (Persian digits, Persian thousands separator)."""
    return to_persian_digits(f"{int(number):,}".replace(",", separator))
