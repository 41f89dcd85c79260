"""نظرسنجی و پیگیری درخواست: the citizen's follow-up pages under /track/.

/track/             lookup by tracking code (POST only) → the status page
/track/workflow/    مشاهده مراحل گردش کار: the same lookup, showing the workflow
/track/status/      what the code alone shows: service, unit, Jalali date, status,
                    workflow steps with the current one marked, public history
/track/identity/    confirm identity: national code (+ SMS one-time code when
                    FOLLOWUP_OTP_REQUIRED) → unlocks that request in this session
/track/response/    the official response (+ pdf/), once unlocked
/track/survey/      فرم ثبت مشخصات شهروند, then the پرسشنامه, once unlocked
/track/history/     مشاهده سوابق درخواست ها: national code + mobile + SMS code

The tracking code never appears in a URL or a log line: the looked-up request
is kept in the session (its primary key). Internal staff notes are never read
into a citizen page's context.
"""

import hashlib
import logging
import time

from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from portal.cache import content_generation, remembered
from portal.persian import canonical_digits
from services.models import ServiceWorkflowStep

from . import otp, ratelimit, survey
from .forms import NUMERIC
from .models import OfficialResponse, RequestEvent, ServiceRequest, SurveyQuestion, SurveyResponse
from .tracking import is_valid_tracking_code
from .validators import normalise_mobile, normalise_national_code

logger = logging.getLogger(__name__)

INVALID_CODE = "کد پیگیری نامعتبر است"
NOT_FOUND = "درخواستی با این مشخصات یافت نشد. کد پیگیری و مشخصات وارد شده را بررسی کنید."
SESSION_REQUEST = "followup_request"
SESSION_UNLOCK = "followup_unlock"
SESSION_HISTORY = "followup_history"
SESSION_DETAILS = "followup_details"
SESSION_HISTORY_PENDING = "followup_history_pending"
Status = ServiceRequest.Status


def unlock_seconds():
    return int(getattr(settings, "FOLLOWUP_UNLOCK_SECONDS", 900))


def otp_required():
    return bool(getattr(settings, "FOLLOWUP_OTP_REQUIRED", False))


def code_digest(code):
    """What may be logged instead of a tracking code."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{code}".encode()).hexdigest()[:12]


# Forms -------------------------------------------------------------------------


class LookupForm(forms.Form):
    code = forms.CharField(
        label="کد پیگیری خود را وارد نمایید :",
        max_length=64,
        widget=forms.TextInput(attrs=NUMERIC),
        error_messages={"required": "کد پیگیری را وارد کنید."},
    )

    def clean_code(self):
        code = canonical_digits(self.cleaned_data["code"]).replace(" ", "").replace("-", "")
        # Every dash, space and digit form folds to ASCII digits; the check digit
        # is checked here, before any database lookup.
        if not is_valid_tracking_code(code):
            raise forms.ValidationError(INVALID_CODE)
        return code


class IdentityForm(forms.Form):
    national_code = forms.CharField(
        label="کد ملی",
        max_length=20,
        widget=forms.TextInput(attrs=NUMERIC),
        error_messages={"required": "کد ملی را وارد کنید."},
    )

    def clean_national_code(self):
        return normalise_national_code(self.cleaned_data["national_code"].replace(" ", "").replace("-", ""))


class OtpForm(forms.Form):
    otp = forms.CharField(
        label="کد تایید پیامک‌شده",
        max_length=12,
        widget=forms.TextInput(attrs={**NUMERIC, "autocomplete": "one-time-code"}),
        error_messages={"required": "کد تایید را وارد کنید."},
    )


class HistoryForm(IdentityForm):
    mobile = forms.CharField(
        label="تلفن همراه",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "dir": "ltr"}),
        error_messages={"required": "تلفن همراه را وارد کنید."},
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
            field.error_messages["required"] = f"«{field.label}» را انتخاب کنید."


class SurveyForm(forms.Form):
    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.number}"] = forms.TypedChoiceField(
                label=question.text,
                choices=survey.SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": f"به پرسش {question.number} پاسخ دهید."},
            )

    def rows(self):
        return [(question, self[f"q{question.number}"]) for question in self.questions]


# Helpers -----------------------------------------------------------------------


def track_page():
    from .models import TrackPage

    return TrackPage.objects.live().only("title", "intro", "thanks").first()


def render(request, template, context=None, status=200):
    context = dict(context or {})
    if template.endswith("lookup.html"):
        context["track_page"] = track_page()
    response = TemplateResponse(request, template, context, status=status)
    response["Cache-Control"] = "no-store, private"
    return response


# What the status page shows of a request (its service's steps are read on their own).
STATUS_FIELDS = ("service_id", "service_title", "unit_name", "submitted_at", "due_date", "status")


def current_request(request, only=None):
    """The request the session looked up: with its service, or only the given fields."""
    pk = request.session.get(SESSION_REQUEST)
    if not pk:
        return None
    queryset = ServiceRequest.objects.filter(pk=pk)
    return _one(queryset.only(*only) if only else queryset.select_related("service"))


def _one(queryset):
    """The row or None, without the ORDER BY that .first() adds (the default
    ordering by submission time would let PostgreSQL scan that index instead of
    the unique one, which grows with the table)."""
    rows = list(queryset.order_by()[:1])
    return rows[0] if rows else None


def is_unlocked(request, request_obj):
    unlock = request.session.get(SESSION_UNLOCK) or {}
    return unlock.get("pk") == request_obj.pk and unlock.get("until", 0) > time.time()


def unlock(request, request_obj):
    request.session.cycle_key()
    request.session[SESSION_REQUEST] = request_obj.pk
    request.session[SESSION_UNLOCK] = {"pk": request_obj.pk, "until": time.time() + unlock_seconds()}


EVENT_FIELDS = ("kind", "status", "from_status", "note", "created_at", "request_id")


def _is_public(event):
    hidden, note = RequestEvent.Kind.ASSIGNED, RequestEvent.Kind.NOTE
    return event.kind != hidden and not (event.kind == note and not event.note)


def request_with_public_events(pk):
    """What the status page shows: the request's STATUS_FIELDS and its public history,
    read together in one query through the events (every request has its first
    event; one without any is read on its own). Never the internal note (not even
    read from the database), never who the request is assigned to, never a note
    with only internal text (a request has a handful of events: they are sorted out
    here rather than by a negated query, which costs more to build than to run)."""
    fields = EVENT_FIELDS + tuple(f"request__{name}" for name in STATUS_FIELDS)
    events = list(
        RequestEvent.objects.filter(request_id=pk)
        .select_related("request")
        .only(*fields)
        .order_by("created_at", "pk")
    )
    if not events:
        return _one(ServiceRequest.objects.filter(pk=pk).only(*STATUS_FIELDS)), []
    request_obj = events[0].request
    for event in events:
        event.request = request_obj  # one object for every row
    return request_obj, [e for e in events if _is_public(e)]


def current_request_and_events(request):
    """The session's request and its public history (request_with_public_events)."""
    pk = request.session.get(SESSION_REQUEST)
    return request_with_public_events(pk) if pk else (None, [])


def service_steps(service_id, request=None):
    """A service's workflow steps, read once per content generation in this process."""
    if not service_id:
        return []

    def read():
        return list(ServiceWorkflowStep.objects.filter(page_id=service_id).only("title", "description"))

    token = content_generation(request) if request is not None else None
    return remembered(token, ("workflow-steps", service_id), read)


def workflow_steps(request_obj, request=None):
    """The service's steps with the current one marked: received → the first step,
    in review / referred / waiting → the second, answered or closed → the last."""
    steps = service_steps(request_obj.service_id, request)
    if not steps:
        return []
    status = request_obj.status
    if status == Status.RECEIVED:
        current = 0
    elif status in (Status.ANSWERED, Status.CLOSED):
        current = len(steps) - 1
    else:
        current = min(1, len(steps) - 1)
    done_all = status == Status.CLOSED
    return [
        {"step": step, "number": index + 1, "current": index == current, "done": index < current or done_all}
        for index, step in enumerate(steps)
    ]


def rate_limited(request):
    return render(request, "intake/track/rate_limited.html", {}, status=429)


def allow_lookup(request):
    return ratelimit.allow(request, "track", "FOLLOWUP_LOOKUP_RATE", "20/600")


# Views -------------------------------------------------------------------------


def _lookup(request, template, next_name):
    if request.GET.get("code") or request.GET.get("tracking_code"):
        return render(
            request,
            template,
            {
                "form": LookupForm(),
                "refused": "کد پیگیری را در نشانی صفحه وارد نکنید؛ از فرم زیر استفاده کنید.",
            },
            status=400,
        )
    if request.method != "POST":
        return render(request, template, {"form": LookupForm()})
    if not allow_lookup(request):
        return rate_limited(request)
    form = LookupForm(request.POST)
    if not form.is_valid():
        return render(request, template, {"form": form})
    code = form.cleaned_data["code"]
    request_obj = _one(ServiceRequest.objects.filter(tracking_code=code).only("pk"))
    if request_obj is None:
        logger.info("follow-up lookup: no request for code %s", code_digest(code))
        return render(request, template, {"form": LookupForm(), "not_found": NOT_FOUND})
    request.session.pop(SESSION_UNLOCK, None)
    if request.session.get(SESSION_REQUEST) != request_obj.pk:  # no session write for a re-check
        request.session[SESSION_REQUEST] = request_obj.pk
    return redirect(next_name)


@never_cache
@csrf_protect
def lookup(request):
    return _lookup(request, "intake/track/lookup.html", "/track/status/")


@never_cache
@csrf_protect
def workflow_lookup(request):
    return _lookup(request, "intake/track/workflow_lookup.html", "/track/status/#workflow")


@never_cache
@csrf_protect
def status(request):
    request_obj, events = current_request_and_events(request)
    if request_obj is None:
        return redirect("/track/")
    unlocked = is_unlocked(request, request_obj)
    context = {
        "req": request_obj,
        "steps": workflow_steps(request_obj, request),
        "events": events,
        "unlocked": unlocked,
        "survey_open": request_obj.status in (Status.ANSWERED, Status.CLOSED),
    }
    if unlocked:
        context["official"] = OfficialResponse.objects.filter(request=request_obj).first()
        context["survey_done"] = SurveyResponse.objects.filter(request=request_obj).exists()
    return render(request, "intake/track/status.html", context)


def _otp_purpose(request, request_obj):
    if not request.session.session_key:
        request.session.save()
    return f"request:{request_obj.pk}:{request.session.session_key}"


@never_cache
@csrf_protect
def identity(request):
    request_obj = current_request(request)
    if request_obj is None:
        return redirect("/track/")
    if request.method != "POST":
        return render(request, "intake/track/identity.html", {"req": request_obj, "form": IdentityForm()})
    if not allow_lookup(request):
        return rate_limited(request)
    if "otp" in request.POST:
        form = OtpForm(request.POST)
        pending = request.session.get("followup_otp_pending")
        if pending != request_obj.pk:
            return redirect("/track/identity/")
        if form.is_valid() and otp.verify(_otp_purpose(request, request_obj), form.cleaned_data["otp"]):
            request.session.pop("followup_otp_pending", None)
            unlock(request, request_obj)
            return redirect("/track/status/")
        return render(
            request,
            "intake/track/otp.html",
            {"req": request_obj, "form": OtpForm(), "error": "کد تایید نادرست یا منقضی است."},
        )
    form = IdentityForm(request.POST)
    if not form.is_valid():
        return render(request, "intake/track/identity.html", {"req": request_obj, "form": form})
    if form.cleaned_data["national_code"] != request_obj.national_code:
        # The same page and message as an unknown tracking code.
        request.session.pop(SESSION_REQUEST, None)
        request.session.pop(SESSION_UNLOCK, None)
        return render(request, "intake/track/lookup.html", {"form": LookupForm(), "not_found": NOT_FOUND})
    if not otp_required():
        unlock(request, request_obj)
        return redirect("/track/status/")
    otp.issue(_otp_purpose(request, request_obj), request_obj.mobile, request_obj)
    request.session["followup_otp_pending"] = request_obj.pk
    return render(request, "intake/track/otp.html", {"req": request_obj, "form": OtpForm()})


def _unlocked_request(request):
    request_obj = current_request(request)
    if request_obj is None or not is_unlocked(request, request_obj):
        return None
    return request_obj


@never_cache
@csrf_protect
def response_page(request):
    request_obj = _unlocked_request(request)
    if request_obj is None:
        return redirect("/track/identity/" if current_request(request) else "/track/")
    official = OfficialResponse.objects.filter(request=request_obj).first()
    return render(request, "intake/track/response.html", {"req": request_obj, "official": official})


@never_cache
def receipt_page(request):
    """رسید خدمت again, once unlocked (the wizard's receipt body)."""
    from .views import receipt_context

    request_obj = _unlocked_request(request)
    if request_obj is None:
        return redirect("/track/identity/" if current_request(request) else "/track/")
    return render(request, "intake/track/receipt.html", receipt_context(request_obj))


@never_cache
def response_pdf(request):
    from .pdf import render_pdf

    request_obj = _unlocked_request(request)
    if request_obj is None:
        return redirect("/track/")
    official = OfficialResponse.objects.filter(request=request_obj).first()
    if official is None:
        return redirect("/track/response/")
    pdf = render_pdf(request, "intake/track/response_pdf.html", {"req": request_obj, "official": official})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="response-{request_obj.tracking_code}.pdf"'
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
@csrf_protect
def survey_page(request):
    request_obj = _unlocked_request(request)
    if request_obj is None:
        return redirect("/track/identity/" if current_request(request) else "/track/")
    context = {"req": request_obj}
    if request_obj.status not in (Status.ANSWERED, Status.CLOSED):
        return render(request, "intake/track/survey_closed.html", context)
    if SurveyResponse.objects.filter(request=request_obj).exists():
        return render(request, "intake/track/survey_done.html", {**context, "already": True})
    details = request.session.get(SESSION_DETAILS) or {}
    if details.get("pk") != request_obj.pk:
        form = CitizenDetailsForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            request.session[SESSION_DETAILS] = {"pk": request_obj.pk, **form.cleaned_data}
            return redirect("/track/survey/")
        return render(request, "intake/track/citizen_details.html", {**context, "form": form})
    questions = list(SurveyQuestion.objects.filter(active=True).select_related("axis").order_by("number"))
    form = SurveyForm(questions, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        answers = {q.number: form.cleaned_data[f"q{q.number}"] for q in questions}
        axis_scores, overall = survey.score(questions, answers)
        try:
            with transaction.atomic():
                SurveyResponse.objects.create(
                    request=request_obj,
                    gender=details["gender"],
                    age_group=details["age_group"],
                    education=details["education"],
                    relation=details["relation"],
                    answers={str(k): v for k, v in answers.items()},
                    axis_scores=axis_scores,
                    overall_score=overall,
                )
        except IntegrityError:  # submitted twice at the same moment: one is stored
            return render(request, "intake/track/survey_done.html", {**context, "already": True})
        request.session.pop(SESSION_DETAILS, None)
        return render(request, "intake/track/survey_done.html", context)
    return render(request, "intake/track/survey.html", {**context, "form": form, "scale": survey.SCALE})


@never_cache
@csrf_protect
def history(request):
    if request.GET:
        return HttpResponseBadRequest("پارامتر نشانی پذیرفته نیست.")
    verified = request.session.get(SESSION_HISTORY) or {}
    if verified.get("until", 0) > time.time():
        requests = ServiceRequest.objects.filter(
            national_code=verified["national_code"], mobile=verified["mobile"]
        ).only("pk", "tracking_code", "service_title", "submitted_at", "status")
        return render(request, "intake/track/history_list.html", {"requests": requests})
    if request.method != "POST":
        return render(request, "intake/track/history.html", {"form": HistoryForm()})
    if not allow_lookup(request):
        return rate_limited(request)
    if not request.session.session_key:
        request.session.save()
    pending = request.session.get(SESSION_HISTORY_PENDING)
    if "otp" in request.POST and pending:
        purpose = f"history:{pending['national_code']}:{pending['mobile']}:{request.session.session_key}"
        form = OtpForm(request.POST)
        if form.is_valid() and otp.verify(purpose, form.cleaned_data["otp"]):
            request.session.cycle_key()
            request.session[SESSION_HISTORY] = {**pending, "until": time.time() + unlock_seconds()}
            request.session.pop(SESSION_HISTORY_PENDING, None)
            return redirect("/track/history/")
        return render(
            request,
            "intake/track/history_otp.html",
            {"form": OtpForm(), "error": "کد تایید نادرست یا منقضی است."},
        )
    form = HistoryForm(request.POST)
    if not form.is_valid():
        return render(request, "intake/track/history.html", {"form": form})
    national_code, mobile = form.cleaned_data["national_code"], form.cleaned_data["mobile"]
    pending = {"national_code": national_code, "mobile": mobile}
    request.session[SESSION_HISTORY_PENDING] = pending
    first = ServiceRequest.objects.filter(national_code=national_code, mobile=mobile).first()
    if first is not None:  # otherwise no SMS, but the same page (reveals nothing)
        purpose = f"history:{national_code}:{mobile}:{request.session.session_key}"
        otp.issue(purpose, mobile, first)
    return render(request, "intake/track/history_otp.html", {"form": OtpForm()})


@never_cache
@csrf_protect
def history_open(request, pk):
    """From the history list to that request's follow-up page (unlocked: the
    citizen proved the national code and the mobile with an SMS code)."""
    verified = request.session.get(SESSION_HISTORY) or {}
    if request.method != "POST" or verified.get("until", 0) <= time.time():
        return redirect("/track/history/")
    request_obj = ServiceRequest.objects.filter(
        pk=pk, national_code=verified["national_code"], mobile=verified["mobile"]
    ).first()
    if request_obj is None:
        return redirect("/track/history/")
    request.session[SESSION_REQUEST] = request_obj.pk
    request.session[SESSION_UNLOCK] = {"pk": request_obj.pk, "until": verified["until"]}
    return redirect("/track/status/")


urlpatterns = [
    path("", lookup, name="track"),
    path("workflow/", workflow_lookup, name="track-workflow"),
    path("status/", status, name="track-status"),
    path("identity/", identity, name="track-identity"),
    path("response/", response_page, name="track-response"),
    path("response/pdf/", response_pdf, name="track-response-pdf"),
    path("receipt/", receipt_page, name="track-receipt"),
    path("survey/", survey_page, name="track-survey"),
    path("history/", history, name="track-history"),
    path("history/<int:pk>/", history_open, name="track-history-open"),
]
