"""نظرسنجی و پیگیری درخواست: the citizen's follow-up pages under /track/
(intake.followup.urls).

/track/             lookup by tracking code (POST only) → the status page
/track/workflow/    مشاهده مراحل گردش کار: the same lookup, showing the workflow
/track/status/      what the code alone shows: service, unit, Jalali date, status,
                    workflow steps with the current one marked, public history
/track/answer/      «ارسال مدارک و پاسخ» (POST), once unlocked, while staff ask for
                    missing documents: a text and up to two files
/track/identity/    confirm identity: national code (+ SMS one-time code when
                    FOLLOWUP_OTP_REQUIRED) → unlocks that request in this session
/track/response/    the official response (+ pdf/), once unlocked, and «اعتراض به پاسخ»
/track/objection/   «ثبت اعتراض» (POST), once unlocked, within the response's objection
                    deadline: a text and up to two files → a new linked request,
                    unlocked in this session, whose receipt page follows
/track/receipt/     the service receipt again, once unlocked
/track/survey/      فرم ثبت مشخصات شهروند, then the پرسشنامه, once unlocked
/track/history/     مشاهده سوابق درخواست ها: national code + mobile + SMS code

The tracking code never appears in a URL or a log line: the looked-up request
is kept in the session (its primary key). Every response is no-store.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from .. import letters, otp, ratelimit, services, survey
from ..models import OfficialResponse, ServiceRequest, SurveyQuestion, SurveyResponse, TrackPage
from ..receipts import receipt_context
from .forms import (
    AnswerForm,
    CitizenDetailsForm,
    HistoryForm,
    IdentityForm,
    LookupForm,
    ObjectionForm,
    OtpForm,
    SurveyForm,
)
from .queries import one, request_with_public_events, workflow_steps

logger = logging.getLogger(__name__)

NOT_FOUND = "درخواستی با این مشخصات یافت نشد. کد پیگیری و مشخصات وارد شده را بررسی کنید."
SESSION_REQUEST = "followup_request"
SESSION_UNLOCK = "followup_unlock"
SESSION_HISTORY = "followup_history"
SESSION_DETAILS = "followup_details"
SESSION_HISTORY_PENDING = "followup_history_pending"
SESSION_OTP_PENDING = "followup_otp_pending"
SESSION_ANSWERED = "followup_answered"
ANSWER_LOCKED = "برای ارسال مدارک و پاسخ، ابتدا هویت خود را برای همین درخواست تایید کنید."
OBJECTION_LOCKED = "برای ثبت اعتراض، ابتدا هویت خود را برای همین درخواست تایید کنید."
SESSION_OBJECTED = "followup_objected"
Status = ServiceRequest.Status


def unlock_seconds():
    return int(getattr(settings, "FOLLOWUP_UNLOCK_SECONDS", 900))


def otp_required():
    return bool(getattr(settings, "FOLLOWUP_OTP_REQUIRED", False))


def code_digest(code):
    """What may be logged instead of a tracking code."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{code}".encode()).hexdigest()[:12]


def track_page():
    """The live TrackPage in the active language (else the first one), or None:
    its title and intro texts head the lookup page."""
    pages = list(
        TrackPage.objects.live()
        .select_related("locale")
        .only("title", "intro", "thanks", "locale")
        .order_by("path")[:10]
    )
    language = get_language()
    return next((p for p in pages if p.locale.language_code == language), pages[0] if pages else None)


def render(request, template, context=None, status=200):
    context = dict(context or {})
    if template.endswith("lookup.html"):
        context["track_page"] = track_page()
    return TemplateResponse(request, template, context, status=status)


def current_request(request):
    """The request the session looked up, with its service, or None."""
    pk = request.session.get(SESSION_REQUEST)
    if not pk:
        return None
    return one(ServiceRequest.objects.filter(pk=pk).select_related("service"))


def is_unlocked(request, request_obj):
    unlock = request.session.get(SESSION_UNLOCK) or {}
    return unlock.get("pk") == request_obj.pk and unlock.get("until", 0) > time.time()


def unlock(request, request_obj):
    request.session.cycle_key()
    request.session[SESSION_REQUEST] = request_obj.pk
    request.session[SESSION_UNLOCK] = {"pk": request_obj.pk, "until": time.time() + unlock_seconds()}


def forget(request):
    """Nothing of an earlier lookup stays once a code or an identity is not found:
    an unknown code and a wrong identity leave the same (empty) follow-up session
    and give the same response (the same cookies too)."""
    for key in (SESSION_REQUEST, SESSION_UNLOCK, SESSION_OTP_PENDING):
        request.session.pop(key, None)


def not_found(request):
    forget(request)
    return render(request, "intake/track/lookup.html", {"form": LookupForm(), "not_found": NOT_FOUND})


def rate_limited(request):
    return render(request, "intake/track/rate_limited.html", {}, status=429)


def allow_lookup(request):
    return ratelimit.allow(request, "track", "FOLLOWUP_LOOKUP_RATE", "20/600")


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
    request_obj = one(ServiceRequest.objects.filter(tracking_code=code).only("pk"))
    if request_obj is None:
        logger.info("follow-up lookup: no request for code %s", code_digest(code))
        forget(request)
        return render(request, template, {"form": LookupForm(), "not_found": NOT_FOUND})
    request.session.pop(SESSION_UNLOCK, None)
    if request.session.get(SESSION_REQUEST) != request_obj.pk:  # no session write for a re-check
        request.session[SESSION_REQUEST] = request_obj.pk
    return redirect(next_name)


@never_cache
def lookup(request):
    return _lookup(request, "intake/track/lookup.html", "/track/status/")


@never_cache
def workflow_lookup(request):
    return _lookup(request, "intake/track/workflow_lookup.html", "/track/status/#workflow")


@never_cache
def status(request):
    pk = request.session.get(SESSION_REQUEST)
    request_obj, events = request_with_public_events(pk) if pk else (None, [])
    if request_obj is None:
        return redirect("/track/")
    unlocked = is_unlocked(request, request_obj)
    context = status_context(request_obj, events, unlocked)
    if unlocked:
        context.update(answer_context(request_obj))
        if request.session.get(SESSION_ANSWERED) == request_obj.pk:
            request.session.pop(SESSION_ANSWERED)
            context["answer_sent"] = True
    return render(request, "intake/track/status.html", context)


def status_context(request_obj, events, unlocked):
    """The status page's context; unlocked, with the current letter and the survey's state."""
    context = {
        "req": request_obj,
        "steps": workflow_steps(request_obj, events),
        "events": events,
        "unlocked": unlocked,
        "survey_open": request_obj.status in (Status.ANSWERED, Status.CLOSED),
    }
    if unlocked:
        context["official"] = current_response(request_obj)
        context["survey_done"] = SurveyResponse.objects.filter(request=request_obj).exists()
    return context


def answer_context(request_obj, form=None):
    """What staff asked (the public note of the latest move into «در انتظار تکمیل
    مدارک») and the answer form, while the request waits for it."""
    asked = services.asked_event(request_obj)
    if asked is None:
        return {}
    return {"asked": asked, "answer_form": form or AnswerForm()}


@never_cache
def answer(request):
    """«ارسال مدارک و پاسخ»: only for the request unlocked in this session, only while
    something is asked. The files go through the wizard's checks (AnswerForm); the
    answer is written by intake.services.answer_missing, or nothing is."""
    if request.method != "POST":
        return redirect("/track/status/")
    request_obj = _unlocked_request(request)
    if request_obj is None:
        logger.info("follow-up answer refused: no request unlocked in this session")
        return render(request, "intake/track/answer_refused.html", {"refused": ANSWER_LOCKED}, status=403)
    # Its own budget (not the lookups'): each answer is checked and stored files.
    if not ratelimit.allow(request, "track-answer", "FOLLOWUP_ANSWER_RATE", "10/600"):
        return rate_limited(request)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        files = form.checked
        try:
            services.answer_missing(request_obj, form.cleaned_data["text"], files)
        except services.TransitionError as error:
            form.add_error(None, str(error))
        else:
            request.session[SESSION_ANSWERED] = request_obj.pk
            return redirect("/track/status/#answer")
    pk = request_obj.pk
    request_obj, events = request_with_public_events(pk)
    context = status_context(request_obj, events, True)
    context["answer_refused"] = form.non_field_errors()
    context.update(answer_context(request_obj, form))
    if "answer_form" not in context:  # answered already, or nothing asked: say so, keep the text
        context["answer_form_gone"] = True
    return render(request, "intake/track/status.html", context, status=400)


def _otp_purpose(request, request_obj):
    if not request.session.session_key:
        request.session.save()
    return f"request:{request_obj.pk}:{request.session.session_key}"


@never_cache
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
        pending = request.session.get(SESSION_OTP_PENDING)
        if pending != request_obj.pk:
            return redirect("/track/identity/")
        if form.is_valid():
            if otp.verify(_otp_purpose(request, request_obj), form.cleaned_data["otp"]):
                request.session.pop(SESSION_OTP_PENDING, None)
                unlock(request, request_obj)
                return redirect("/track/status/")
            form.refuse()
        return render(request, "intake/track/otp.html", {"req": request_obj, "form": form})
    form = IdentityForm(request.POST)
    if not form.is_valid():
        return render(request, "intake/track/identity.html", {"req": request_obj, "form": form})
    if form.cleaned_data["national_code"] != request_obj.national_code:
        # The same response as an unknown tracking code, byte for byte.
        return not_found(request)
    if not otp_required():
        unlock(request, request_obj)
        return redirect("/track/status/")
    otp.issue(_otp_purpose(request, request_obj), request_obj.mobile, request_obj)
    request.session[SESSION_OTP_PENDING] = request_obj.pk
    return render(request, "intake/track/otp.html", {"req": request_obj, "form": OtpForm()})


def _unlocked_request(request):
    request_obj = current_request(request)
    if request_obj is None or not is_unlocked(request, request_obj):
        return None
    return request_obj


@never_cache
def response_page(request):
    """The official letter: the current response (a correction replaces the earlier one)."""
    request_obj = _unlocked_request(request)
    if request_obj is None:
        return redirect("/track/identity/" if current_request(request) else "/track/")
    official = current_response(request_obj)
    return render(request, "intake/track/response.html", response_context(request_obj, official))


def response_context(request_obj, official, form=None):
    """The response page: the letter and «اعتراض به پاسخ» (the deadline and unit, and
    the form while an objection may be filed; otherwise why not: passed on which
    date, an objection open…)."""
    context = {"req": request_obj, "official": official}
    if official is not None:
        refused = services.refusal(official)
        context.update(letters.letter_context(official))
        context["objection_refused"] = refused
        context["objection_form"] = None if refused else (form or ObjectionForm())
    return context


@never_cache
def objection(request):
    """«ثبت اعتراض»: only for the request unlocked in this session, against its current
    response, within the deadline, when no objection to it is open. The files go
    through the wizard's checks (ObjectionForm); the objection, a new request, is
    written by intake.services.file_objection, or nothing is. The new request is
    then the session's (unlocked: the same citizen) and its receipt page follows."""
    if request.method != "POST":
        return redirect("/track/response/")
    request_obj = _unlocked_request(request)
    if request_obj is None:
        logger.info("objection refused: no request unlocked in this session")
        return render(
            request,
            "intake/track/answer_refused.html",
            {"refused": OBJECTION_LOCKED, "heading": "ثبت اعتراض"},
            status=403,
        )
    if not ratelimit.allow(request, "track-answer", "FOLLOWUP_ANSWER_RATE", "10/600"):
        return rate_limited(request)
    official = current_response(request_obj)
    if official is None:
        return redirect("/track/response/")
    form = ObjectionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            filed = services.file_objection(official, form.cleaned_data["text"], form.checked)
        except services.TransitionError as error:
            form.add_error(None, str(error))
        else:
            unlock(request, filed)
            request.session[SESSION_OBJECTED] = filed.pk
            return redirect("/track/receipt/")
    context = response_context(request_obj, official, form)
    context["objection_errors"] = form.non_field_errors()
    return render(request, "intake/track/response.html", context, status=400)


def current_response(request_obj):
    return (
        OfficialResponse.objects.current()
        .filter(request=request_obj)
        .select_related("request", "replaces")
        .first()
    )


@never_cache
def receipt_page(request):
    """رسید خدمت again, once unlocked (the wizard's receipt body)."""
    request_obj = _unlocked_request(request)
    if request_obj is None:
        return redirect("/track/identity/" if current_request(request) else "/track/")
    context = receipt_context(request_obj)
    if request.session.get(SESSION_OBJECTED) == request_obj.pk:
        request.session.pop(SESSION_OBJECTED)
        context["objection_filed"] = True
    return render(request, "intake/track/receipt.html", context)


@never_cache
def response_pdf(request):
    """The signed letter, the bytes stored when it was issued, every time."""
    request_obj = _unlocked_request(request)
    if request_obj is None:
        return redirect("/track/")
    official = current_response(request_obj)
    if official is None:
        return redirect("/track/response/")
    try:
        pdf = letters.stored_pdf(official) if official.pdf else letters.store_legacy(official)
    except (OSError, letters.SigningError):
        logger.exception("the letter of response %s could not be read", official.pk)
        return render(request, "intake/track/response_missing.html", {"official": official}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="response-{request_obj.tracking_code}.pdf"'
    return response


@never_cache
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
    pending = request.session.get(SESSION_HISTORY_PENDING)
    if "otp" in request.POST and pending:
        purpose = f"history:{pending['national_code']}:{pending['mobile']}:{request.session.session_key}"
        form = OtpForm(request.POST)
        if form.is_valid():
            if otp.verify(purpose, form.cleaned_data["otp"]):
                request.session.cycle_key()
                request.session[SESSION_HISTORY] = {**pending, "until": time.time() + unlock_seconds()}
                request.session.pop(SESSION_HISTORY_PENDING, None)
                return redirect("/track/history/")
            form.refuse()
        return render(request, "intake/track/history_otp.html", {"form": form})
    form = HistoryForm(request.POST)
    if not form.is_valid():
        return render(request, "intake/track/history.html", {"form": form})
    national_code, mobile = form.cleaned_data["national_code"], form.cleaned_data["mobile"]
    pending = {"national_code": national_code, "mobile": mobile}
    request.session[SESSION_HISTORY_PENDING] = pending
    if not request.session.session_key:  # the code is bound to this browser's session
        request.session.save()
    first = ServiceRequest.objects.filter(national_code=national_code, mobile=mobile).first()
    if first is not None:  # otherwise no SMS, but the same page (reveals nothing)
        purpose = f"history:{national_code}:{mobile}:{request.session.session_key}"
        otp.issue(purpose, mobile, first)
    return render(request, "intake/track/history_otp.html", {"form": OtpForm()})


@never_cache
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
