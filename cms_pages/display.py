"""How editors' content is shown to citizens: Persian digits in rich text, and the
kind and size of a document to download («PDF، ۱۲۳ کیلوبایت»)."""

import re

from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

from portal.persian import to_persian_digits

# Tags are left alone (an href or an id keeps its digits), and so are character
# references (&#39;), web addresses and emails typed into the text.
_KEEP = re.compile(r"<[^>]*>|&#?\w+;|(?:https?://|www\.)\S+|\S+@\S+")
_KEEP_INSIDE = re.compile(r"<(code|pre|kbd|samp)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def _persian_text(text):
    out, last = [], 0
    for match in _KEEP.finditer(text):
        out.append(to_persian_digits(text[last : match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(to_persian_digits(text[last:]))
    return "".join(out)


def persian_digits_html(html):
    """The HTML with every digit a reader sees in Persian; markup, character
    references, web addresses, emails and code untouched."""
    html = str(html or "")
    out, last = [], 0
    for match in _KEEP_INSIDE.finditer(html):
        out.append(_persian_text(html[last : match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(_persian_text(html[last:]))
    return mark_safe("".join(out))  # noqa: S308 - the input is already safe HTML; only digits change


def rich_text_html(value):
    """A rich text field's database HTML expanded (links, documents) with Persian digits."""
    return persian_digits_html(expand_db_html(value or ""))


def file_size_text(size):
    """1234 -> «۱ کیلوبایت»; 1500000 -> «۱٫۴ مگابایت»; None -> ""."""
    if size is None:
        return ""
    if size < 1024:
        return f"{to_persian_digits(size)} بایت"
    if size < 1024 * 1024:
        return f"{to_persian_digits(round(size / 1024))} کیلوبایت"
    megabytes = f"{size / (1024 * 1024):.1f}".removesuffix(".0").replace(".", "٫")
    return f"{to_persian_digits(megabytes)} مگابایت"


def document_description(document):
    """«PDF، ۱۲۳ کیلوبایت»: the file's kind and size (the kind alone when the file
    cannot be read)."""
    parts = [document.file_extension.upper()] if document.file_extension else []
    size = file_size_text(document.get_file_size())
    if size:
        parts.append(size)
    return "، ".join(parts)
