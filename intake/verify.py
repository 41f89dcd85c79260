"""The public verification page of official letters (docs/letters.md):

/verify/             a letter number and its date typed in, or an address scanned
/verify/<guid>/      the letter's public facts: it exists, its number, date,
                     organisation, subject, the SHA-256 of the issued PDF, whether
                     it was replaced, the signature check; and a PDF may be
                     uploaded to check it is byte for byte the issued one.

Never the citizen's name, national code or the letter's text. An unknown
address gets the same page with the facts left out. Every view counts against
LETTER_VERIFY_RATE per client address.
"""

import uuid

from django import forms
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from portal.jalali import JalaliDateFormField
from portal.persian import canonical_digits

from . import letters, ratelimit
from .models import OfficialResponse

NUMBER_WRONG = "شماره نامه را مانند ۱۴۰۵/۰۰۰۱۲۳ وارد کنید."
FILE_EMPTY = "فایل انتخاب‌شده خالی است؛ فایل PDF نامه را انتخاب کنید."
FILE_NOT_PDF = "این فایل PDF نیست؛ فایل PDF نامه را انتخاب کنید."
FILE_TOO_BIG = "حجم فایل بیش از ۱۰ مگابایت است؛ فایل PDF نامه را انتخاب کنید."
FILE_REQUIRED = "فایل PDF نامه را انتخاب کنید."
NOT_FOUND = "نامه‌ای با این مشخصات در سامانه صادر نشده است."


class LookupForm(forms.Form):
    number = forms.CharField(
        label="شماره نامه",
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
        error_messages={"required": "شماره نامه را وارد کنید.", "max_length": NUMBER_WRONG},
    )
    date = JalaliDateFormField(label="تاریخ نامه", help_text="به تاریخ شمسی، مانند ۱۴۰۵/۰۹/۱۳")

    def clean_number(self):
        number = canonical_digits(self.cleaned_data["number"]).replace(" ", "").replace("\\", "/")
        year, _, serial = number.partition("/")
        if not (len(year) == 4 and year.isdigit() and serial.isdigit() and 0 < len(serial) <= 6):
            raise forms.ValidationError(NUMBER_WRONG, code="number")
        return f"{year}/{int(serial):06d}"


class UploadForm(forms.Form):
    document = forms.FileField(
        label="فایل PDF نامه",
        error_messages={"required": FILE_REQUIRED, "empty": FILE_EMPTY, "invalid": FILE_NOT_PDF},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > letters.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(FILE_TOO_BIG, code="too_big")
        data = upload.read()
        if not data:
            raise forms.ValidationError(FILE_EMPTY, code="empty")
        if not data[:1024].lstrip().startswith(b"%PDF-"):
            raise forms.ValidationError(FILE_NOT_PDF, code="not_pdf")
        return data


LIMITED = {"counted": "بررسی‌ها", "back_url": "/verify/", "back_label": "بررسی اصالت نامه"}


def limited(view):
    def wrapper(request, *args, **kwargs):
        if not ratelimit.allow(request, "verify", "LETTER_VERIFY_RATE", "30/600"):
            return TemplateResponse(request, "intake/track/rate_limited.html", LIMITED, status=429)
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def public_facts(response):
    """What anyone may see of a letter: no personal data, no text."""
    try:
        check = letters.check_signature(letters.stored_pdf(response)) if response.pdf else None
    except OSError:
        check = None
    replaced_by = OfficialResponse.objects.filter(replaces=response).only("number", "guid").first()
    return {
        "number": response.number,
        "date": response.response_date,
        "issued_at": response.created_at,
        "organisation": response.organisation_name,
        "subject": response.subject,
        "sha256": response.pdf_sha256,
        "replaced_by": replaced_by,
        "replaces": response.replaces,
        "signature": check,
    }


@never_cache
@limited
def lookup(request):
    form = LookupForm(request.GET or None)
    not_found = ""
    if form.is_bound and form.is_valid():
        found = (
            OfficialResponse.objects.filter(
                number=form.cleaned_data["number"], response_date=form.cleaned_data["date"]
            )
            .only("guid")
            .first()
        )
        if found is not None:
            return redirect("letter_verify", found.guid)
        not_found = NOT_FOUND
    return TemplateResponse(request, "intake/verify/lookup.html", {"form": form, "not_found": not_found})


@never_cache
@limited
def letter(request, guid):
    try:
        key = uuid.UUID(str(guid))
    except ValueError:
        key = None
    response = OfficialResponse.objects.filter(guid=key).select_related("replaces").first() if key else None
    upload_form = UploadForm()
    comparison = None
    status = 200
    if request.method == "POST":
        upload_form = UploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            data = upload_form.cleaned_data["document"]
            sha = letters.sha256(data)
            comparison = {
                "sha256": sha,
                "identical": response is not None
                and bool(response.pdf_sha256)
                and sha == response.pdf_sha256,
                "signature": letters.check_signature(data),
            }
            upload_form = UploadForm()
        else:
            status = 400
    context = {
        "found": response is not None,
        "facts": public_facts(response) if response is not None else None,
        "upload_form": upload_form,
        "comparison": comparison,
        "not_found": "" if response is not None else NOT_FOUND,
    }
    return TemplateResponse(request, "intake/verify/letter.html", context, status=status)


urlpatterns = [
    path("", lookup, name="letter_verify_lookup"),
    path("<str:guid>/", letter, name="letter_verify"),
]
