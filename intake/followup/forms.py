"""The follow-up's forms: the tracking-code lookup, identity, one-time code, history,
the citizen's details, the survey and the answer to missing documents. Every
message is Persian."""

from django import forms

from portal.persian import canonical_digits, to_persian_digits

from .. import survey, uploads
from ..forms import AttachmentsForm
from ..models import SurveyResponse
from ..services import objection
from ..tracking import CODE_LENGTH, is_valid_tracking_code
from ..validators import normalise_mobile, normalise_national_code

# What is wrong with a typed tracking code, and how to fix it (GOV.UK style).
CODE_NOT_DIGITS = "کد پیگیری فقط رقم دارد؛ آن را همان‌طور که در پیامک یا رسید آمده است وارد کنید."
CODE_LENGTH_WRONG = f"کد پیگیری {to_persian_digits(CODE_LENGTH)} رقم است؛ رقم‌ها را دوباره بررسی کنید."
CODE_MISTYPED = "یکی از رقم‌های کد پیگیری درست نیست؛ رقم‌ها را با پیامک یا رسید مقایسه کنید."
OTP_LENGTH = 6
OTP_FORMAT = f"کد تایید {to_persian_digits(OTP_LENGTH)} رقم است؛ رقم‌های پیامک را دوباره بررسی کنید."
OTP_WRONG = "کد تایید نادرست یا منقضی است؛ کد آخرین پیامک را وارد کنید یا کد تازه بگیرید."
# Digits typed left to right, without the browser's suggestions.
NUMERIC = {"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}


def text_errors(what):
    """Persian messages for a text field, none of Django's defaults (which quote
    lengths in Latin digits, or are not translated at all)."""
    return {
        "required": f"{what} را وارد کنید.",
        "max_length": f"{what} بیش از اندازه بلند است.",
        "null_characters_not_allowed": f"{what} نویسه‌های نامعتبر دارد.",
        "invalid": f"{what} نامعتبر است.",
    }


def choice_errors(label):
    """Persian messages for a choice: never the refused value quoted back."""
    return {
        "required": f"«{label}» را انتخاب کنید.",
        "invalid_choice": f"یکی از گزینه‌های «{label}» را انتخاب کنید.",
    }


class LookupForm(forms.Form):
    code = forms.CharField(
        label="کد پیگیری خود را وارد نمایید :",
        max_length=64,
        widget=forms.TextInput(attrs=NUMERIC),
        error_messages={
            **text_errors("کد پیگیری"),
            "required": "کد پیگیری را وارد کنید؛ آن را در پیامک ثبت درخواست یا رسید خدمت می‌یابید.",
            "max_length": CODE_LENGTH_WRONG,
        },
    )

    def clean_code(self):
        code = canonical_digits(self.cleaned_data["code"]).replace(" ", "").replace("-", "")
        # Every dash, space and digit form folds to ASCII digits; the check digit
        # is checked here, before any database lookup.
        if not (code.isascii() and code.isdigit()):
            raise forms.ValidationError(CODE_NOT_DIGITS, code="not_digits")
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(CODE_LENGTH_WRONG, code="length")
        if not is_valid_tracking_code(code):
            raise forms.ValidationError(CODE_MISTYPED, code="check_digit")
        return code


class IdentityForm(forms.Form):
    national_code = forms.CharField(
        label="کد ملی",
        max_length=20,
        widget=forms.TextInput(attrs=NUMERIC),
        error_messages=text_errors("کد ملی"),
    )

    def clean_national_code(self):
        return normalise_national_code(self.cleaned_data["national_code"].replace(" ", "").replace("-", ""))


class OtpForm(forms.Form):
    otp = forms.CharField(
        label="کد تایید پیامک‌شده",
        max_length=12,
        widget=forms.TextInput(attrs={**NUMERIC, "autocomplete": "one-time-code"}),
        error_messages={
            "required": f"کد تایید {to_persian_digits(OTP_LENGTH)} رقمی پیامک‌شده را وارد کنید.",
            "max_length": OTP_FORMAT,
            "null_characters_not_allowed": OTP_FORMAT,
            "invalid": OTP_FORMAT,
        },
    )

    def clean_otp(self):
        code = canonical_digits(self.cleaned_data["otp"]).replace(" ", "").replace("-", "")
        if not (code.isascii() and code.isdigit() and len(code) == OTP_LENGTH):
            raise forms.ValidationError(OTP_FORMAT, code="format")
        return code

    def refuse(self):
        """The code was checked and is wrong (or expired, or used up): a field error."""
        self.add_error("otp", forms.ValidationError(OTP_WRONG, code="wrong"))


class HistoryForm(IdentityForm):
    mobile = forms.CharField(
        label="تلفن همراه",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "dir": "ltr"}),
        error_messages=text_errors("تلفن همراه"),
    )

    def clean_mobile(self):
        return normalise_mobile(self.cleaned_data["mobile"])


class CitizenDetailsForm(forms.Form):
    gender = forms.ChoiceField(label="جنسیت", choices=SurveyResponse.Gender.choices, widget=forms.RadioSelect)
    age_group = forms.ChoiceField(
        label="گروه سنی", choices=SurveyResponse.AgeGroup.choices, widget=forms.RadioSelect
    )
    education = forms.ChoiceField(
        label="تحصیلات", choices=SurveyResponse.Education.choices, widget=forms.RadioSelect
    )
    relation = forms.ChoiceField(
        label="نسبت شما با متقاضی", choices=SurveyResponse.Relation.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.update(choice_errors(field.label))


class SurveyForm(forms.Form):
    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        low, high = survey.SCALE[0][1], survey.SCALE[-1][1]
        for question in questions:
            number = to_persian_digits(question.number)
            self.fields[f"q{question.number}"] = forms.TypedChoiceField(
                label=question.text,
                choices=survey.SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"برای پرسش {number} یک گزینه انتخاب کنید.",
                    "invalid_choice": f"برای پرسش {number} یکی از گزینه‌های «{low}» تا «{high}» را انتخاب کنید.",
                },
            )

    def rows(self):
        return [(question, self[f"q{question.number}"]) for question in self.questions]


class AnswerForm(AttachmentsForm):
    """«ارسال مدارک و پاسخ»: a text and up to two files, checked by the wizard's own
    attachment form (intake.forms.AttachmentsForm: uploads.check_upload — size, type
    by content, re-encoding, active-PDF refusal, the virus scanner when configured)."""

    text = forms.CharField(
        label="متن پاسخ",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
        error_messages={
            **text_errors("متن پاسخ"),
            "required": "متن پاسخ را بنویسید: چه مدارکی فرستاده‌اید یا توضیح شما درباره آنچه خواسته شده است.",
            "max_length": "متن پاسخ بیش از ۲۰۰۰ نویسه است؛ آن را کوتاه‌تر کنید.",
        },
    )
    field_order = ["text", "file1", "file2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, existing=(), **kwargs)
        del self.fields["remove"]

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(self.fields["text"].error_messages["required"], code="required")
        return text

    def clean(self):
        # Files beyond the form's two fields (a crafted request) are refused, not dropped.
        sent = sum(len(self.files.getlist(name)) for name in self.files) if self.files else 0
        if sent > uploads.MAX_FILES:
            self.checked = []
            raise forms.ValidationError(uploads.MESSAGES["too_many"], code="too_many")
        return super().clean()


class ObjectionForm(AnswerForm):
    """«ثبت اعتراض»: the answer form's text and two files, with the objection's words
    (intake.services.objection)."""

    text = forms.CharField(
        label="متن اعتراض",
        max_length=objection.OBJECTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": objection.OBJECTION_MAX_LENGTH}),
        help_text="بنویسید به کدام بخش پاسخ و به چه دلیل اعتراض دارید؛ مدرکی اگر دارید پیوست کنید.",
        error_messages={
            **text_errors("متن اعتراض"),
            "required": objection.EMPTY_TEXT,
            "max_length": objection.TOO_LONG,
        },
    )
