"""The one set of display filters: Persian digits and Jalali dates.

{% load persian %} then {{ value|fa_digits }}, {{ date|jdate }},
{{ date|jdate:"long" }}, {{ moment|jdatetime }}, {{ amount|rials }};
left-to-right values: {{ code|fa_digits|ltr }}, {{ file_name|isolate }}, {{ tracking_code|code_groups }},
{{ address|url_breaks }}.
"""

import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from portal.jalali import format_jalali_date, format_jalali_datetime
from portal.persian import file_size_text, group_thousands, to_persian_digits

register = template.Library()


@register.filter
def fa_digits(value):
    if value is None:
        return ""
    return to_persian_digits(value)


@register.filter
def jdate(value, style=""):
    return format_jalali_date(value, long=(style == "long"))


@register.filter
def jdatetime(value):
    return format_jalali_datetime(value)


@register.filter
def rials(value):
    if value in (None, ""):
        return ""
    return f"{group_thousands(value)} ریال"


@register.filter
def ltr(value):
    """A left-to-right value (code, national code, mobile, email, ID) isolated from the
    Persian text around it and kept on one line: <bdi dir="ltr" class="ltr">…</bdi>.
    Digits are not converted here: chain `|fa_digits` before it where they should be."""
    if value in (None, ""):
        return ""
    return format_html('<bdi dir="ltr" class="ltr">{}</bdi>', value)


@register.filter
def isolate(value):
    """A value whose direction is its own (a file name, a name typed by anyone):
    <bdi>…</bdi>, so «نامه.pdf، عکس.png» never reorders across the list around it."""
    if value in (None, ""):
        return ""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def code_groups(value):
    """A tracking code in Persian digits, shown in groups of four on one line
    (۵۶۸۹ ۴۱۵۱ ۳۶۰۰ ۰۷۶۴). The gaps are CSS margins, not spaces, so a selected and
    copied code has no spaces in it."""
    if value in (None, ""):
        return ""
    digits = to_persian_digits(value)
    groups = [digits[i : i + 4] for i in range(0, len(digits), 4)]
    return format_html(
        '<bdi dir="ltr" class="ltr code-groups">{}</bdi>',
        format_html_join("", "<span>{}</span>", ((group,) for group in groups)),
    )


@register.filter
def url_breaks(value):
    """A long web address that may wrap on a narrow screen only after a slash or a
    hyphen (an empty <wbr> there), never inside a word. Escaped; direction is the
    caller's (wrap it in <bdi dir="ltr">)."""
    if value in (None, ""):
        return ""
    parts = re.split(r"(?<=/)(?!/)|(?<=-)", str(value))
    return format_html_join(mark_safe("<wbr>"), "{}", ((part,) for part in parts if part))  # noqa: S308


@register.filter
def file_size(value):
    """A file size in Persian digits and units: «۱٫۲ کیلوبایت» (portal.persian.file_size_text)."""
    return file_size_text(value)
