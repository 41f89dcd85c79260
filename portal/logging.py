"""A logging filter that keeps personal data out of the logs.

National codes (10 digits), Iranian mobile numbers (09…, +98 9…, 0098 9…, with or
without spaces or dashes between the groups) and tracking codes (16 digits) are
replaced by asterisks in the message, its arguments and any traceback text, in
Latin, Persian and Arabic-Indic digits alike. Every run of ten or more digits is
masked too, so a code glued to other digits does not slip through.

A database error's own lines that quote the statement or the data (PostgreSQL's
LINE n:, its caret line, DETAIL:, CONTEXT:, and a DETAIL's "Failing row contains")
are cut to their label: they can hold anything a citizen typed.

Installed on every handler in settings.LOGGING (filter "personal_data"). Ground
floor: imports nothing of ours.
"""

import logging
import re

_D = "[0-9\u06f0-\u06f9\u0660-\u0669]"
_SEP = r"[ \-\u00a0]?"

# Mobiles first (they may carry separators and a +98 prefix), then any long digit run.
_MOBILE = re.compile(
    rf"(?<![0-9\u06f0-\u06f9\u0660-\u0669])"
    rf"(?:(?:\+|00)?{_SEP}(?:98|\u06f9\u06f8|\u0669\u0668){_SEP}|[0\u06f0\u0660])"
    rf"[9\u06f9\u0669]{_D}{{2}}{_SEP}{_D}{{3}}{_SEP}{_D}{{4}}"
    rf"(?!{_D})"
)
_LONG_RUN = re.compile(rf"{_D}{{10,}}")
# A 16-digit tracking code written in groups of four (1234-5678-9012-3456).
_GROUPED_CODE = re.compile(rf"(?<!{_D}){_D}{{4}}(?:[ \-]{_D}{{4}}){{3}}(?!{_D})")
# A national code written 123-456789-0.
_GROUPED_NATIONAL = re.compile(rf"(?<!{_D}){_D}{{3}}-{_D}{{6}}-{_D}(?!{_D})")


# An email address (the citizen's, or one quoted back by a mail server).
_EMAIL = re.compile(r"[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;:]+")

_DATABASE_QUOTE = re.compile(r"^(LINE \d+:|DETAIL:|CONTEXT:|HINT:|QUERY:).*$", re.M)
_CARET_LINE = re.compile(r"^\s+\^\s*$\n?", re.M)


def _stars(match):
    return "*" * len(match.group(0))


def mask_personal_data(text):
    """The text with email addresses, national codes, mobile numbers and tracking
    codes masked."""
    if not text:
        return text
    text = _CARET_LINE.sub("", _DATABASE_QUOTE.sub(r"\1 (hidden)", text))
    text = _EMAIL.sub("***@***", text)
    text = _MOBILE.sub(_stars, text)
    text = _GROUPED_CODE.sub(_stars, text)
    text = _GROUPED_NATIONAL.sub(_stars, text)
    return _LONG_RUN.sub(_stars, text)


class MaskPersonalDataFilter(logging.Filter):
    """Masks the record in place: the formatted message replaces msg and args,
    and an exception's traceback text is formatted and masked too. Never drops
    a record."""

    _formatter = logging.Formatter()

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what there is, masked
            message = f"{record.msg} {record.args!r}"
        record.msg = mask_personal_data(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True
