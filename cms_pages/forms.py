"""The form builder of editors' form pages.

What a citizen meets on a form page is Persian and says how to fix a mistake: every
message names the field as labelled and says what to do («نام و نام خانوادگی» را
وارد کنید). Nothing is chosen for the citizen: radios, checkboxes and selects start
empty, whatever default an editor typed. Numbers are typed in any digit script and
shown back in Persian digits; dates are Jalali. Every text is bounded: Wagtail's
single-line fields stop at 255 characters, its multi-line ones had no limit.
"""

import datetime
import decimal
import re

from django import forms
from django.forms.utils import from_current_timezone
from django.utils.safestring import SafeString
from wagtail.contrib.forms.forms import FormBuilder

from portal.jalali import JalaliDateFormField, parse_jalali, to_jalali
from portal.persian import persian_digits_html, to_ascii_digits, to_persian_digits

SINGLELINE_MAX = 255
MULTILINE_MAX = 4000
NUMBER_MAX_DIGITS = 15
CHOICE_TYPES = ("dropdown", "multiselect", "radio", "checkboxes", "checkbox")
EMPTY_CHOICE = "یک گزینه را انتخاب کنید"
DATETIME_HINT = "تاریخ شمسی و ساعت، مانند ۱۴۰۵/۰۹/۰۳ ۱۴:۳۰"
DATETIME_RE = re.compile(
    r"^\s*(?P<date>\S+?)\s*(?:[T\s]|ساعت)\s*(?P<hour>\d{1,2})\s*:\s*(?P<minute>\d{1,2})\s*$"
)


def messages_for(field_type, label, max_length=None):
    """The Persian messages of one field: each names the field and says how to fix it."""
    name = f"«{label}»"
    common = {
        "null_characters_not_allowed": f"{name} نویسه نامعتبر (نویسه تهی) دارد؛ آن را دوباره تایپ کنید."
    }
    if field_type in ("dropdown", "radio"):
        return {
            **common,
            "required": f"یکی از گزینه‌های {name} را انتخاب کنید.",
            "invalid_choice": f"یکی از گزینه‌های {name} را انتخاب کنید.",
        }
    if field_type in ("multiselect", "checkboxes"):
        return {
            **common,
            "required": f"دست‌کم یکی از گزینه‌های {name} را انتخاب کنید.",
            "invalid_choice": f"فقط از گزینه‌های {name} انتخاب کنید.",
            "invalid_list": f"فقط از گزینه‌های {name} انتخاب کنید.",
        }
    if field_type == "checkbox":
        return {**common, "required": f"برای ارسال فرم، {name} را علامت بزنید."}
    messages = {**common, "required": f"{name} را وارد کنید."}
    if max_length:
        messages["max_length"] = (
            f"{name} حداکثر {to_persian_digits(max_length)} نویسه است؛ آن را کوتاه‌تر کنید."
        )
    if field_type == "email":
        messages["invalid"] = f"{name} را به شکل یک نشانی ایمیل درست وارد کنید، مانند name@example.com"
    elif field_type == "url":
        messages["invalid"] = f"{name} را به شکل نشانی کامل وب وارد کنید، مانند https://example.ir"
    elif field_type == "number":
        too_long = f"{name} حداکثر {to_persian_digits(NUMBER_MAX_DIGITS)} رقم است؛ رقم‌ها را بررسی کنید."
        messages.update(
            invalid=f"{name} را فقط با رقم وارد کنید، مانند ۱۲ یا ۲٫۵",
            max_digits=too_long,
            max_whole_digits=too_long,
            max_decimal_places=too_long,
        )
    elif field_type == "date":
        messages["invalid"] = f"{name} را به شکل سال/ماه/روز شمسی وارد کنید، مانند ۱۴۰۵/۰۹/۰۳"
    elif field_type == "datetime":
        messages["invalid"] = f"{name} را به شکل تاریخ شمسی و ساعت وارد کنید، مانند ۱۴۰۵/۰۹/۰۳ ۱۴:۳۰"
        messages["overflow"] = messages["invalid"]
    return messages


class PersianNumberInput(forms.TextInput):
    """A text box for a number (type=number refuses Persian digits in browsers): the
    phone's number pad, left to right, and the value shown back in Persian digits."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "dir": "ltr", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        value = super().format_value(value)
        return to_persian_digits(value) if value is not None else None


class JalaliDateTimeInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "dir": "ltr", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.datetime):
            value = to_jalali(value).strftime("%Y/%m/%d %H:%M")
        value = super().format_value(value)
        return to_persian_digits(value) if value is not None else None


class PersianDecimalField(forms.DecimalField):
    """A number typed in Persian, Arabic-Indic or ASCII digits, with the Persian
    decimal (٫) and thousands (٬) separators; stored as a plain decimal."""

    widget = PersianNumberInput

    def to_python(self, value):
        if isinstance(value, str):
            value = to_ascii_digits(value).replace("٫", ".").replace("٬", "").replace(",", "").strip()
        try:
            return super().to_python(value)
        except (decimal.InvalidOperation, ValueError, OverflowError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def widget_attrs(self, widget):
        # DecimalField would add step="any" and min/max, meaningless on a text box.
        return {}


class JalaliDateTimeFormField(forms.DateTimeField):
    """A Jalali date and a time (۱۴۰۵/۰۹/۰۳ ۱۴:۳۰) in any digit script, in the
    portal's time zone."""

    widget = JalaliDateTimeInput

    def __init__(self, *, help_text="", **kwargs):
        # The format is said beside the field (as portal.jalali's dates), never a placeholder.
        super().__init__(help_text=help_text or DATETIME_HINT, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return from_current_timezone(value)
        match = DATETIME_RE.match(to_ascii_digits(value))
        try:
            if not match:
                raise ValueError("not a Jalali date and time")
            date = parse_jalali(match["date"])
            moment = datetime.datetime.combine(date, datetime.time(int(match["hour"]), int(match["minute"])))
        except (ValueError, OverflowError, ArithmeticError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return from_current_timezone(moment)


class GroupRadioSelect(forms.RadioSelect):
    """Radios whose field links to its first option, so the error summary's link
    lands on the group (Django links a radio group to nothing)."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class GroupCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class PortalFormBuilder(FormBuilder):
    def get_field_options(self, field):
        options = super().get_field_options(field)
        options["label"] = to_persian_digits(field.label)
        help_text = options["help_text"]  # escaped by Wagtail unless editors may write HTML
        options["help_text"] = (
            persian_digits_html(help_text)
            if isinstance(help_text, SafeString)
            else to_persian_digits(help_text)
        )
        if field.field_type in CHOICE_TYPES:
            options["initial"] = None  # nothing is chosen for the citizen
        max_length = {"singleline": SINGLELINE_MAX, "multiline": MULTILINE_MAX}.get(field.field_type)
        options["error_messages"] = messages_for(field.field_type, options["label"], max_length)
        return options

    def get_formatted_field_choices(self, field):
        """The stored value is the editor's text; what the citizen reads is in Persian digits."""
        return [
            (value, to_persian_digits(label)) for value, label in super().get_formatted_field_choices(field)
        ]

    def create_multiline_field(self, field, options):
        options["max_length"] = MULTILINE_MAX
        return super().create_multiline_field(field, options)

    def create_email_field(self, field, options):
        options["widget"] = forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"})
        return super().create_email_field(field, options)

    def create_url_field(self, field, options):
        options["widget"] = forms.URLInput(attrs={"dir": "ltr"})
        return super().create_url_field(field, options)

    def create_number_field(self, field, options):
        return PersianDecimalField(max_digits=NUMBER_MAX_DIGITS, **options)

    def create_date_field(self, field, options):
        return JalaliDateFormField(**options)

    def create_datetime_field(self, field, options):
        return JalaliDateTimeFormField(**options)

    def create_dropdown_field(self, field, options):
        options["choices"] = [("", EMPTY_CHOICE), *self.get_formatted_field_choices(field)]
        return forms.ChoiceField(**options)

    def create_radio_field(self, field, options):
        options["widget"] = GroupRadioSelect
        return super().create_radio_field(field, options)

    def create_checkboxes_field(self, field, options):
        options["widget"] = GroupCheckboxSelectMultiple
        field_object = super().create_checkboxes_field(field, options)
        field_object.initial = None  # Wagtail sets the editor's default here; nothing is chosen
        return field_object
