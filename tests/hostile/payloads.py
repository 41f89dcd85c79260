"""The hostile corpus: values an attacker (or a broken client) sends to every
form field and JSON field. Each case names itself so a failure says which one.

Form posts carry text; a lone surrogate cannot be put in a Python str that the
test client encodes, so it goes percent-encoded in a raw body (`RAW_FORM_VALUES`)."""

NUL = "\x00"
MEGABYTE = 1024 * 1024

# Text for form fields and JSON strings.
TEXT = {
    "nul": f"abc{NUL}def",
    "nul_only": NUL,
    "nul_persian": f"علی{NUL}رضا",
    "one_megabyte": "ا" * MEGABYTE,
    "bidi_override": "\u202eمتن معکوس\u202c ۱۲۳",
    "bidi_isolates": "\u2066\u2067\u2068abc\u2069",
    "zwnj_only": "\u200c" * 30,
    "rlm_only": "\u200f\u200e" * 20,
    "invisible_mix": "\u200c\u200f\u200e\u2060\ufeff\u00ad" * 10,
    "persian_digits": "۰۹۱۲۱۲۳۴۵۶۷",
    "arabic_digits": "٠٩١٢١٢٣٤٥٦٧",
    "control_chars": "a\x01\x02\x07\x08\x0b\x0c\x1b[31mb\x7f\x85",
    "line_separators": "a\u2028b\u2029c",
    "html": '<script>alert(1)</script><img src=x onerror="alert(2)">',
    "sql": "' OR 1=1; DROP TABLE intake_servicerequest; --",
    "formula": '=HYPERLINK("http://127.0.0.1/","x")',
    "huge_number": "9" * 400,
    "negative": "-1",
    "float": "1e309",
    "private_use": "\ue000\uf8ff",
    "non_bmp": "😀" * 50,
    "whitespace_only": " \t\n\u00a0\u3000 ",
}

# Percent-encoded form values that are not valid UTF-8 or not valid Unicode.
RAW_FORM_VALUES = {
    "lone_surrogate": "%ED%A0%80",
    "invalid_utf8": "%FF%FE%FD",
    "overlong_utf8": "%C0%AF",
    "nul_encoded": "%00",
}

# Values for JSON fields whose type is not a string.
JSON_VALUES = {
    "null": None,
    "true": True,
    "zero": 0,
    "negative": -1,
    "huge_int": 10**40,
    "float": 1.5,
    "nan_string": "NaN",
    "list": [1, 2],
    "object": {"a": 1},
    "empty_string": "",
    "nul_string": NUL,
    "long_string": "x" * 100_000,
}

# Dates and date-times as a client might send them.
DATES = {
    "empty": "",
    "garbage": "not-a-date",
    "month_13": "2026-13-01",
    "day_32": "2026-01-32",
    "year_0": "0000-01-01",
    "year_99999": "99999-01-01",
    "offset_plus_20": "2026-01-01T00:00:00+20:00",
    "offset_minus_16_30": "2026-01-01T00:00:00-16:30",
    "offset_garbage": "2026-01-01T00:00:00+99:99",
    "jalali_bad": "۱۴۰۵/۱۳/۴۰",
    "jalali_arabic_digits": "١٤٠٥/٠٩/٠٣",
    "nul": f"2026-01-01{NUL}",
    "huge": "9" * 10_000,
}


def text_cases():
    """(name, value) pairs for pytest.mark.parametrize."""
    return sorted(TEXT.items())


def raw_form_body(fields, name, raw_value):
    """An urlencoded body of `fields` with `name` set to an already percent-encoded
    `raw_value` (for RAW_FORM_VALUES)."""
    from urllib.parse import urlencode

    body = urlencode({k: v for k, v in fields.items() if k != name})
    return f"{body}&{name}={raw_value}" if body else f"{name}={raw_value}"
