"""The action forms on a request's admin page. Each carries the status (and for
assignment the assignee) the staff member saw, so a form that another staff
member's action overtook is refused with a Persian message and nothing written."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from intake import services
from intake.models import OfficialResponse, ServiceRequest, Signatory
from intake.services.workflow import NEXT_DATE_PAST
from portal.jalali import DATE_HINT, JalaliDateFormField
from portal.persian import small_number, to_persian_digits
from services.models import OrgUnit

from . import scoping
from .text import NOTE_MAX, RESPONSE_TEXT_MAX, staff_text

Status = ServiceRequest.Status
TEXTAREA = {"rows": 3}


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses anything but a small whole number before asking
    the database (portal.persian.small_number: a 400-digit number overflowed SQLite's
    integers: a 500)."""

    def to_python(self, value):
        if value not in self.empty_values and small_number(value) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class StaffTextField(forms.CharField):
    """A note or a part of the official response: bounded, NUL refused (Django's own
    validator), then kept in desk.text's stored form; text with nothing visible in it
    counts as empty (so a required one is refused)."""

    def __init__(self, *, max_length=NOTE_MAX, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs=TEXTAREA))
        super().__init__(max_length=max_length, **kwargs)

    def clean(self, value):
        value = staff_text(super().clean(value))
        if self.required and not value:
            raise forms.ValidationError("این بخش را کامل کنید.", code="required")
        return value


class NextDateField(JalaliDateFormField):
    """«تاریخ اقدام بعدی»: a date staff announce for the next step (a visit…), today or
    later; the citizen sees it on the follow-up page and in the SMS. In the note form
    only: the status form keeps no text input, where Enter would change a status."""

    def __init__(self, **kwargs):
        super().__init__(
            label="تاریخ اقدام بعدی",
            required=False,
            help_text=f"اختیاری؛ {DATE_HINT}. مانند روز مراجعه یا بازدید؛ به شهروند نشان داده و پیامک می‌شود.",
            **kwargs,
        )

    def validate(self, value):
        super().validate(value)
        if value and value < timezone.localdate():
            raise forms.ValidationError(NEXT_DATE_PAST, code="past")


class ActionForm(forms.Form):
    expected_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)

    def __init__(self, *args, request_obj, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("expected_status", request_obj.status)
        super().__init__(*args, **kwargs)
        self.request_obj = request_obj


class StatusForm(ActionForm):
    prefix = "status"

    to_status = forms.ChoiceField(
        label="وضعیت جدید",
        choices=(),
        error_messages={
            "required": "«وضعیت جدید» را انتخاب کنید.",
            "invalid_choice": "این تغییر وضعیت از وضعیت کنونی مجاز نیست.",
        },
    )
    unit = IdChoiceField(
        label="واحد مقصد ارجاع",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="— انتخاب کنید —",
        help_text="فقط برای «ارجاع شده»: درخواست به کارشناسان این واحد سپرده می‌شود.",
    )
    public_note = StaffTextField(
        label="توضیح برای شهروند",
        required=False,
        help_text="در صفحه پیگیری به شهروند نشان داده می‌شود.",
        # «n» focuses it (Wagtail's keyboard shortcuts; listed in its shortcuts dialog).
        widget=forms.Textarea(
            attrs={
                **TEXTAREA,
                "aria-keyshortcuts": "n",
                "data-controller": "w-kbd",
                "data-w-kbd-action-value": "focus",
            }
        ),
    )
    internal_note = StaffTextField(
        label="یادداشت داخلی",
        required=False,
        help_text="فقط کارکنان می‌بینند.",
    )

    confirm_final = forms.BooleanField(
        label="می‌دانم «مختومه» وضعیت پایانی است و درخواست دیگر باز نمی‌شود",
        required=False,
        help_text="فقط برای «مختومه»: این تغییر بازگشت‌پذیر نیست.",
    )

    def __init__(self, *args, request_obj, **kwargs):
        super().__init__(*args, request_obj=request_obj, **kwargs)
        # Nothing preselected; the allowed moves in the workflow's order (the order of
        # Status); «پاسخ داده شده» only through the official response form.
        allowed = set(services.allowed_transitions(request_obj.status)) - {Status.ANSWERED}
        self.fields["to_status"].choices = [("", "— وضعیت جدید را انتخاب کنید —")] + [
            (status.value, status.label) for status in Status if status in allowed
        ]
        if not allowed & services.FINAL_STATUSES:
            del self.fields["confirm_final"]
        self.fields["unit"].queryset = OrgUnit.objects.exclude(pk=request_obj.unit_id).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("to_status") in services.FINAL_STATUSES and not data.get("confirm_final"):
            label = Status(data["to_status"]).label
            self.add_error(
                "confirm_final",
                f"«{label}» وضعیت پایانی است و بازگشت‌پذیر نیست؛ برای ادامه، تأیید را علامت بزنید.",
            )
        if data.get("to_status") == Status.WAITING and not (data.get("public_note") or "").strip():
            # What is missing: the citizen reads it on the follow-up page and answers it.
            self.add_error("public_note", services.WAITING_NOTE_REQUIRED)
        if data.get("to_status") == Status.REFERRED and not data.get("unit"):
            self.add_error("unit", "برای ارجاع، واحد مقصد را انتخاب کنید.")
        if data.get("to_status") != Status.REFERRED:
            data["unit"] = None
        return data


class AssignForm(ActionForm):
    prefix = "assign"

    assignee = IdChoiceField(
        label="کارشناس مسئول",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="— هیچ‌کس —",
    )
    expected_assignee = forms.CharField(required=False, widget=forms.HiddenInput)
    internal_note = StaffTextField(label="یادداشت داخلی", required=False)

    def __init__(self, *args, request_obj, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("expected_assignee", str(request_obj.assignee_id or ""))
        kwargs["initial"].setdefault("assignee", request_obj.assignee_id)
        super().__init__(*args, request_obj=request_obj, **kwargs)
        field = self.fields["assignee"]
        field.queryset = scoping.assignable_staff(request_obj)
        field.label_from_instance = lambda user: user.get_full_name() or user.get_username()


class NoteForm(ActionForm):
    prefix = "note"

    public_note = StaffTextField(
        label="توضیح برای شهروند",
        required=False,
        help_text="در صفحه پیگیری به شهروند نشان داده می‌شود.",
    )
    internal_note = StaffTextField(label="یادداشت داخلی", required=False)
    next_date = NextDateField()

    def clean(self):
        data = super().clean()
        texts = (data.get("public_note") or "").strip() or (data.get("internal_note") or "").strip()
        if not texts and not data.get("next_date") and not self.has_error("next_date"):
            raise forms.ValidationError("متن یادداشت یا تاریخ اقدام بعدی را بنویسید.")
        return data


class ResponseForm(ActionForm):
    """The official response (SPEC.md section 4). Its number, date and the citizen's
    name and national code are filled in when it is issued."""

    prefix = "response"

    legal_grounds = StaffTextField(
        max_length=RESPONSE_TEXT_MAX,
        label="مستندات قانونی و استدلال های منجر به پاسخ ارائه شده",
    )
    content = StaffTextField(max_length=RESPONSE_TEXT_MAX, label="مفاد اصلی پاسخ")
    appeal = StaffTextField(
        max_length=RESPONSE_TEXT_MAX,
        label="اعلام مرجع و مهلت اعتراض به پاسخ (تصمیم)",
    )
    notes = StaffTextField(max_length=RESPONSE_TEXT_MAX, label="توضیحات", required=False)
    objection_unit = IdChoiceField(
        label="مرجع رسیدگی به اعتراض",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="— همان که خدمت تعیین کرده —",
        error_messages={"invalid_choice": "این واحد در فهرست واحدها نیست."},
        help_text="اعتراض شهروند به این پاسخ، درخواستی تازه برای کارشناسان این واحد می‌شود.",
    )
    objection_days = forms.IntegerField(
        label="مهلت اعتراض (روز کاری)",
        min_value=1,
        max_value=90,
        required=False,
        error_messages={
            "invalid": "مهلت اعتراض را با عدد بنویسید.",
            "min_value": "مهلت اعتراض دست‌کم ۱ روز کاری است.",
            "max_value": "مهلت اعتراض بیش از ۹۰ روز کاری نمی‌شود.",
        },
        help_text="از تاریخ صدور پاسخ؛ پس از آن شهروند نمی‌تواند برخط اعتراض کند.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    signer = forms.ModelChoiceField(
        queryset=Signatory.objects.none(),
        required=False,
        label="امضاکننده",
        empty_label="خودم (کارشناس صادرکننده)",
        help_text="نام، سمت و کد ملی امضاکننده در نامه و کد QR شمس می‌آید (امضاکنندگان در تنظیمات).",
    )
    internal_note = StaffTextField(label="یادداشت داخلی", required=False)

    def __init__(self, *args, request_obj, **kwargs):
        super().__init__(*args, request_obj=request_obj, **kwargs)
        # The unit heads of the request's unit may sign for it.
        self.fields["signer"].queryset = Signatory.objects.filter(unit_head=True, unit_id=request_obj.unit_id)
        # Where and until when the citizen may object: the service's defaults.
        unit, days = services.objection_defaults(request_obj)
        units = OrgUnit.objects.order_by("name")
        if unit is not None:  # the units in the request's own language, not their translations
            units = units.filter(locale_id=unit.locale_id)
        self.fields["objection_unit"].queryset = units
        self.fields["objection_unit"].initial = unit.pk if unit else None
        self.fields["objection_days"].initial = to_persian_digits(days)
        self.replaces = OfficialResponse.objects.current().filter(request=request_obj).first()
        if self.replaces is not None:
            self.fields["content"].help_text = (
                f"پاسخ اصلاحی: جایگزین پاسخ شماره {to_persian_digits(self.replaces.number)} می‌شود؛"
                " نامه پیشین بی‌تغییر می‌ماند و در صفحه بررسی اصالت «جایگزین شده» نشان داده می‌شود."
            )

    def clean(self):
        data = super().clean()
        for name in ("legal_grounds", "content", "appeal"):
            if name in data and not data[name].strip():
                self.add_error(name, "این بخش را کامل کنید.")
        return data


FORMS = {"status": StatusForm, "assign": AssignForm, "note": NoteForm, "response": ResponseForm}
