"""The display filters: Persian digits, Jalali dates, rials; parsing typed Jalali dates."""

import datetime

import pytest
from django.template import Context, Template

from portal.jalali import JalaliDateFormField, parse_jalali
from portal.persian import canonical_digits, canonical_text, to_ascii_digits


def render(source, **context):
    return Template("{% load persian %}" + source).render(Context(context))


def test_filters():
    assert render("{{ v|fa_digits }}", v="1.0.0") == "۱.۰.۰"
    assert render("{{ v|jdate }}", v=datetime.date(2026, 11, 24)) == "۱۴۰۵/۰۹/۰۳"
    assert render('{{ v|jdate:"long" }}', v=datetime.date(2026, 3, 21)) == "۱ فروردین ۱۴۰۵"
    moment = datetime.datetime(2026, 11, 24, 10, 30, tzinfo=datetime.UTC)
    assert render("{{ v|jdatetime }}", v=moment) == "۱۴۰۵/۰۹/۰۳ ساعت ۱۴:۰۰"  # shown in Tehran time
    assert render("{{ v|rials }}", v=12500000) == "۱۲٬۵۰۰٬۰۰۰ ریال"
    assert render("{{ v|fa_digits }}", v=None) == ""


@pytest.mark.parametrize("typed", ["1405/09/03", "۱۴۰۵/۰۹/۰۳", "1405-09-03", "١٤٠٥/٠٩/٠٣", " 1405/9/3 "])
def test_jalali_parsing(typed):
    assert parse_jalali(typed) == datetime.date(2026, 11, 24)


@pytest.mark.parametrize(
    "typed", ["1405/13/01", "1405/12/31", "1405/07/31", "tomorrow", "1405/09", "9999999"]
)
def test_impossible_jalali_dates_are_a_persian_form_error(typed):
    field = JalaliDateFormField()
    assert not field.widget.input_type == "number"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        field.clean(typed)
    assert "تاریخ را به شکل سال/ماه/روز شمسی وارد کنید" in error.value.messages[0]


def test_canonical_forms():
    assert to_ascii_digits("۰۹۱۲-١٢٣") == "0912-123"
    assert canonical_digits("\u200f۰۹۱۲ ۱۲۳-۴۵۶۷") == "09121234567"
    assert canonical_text("  علي كريمي\u202b ") == "علی کریمی"
