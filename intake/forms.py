"""One form per wizard step. Every message is Persian; every value is cleaned to
its storage form (ASCII digits, Persian letters, no bidi controls)."""

import datetime

import jdatetime
from django import forms
from django.core.exceptions import ValidationError

from portal.jalali import JalaliDateFormField, JalaliDateInput
from portal.persian import canonical_digits, to_persian_digits, visible_length

from . import uploads, validators

STEPS = (
    (1, "پیش مقدمه سامانه"),
    (2, "مشخصات درخواست"),
    (3, "ضمائم درخواست"),
    (4, "مشخصات ارباب رجوع"),
    (5, "مراجعه به سازمان"),
    (6, "بررسی و ثبت نهایی"),
)
STEP_NUMBERS = tuple(number for number, _ in STEPS)
CHOOSE_STEP = 0
DEFAULT_REQUEST_TEXT_MAX = 2000
VISIT_DESCRIPTION_MAX = 1000
ADDRESS_MAX = 500
NUMERIC = {"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}
LONG_NUMBER = "این شماره بیش از حد طولانی است؛ فقط رقم‌های شماره را وارد کنید."
LONG_NAME = "حداکثر ۱۰۰ نویسه مجاز است؛ آن را کوتاه‌تر کنید."
SERVICE_ID_MESSAGE = "شناسه خدمت ۱۱ رقم است (مانند ۱۰۰۱۲۱۳۵۰۰۰)؛ رقم‌ها را دوباره بررسی کنید."
NUL_MESSAGE = "نویسه‌های نامعتبر (نویسه تهی) در متن هست؛ آن را دوباره تایپ کنید."


def _persian_required(field):
    """Django's English «This field is required» becomes ««label» را وارد کنید.»,
    its «Null characters are not allowed.» a Persian message; required fields say
    so to assistive technology."""
    field.error_messages["null_characters_not_allowed"] = NUL_MESSAGE
    if str(field.error_messages.get("required")) == str(forms.Field.default_error_messages["required"]):
        field.error_messages["required"] = f"«{field.label.rstrip(' :')}» را وارد کنید."
    if field.required:
        field.widget.attrs.setdefault("aria-required", "true")


class WizardForm(forms.Form):
    """Persian required messages and aria-required on the form's own fields (Django
    copies the declared fields for every form); a field with an error gets
    aria-invalid and aria-describedby from Django itself."""

    error_css_class = "field--error"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _persian_required(field)

    def storage_data(self):
        """The cleaned values as strings, ready to be bound again."""
        data = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, bool):
                data[name] = "on" if value else ""
            elif isinstance(value, datetime.date):
                jvalue = jdatetime.date.fromgregorian(date=value)
                data[name] = f"{jvalue.year:04d}/{jvalue.month:02d}/{jvalue.day:02d}"
            elif value is None or hasattr(value, "read"):
                continue
            else:
                data[name] = str(value)
        return data


class ServiceChoiceMixin:
    """واحد سازمانی → نوع خدمت (only that unit's services) → شناسه خدمت."""

    def add_service_fields(self, services):
        self.services = list(services)
        units = {}
        for service in self.services:
            units.setdefault(service.unit_id, service.unit)
        self.units = list(units.values())
        unit_value = str(self._raw("unit") or "")
        service_value = canonical_digits(self._raw("service") or "")
        if not unit_value and service_value:
            match = next((s for s in self.services if s.service_id == service_value), None)
            unit_value = str(match.unit_id) if match else ""
        self.fields["unit"] = forms.ChoiceField(
            label="واحد سازمانی",
            choices=[("", "واحد سازمانی را انتخاب کنید")] + [(str(u.pk), u.name) for u in self.units],
            error_messages={
                "required": "«واحد سازمانی» را انتخاب کنید.",
                "invalid_choice": "واحد سازمانی انتخاب‌شده معتبر نیست؛ یکی از واحدهای فهرست را انتخاب کنید.",
            },
        )
        _persian_required(self.fields["unit"])
        self.unit_services = [s for s in self.services if str(s.unit_id) == unit_value]
        self.fields["service"] = forms.ChoiceField(
            label="نوع خدمت",
            choices=[("", "نوع خدمت را انتخاب کنید")] + [(s.service_id, s.title) for s in self.unit_services],
            error_messages={
                "invalid_choice": "این خدمت در واحد انتخاب‌شده ارائه نمی‌شود؛ خدمت دیگری انتخاب کنید."
            },
            required=False,
        )
        self.fields["service_id"] = forms.CharField(
            label="شناسه خدمت",
            required=False,
            max_length=40,
            help_text="۱۱ رقم؛ با انتخاب نوع خدمت پر می‌شود و قابل تغییر است.",
            error_messages={"max_length": SERVICE_ID_MESSAGE},
            widget=forms.TextInput(attrs=dict(NUMERIC)),
        )

    def _raw(self, name):
        if self.is_bound:
            return self.data.get(self.add_prefix(name))
        return self.initial.get(name)

    def clean_service_id(self):
        value = canonical_digits(self.cleaned_data.get("service_id") or "")
        if value and not (value.isascii() and value.isdigit() and len(value) == 11):
            raise ValidationError(SERVICE_ID_MESSAGE)
        return value

    def clean_service_choice(self, cleaned):
        typed = cleaned.get("service_id") or ""
        selected = cleaned.get("service") or ""
        by_code = {s.service_id: s for s in self.services}
        if "service_id" in self.errors:
            return cleaned
        if typed and typed != selected:
            service = by_code.get(typed)
            if service is None:
                self.add_error(
                    "service_id",
                    "خدمتی با این شناسه یافت نشد یا درخواست برخط نمی‌پذیرد؛ "
                    "شناسه را بررسی کنید یا خدمت را از فهرست «نوع خدمت» انتخاب کنید.",
                )
                return cleaned
        elif selected:
            service = by_code.get(selected)
        else:
            if "service" not in self.errors:
                self.add_error("service", "«نوع خدمت» را انتخاب کنید.")
            return cleaned
        cleaned["service"] = service.service_id
        cleaned["service_id"] = service.service_id
        cleaned["unit"] = str(service.unit_id)
        self.service = service
        return cleaned


class ChooseServiceForm(ServiceChoiceMixin, WizardForm):
    agree = forms.BooleanField(
        label="قوانین و آیتم ها را مطالعه نموده ام و موافقم",
        error_messages={"required": "برای ادامه باید قوانین را مطالعه کرده و با آن موافقت کنید."},
    )
    field_order = ["unit", "service", "service_id", "agree"]

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.service = None
        self.add_service_fields(services)
        self.order_fields(self.field_order)

    def clean(self):
        return self.clean_service_choice(super().clean())


class RequestDetailsForm(ServiceChoiceMixin, WizardForm):
    field_order = ["unit", "service", "service_id", "request_text"]

    def __init__(self, *args, services=(), max_length=DEFAULT_REQUEST_TEXT_MAX, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = None
        self.add_service_fields(services)
        self.fields["request_text"] = forms.CharField(
            label="متن درخواست",
            max_length=max_length,
            min_length=10,
            help_text=f"حداکثر {to_persian_digits(max_length)} نویسه.",
            widget=forms.Textarea(attrs={"rows": 6, "maxlength": max_length}),
            error_messages={
                "required": "«متن درخواست» را وارد کنید.",
                "max_length": f"متن درخواست حداکثر {to_persian_digits(max_length)} نویسه است؛ آن را کوتاه‌تر کنید.",
                "min_length": "متن درخواست دست‌کم ۱۰ نویسه باشد.",
            },
        )
        self.order_fields(self.field_order)

    def clean_request_text(self):
        text = validators.normalise_free_text(self.cleaned_data["request_text"])
        if visible_length(text) < 10:
            raise ValidationError("متن درخواست دست‌کم ۱۰ نویسه باشد.")
        return text

    def clean(self):
        return self.clean_service_choice(super().clean())


class AttachmentsForm(WizardForm):
    file1 = forms.FileField(label="فایل پیوست ۱", required=False)
    file2 = forms.FileField(label="فایل پیوست ۲", required=False)
    remove = forms.MultipleChoiceField(
        label="حذف پیوست",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "پیوستی که برای حذف انتخاب شد پیدا نشد؛ این مرحله را دوباره باز کنید.",
            "invalid_list": "پیوستی که برای حذف انتخاب شد پیدا نشد؛ این مرحله را دوباره باز کنید.",
        },
    )

    def __init__(self, *args, existing=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = list(existing)
        self.fields["remove"].choices = [(str(f.pk), f.original_name) for f in self.existing]
        accept = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
        for name in ("file1", "file2"):
            self.fields[name].widget.attrs.update(
                {"accept": accept, "data-max-bytes": uploads.MAX_FILE_BYTES}
            )
            self.fields[name].error_messages.update(
                {
                    "invalid": "فایل ارسال‌شده معتبر نیست؛ فایل دیگری انتخاب کنید.",
                    "empty": "فایل ارسال‌شده خالی است؛ فایل دیگری انتخاب کنید.",
                }
            )
        self.checked = []

    def _clean_file(self, name):
        uploaded = self.cleaned_data.get(name)
        if not uploaded:
            return None
        try:
            return uploads.check_upload(uploaded)
        except ValidationError as error:
            self.add_error(name, error)
            return None

    def clean(self):
        cleaned = super().clean()
        self.checked = [result for result in (self._clean_file("file1"), self._clean_file("file2")) if result]
        removed = set(cleaned.get("remove") or [])
        keep = [f for f in self.existing if str(f.pk) not in removed]
        if len(keep) + len(self.checked) > uploads.MAX_FILES:
            self.checked = []
            raise ValidationError(uploads.MESSAGES["too_many"], code="too_many")
        return cleaned


class CitizenForm(WizardForm):
    national_code = forms.CharField(
        label="شماره ملی",
        max_length=40,
        error_messages={"max_length": LONG_NUMBER},
        widget=forms.TextInput(attrs={**NUMERIC, "placeholder": "شماره ملی را وارد کنید"}),
    )
    first_name = forms.CharField(
        label="نام",
        max_length=100,
        error_messages={"max_length": LONG_NAME},
        widget=forms.TextInput(attrs={"placeholder": "نام را وارد کنید"}),
    )
    last_name = forms.CharField(
        label="نام خانوادگی",
        max_length=100,
        error_messages={"max_length": LONG_NAME},
        widget=forms.TextInput(attrs={"placeholder": "نام خانوادگی را وارد کنید"}),
    )
    mobile = forms.CharField(
        label="تلفن همراه",
        max_length=40,
        error_messages={"max_length": LONG_NUMBER},
        widget=forms.TextInput(
            attrs={**NUMERIC, "placeholder": "شماره تلفن را وارد کنید", "autocomplete": "tel"}
        ),
    )
    landline = forms.CharField(
        label="تلفن ثابت",
        max_length=40,
        error_messages={"max_length": LONG_NUMBER},
        required=False,
        help_text="با پیش‌شماره شهر، مانند ۰۲۱۱۲۳۴۵۶۷۸",
        widget=forms.TextInput(attrs=dict(NUMERIC)),
    )
    email = forms.EmailField(
        label="ایمیل",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
        error_messages={
            "invalid": "نشانی ایمیل معتبر نیست؛ آن را به شکل name@example.com وارد کنید.",
            "max_length": "نشانی ایمیل حداکثر ۲۵۴ نویسه است؛ نشانی درست را وارد کنید.",
        },
    )
    address = forms.CharField(
        label="آدرس",
        required=False,
        max_length=ADDRESS_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": ADDRESS_MAX}),
        error_messages={"max_length": "آدرس حداکثر ۵۰۰ نویسه است؛ آن را کوتاه‌تر کنید."},
    )

    def clean_national_code(self):
        return validators.normalise_national_code(self.cleaned_data["national_code"])

    def _clean_name(self, name):
        value = validators.normalise_name(self.cleaned_data[name])
        if not value:
            raise ValidationError(self.fields[name].error_messages["required"], code="required")
        return value

    def clean_first_name(self):
        return self._clean_name("first_name")

    def clean_last_name(self):
        return self._clean_name("last_name")

    def clean_mobile(self):
        return validators.normalise_mobile(self.cleaned_data["mobile"])

    def clean_landline(self):
        value = self.cleaned_data.get("landline") or ""
        return validators.normalise_landline(value) if value.strip() else ""

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean_address(self):
        return validators.normalise_free_text(self.cleaned_data.get("address") or "")


class VisitForm(WizardForm):
    officer = forms.ChoiceField(
        label="نام و نام خانوادگی متصدی",
        error_messages={
            "required": "«نام و نام خانوادگی متصدی» را انتخاب کنید.",
            "invalid_choice": "متصدی انتخاب‌شده معتبر نیست.",
        },
    )
    visit_date = JalaliDateFormField(
        label="تاریخ مراجعه",
        help_text="به تاریخ شمسی، مانند ۱۴۰۵/۰۹/۰۳",
        widget=JalaliDateInput(attrs={"data-jdp": ""}),
        error_messages={"required": "«تاریخ مراجعه» را وارد کنید."},
    )
    previous_visit_result = forms.ChoiceField(
        label="نتیجه مراجعه قبلی در صورت وجود",
        required=False,
        error_messages={
            "invalid_choice": "گزینه انتخاب‌شده معتبر نیست؛ یکی از گزینه‌های فهرست را انتخاب کنید."
        },
    )
    visit_description = forms.CharField(
        label="شرح مراجعه",
        required=False,
        max_length=VISIT_DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": VISIT_DESCRIPTION_MAX}),
        error_messages={"max_length": "شرح مراجعه حداکثر ۱۰۰۰ نویسه است؛ آن را کوتاه‌تر کنید."},
    )

    def __init__(self, *args, officers=(), result_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.officers = list(officers)
        officer = self.fields["officer"]
        officer.choices = [("", "متصدی را انتخاب کنید")] + [
            (str(o.pk), f"{o.full_name} — {o.position}") for o in self.officers
        ]
        officer.required = bool(self.officers)
        if not officer.required:
            officer.widget.attrs.pop("aria-required", None)
        self.fields["previous_visit_result"].choices = [("", "نتیجه مراجعه را انتخاب کنید")] + [
            (choice, choice) for choice in result_choices
        ]

    def clean_visit_date(self):
        value = self.cleaned_data.get("visit_date")
        if value is not None:
            year = jdatetime.date.fromgregorian(date=value).year
            if not 1300 <= year <= 1499:
                raise ValidationError("تاریخ مراجعه را به تاریخ شمسی درست وارد کنید، مانند ۱۴۰۵/۰۹/۰۳.")
        return value

    def clean_visit_description(self):
        return validators.normalise_free_text(self.cleaned_data.get("visit_description") or "")

    def officer_object(self):
        pk = self.cleaned_data.get("officer")
        return next((o for o in self.officers if str(o.pk) == pk), None)


class FinalForm(WizardForm):
    """Step 6 has no fields: the POST carries only the CSRF token."""
