"""Jalali (Iranian calendar) dates at the edges: parsing what people type and
formatting for display. Dates are stored as ordinary (Gregorian) dates."""

import datetime
import re

import jdatetime
from django import forms
from django.db import models
from django.utils import timezone

from .persian import to_ascii_digits, to_persian_digits

JALALI_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)  # fmt: skip

_DATE_RE = re.compile(r"^\s*(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*$")


def parse_jalali(value):
    """'1405/09/03', '۱۴۰۵/۰۹/۰۳' or '1405-09-03' -> datetime.date; ValueError otherwise."""
    match = _DATE_RE.match(to_ascii_digits(value or ""))
    if not match:
        raise ValueError("not a Jalali date")
    year, month, day = (int(part) for part in match.groups())
    return jdatetime.date(year, month, day).togregorian()


def to_jalali(value):
    """A date or datetime (aware datetimes shown in the current time zone) as jdatetime."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return jdatetime.datetime.fromgregorian(datetime=value)
    if isinstance(value, datetime.date):
        return jdatetime.date.fromgregorian(date=value)
    return value


def format_jalali_date(value, long=False):
    """۱۴۰۵/۰۹/۰۳, or with long=True ۳ آذر ۱۴۰۵."""
    if not value:
        return ""
    jvalue = to_jalali(value)
    if long:
        text = f"{jvalue.day} {JALALI_MONTHS[jvalue.month - 1]} {jvalue.year}"
    else:
        text = f"{jvalue.year:04d}/{jvalue.month:02d}/{jvalue.day:02d}"
    return to_persian_digits(text)


def format_jalali_datetime(value):
    """۱۴۰۵/۰۹/۰۳ ساعت ۱۴:۰۵"""
    if not value:
        return ""
    jvalue = to_jalali(value)
    text = f"{jvalue.year:04d}/{jvalue.month:02d}/{jvalue.day:02d} ساعت {jvalue.hour:02d}:{jvalue.minute:02d}"
    return to_persian_digits(text)


# The format is said beside the field, never as a placeholder: a grey date in an empty
# box looks like a date already filled in.
DATE_HINT = "سال/ماه/روز شمسی، مانند ۱۴۰۵/۰۹/۰۳"


class JalaliDateInput(forms.TextInput):
    """A text box that shows and accepts Jalali dates (yyyy/mm/dd)."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            jvalue = jdatetime.date.fromgregorian(date=value)
            return f"{jvalue.year:04d}/{jvalue.month:02d}/{jvalue.day:02d}"
        return super().format_value(value)


class JalaliDateFormField(forms.DateField):
    widget = JalaliDateInput
    default_error_messages = {
        "invalid": "تاریخ را به شکل سال/ماه/روز شمسی وارد کنید، مانند ۱۴۰۵/۰۹/۰۳.",
    }

    def __init__(self, *, help_text="", **kwargs):
        super().__init__(help_text=help_text or DATE_HINT, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_jalali(value)
        except (ValueError, OverflowError, ArithmeticError):  # not a date, or beyond the calendars
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class JalaliDateField(models.DateField):
    """A plain DateField whose forms (the Wagtail admin included) speak Jalali."""

    def formfield(self, **kwargs):
        kwargs["widget"] = JalaliDateInput
        if not self.help_text:
            kwargs.setdefault("help_text", DATE_HINT)
        kwargs["form_class"] = JalaliDateFormField
        return super().formfield(**kwargs)
