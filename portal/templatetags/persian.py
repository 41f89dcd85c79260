"""The one set of display filters: Persian digits and Jalali dates.

{% load persian %} then {{ value|fa_digits }}, {{ date|jdate }},
{{ date|jdate:"long" }}, {{ moment|jdatetime }}, {{ amount|rials }}.
"""

from django import template

from portal.jalali import format_jalali_date, format_jalali_datetime
from portal.persian import group_thousands, to_persian_digits

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
