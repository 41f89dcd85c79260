"""The wizard's views at /request/ (intake.urls). Thin: forms validate, intake.drafts
keeps the draft, intake.services writes the request. Each view gets the live
IntakePage for its editable title and intro (kept under the content version).
Every response carries Cache-Control: no-store."""

import functools

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from portal import content_version
from portal.persian import canonical_digits, to_persian_digits

from . import catalog, drafts, ratelimit, receipts, resume, services, wizard
from .followup.forms import OtpForm
from .forms import CHOOSE_STEP, STEPS, ChooseServiceForm
from .models import IntakePage, ServiceRequest
from .pdf import render_receipt_pdf

PAGE_SECONDS = 600
DRAFT_SESSION_KEY = "intake_draft"
RECEIPT_SESSION_KEY = "intake_receipt"
# The mobile a resume code was sent to, with the draft it was for.
RESUME_SESSION_KEY = "intake_resume_mobile"
STEP_TEMPLATES = {
    1: "intake/step_intro.html",
    2: "intake/step_details.html",
    3: "intake/step_attachments.html",
    4: "intake/step_citizen.html",
    5: "intake/step_visit.html",
    6: "intake/step_review.html",
}


def wizard_page(request):
    """The live IntakePage in the active language (else the first one), or None. Kept
    in Django's cache under the content version: a publish is a new version."""

    def find():
        pages = list(IntakePage.objects.live().select_related("locale").order_by("path")[:10])
        language = get_language()
        return next((p for p in pages if p.locale.language_code == language), pages[0] if pages else None)

    version = content_version.for_request(request)
    if version is None:
        return find()
    return cache.get_or_set(f"intake:page:{version}:{get_language()}", find, PAGE_SECONDS)


def wizard_view(view):
    """Hands the view its IntakePage (404 without a live one); never cached."""

    @functools.wraps(view)
    @never_cache
    def wrapped(request, *args, **kwargs):
        page = wizard_page(request)
        if page is None:
            raise Http404
        return view(request, page, *args, **kwargs)

    return wrapped


def step_url(step):
    if step == CHOOSE_STEP:
        return reverse("intake:choose")
    return reverse("intake:step", args=[step])


def current_draft(request):
    return drafts.get_draft(request.session.get(DRAFT_SESSION_KEY))


def stepper(draft, current):
    """The stepper's context: `steps_html`, its list items (the current step marked
    aria-current="step", finished ones said so, the ones that may be opened linked),
    and `current_step`, (number, label) for the title and heading."""
    done = set(draft.completed) if draft else set()
    items = []
    for number, label in STEPS:
        is_current = number == current
        classes = "stepper__step"
        if number in done:
            classes += " stepper__step--done"
        if is_current:
            classes += " stepper__step--current"
        inner = format_html(
            '<span class="stepper__number">{}</span> <span class="stepper__label">{}</span>{}',
            to_persian_digits(number),
            label,
            format_html('<span class="visually-hidden">{}</span>', " (تکمیل شده)") if number in done else "",
        )
        if draft is not None and not is_current and wizard.may_open(draft, number):
            inner = format_html('<a href="{}">{}</a>', step_url(number), inner)
        current_attr = format_html(' aria-current="{}"', "step") if is_current else ""
        items.append((classes, current_attr, inner))
    return {
        "steps_html": format_html_join("\n", '<li class="{}"{}>{}</li>', items),
        "current_step": next(step for step in STEPS if step[0] == current),
        "step_total": len(STEPS),
    }


def services_json(services):
    return [{"unit": str(s.unit_id), "id": s.service_id, "title": s.title} for s in services]


def render(request, page, template, context, status=200):
    context = {"page": page, "self": page, "intake_url": reverse("intake:choose"), **context}
    return TemplateResponse(request, template, context, status=status)


# Choosing the service ----------------------------------------------------------


@wizard_view
def choose_service(request, page):
    options = wizard.options_for(request)
    draft = current_draft(request)
    finished = None
    if draft is not None and draft.submitted_at is not None:
        finished, draft = draft, None  # a new request starts here
    if request.method == "POST":
        if not ratelimit.allow_step(request):
            return _limited(request, page, CHOOSE_STEP)
        form = ChooseServiceForm(data=request.POST, services=options.services)
        if request.POST.get("action") == "refresh":
            form = ChooseServiceForm(data=refreshed_data(request.POST, options), services=options.services)
            return _choose_page(request, page, form, options, refreshed=True)
        if form.is_valid():
            if draft is None:
                if not ratelimit.allow_new_draft(request):
                    return _limited(request, page, CHOOSE_STEP)
                draft = drafts.start_draft()
                if finished is not None:  # the last request's receipt stays reachable
                    request.session[RECEIPT_SESSION_KEY] = str(finished.key)
                request.session[DRAFT_SESSION_KEY] = str(draft.key)
            drafts.save_step(draft, CHOOSE_STEP, form.storage_data(), valid=True, consent=True)
            return redirect(step_url(1))
        return _choose_page(request, page, form, options)
    initial = wizard.step_initial(draft, CHOOSE_STEP) if draft else {}
    wanted = services_code(request.GET.get("service"))
    service = next((s for s in options.services if s.service_id == wanted), None) if wanted else None
    if service is not None and initial.get("service_id") != wanted:
        initial = {"unit": str(service.unit_id), "service": wanted, "service_id": wanted}
    form = ChooseServiceForm(initial=initial, services=options.services)
    return _choose_page(request, page, form, options)


def refreshed_data(post, options):
    """After «نمایش خدمات این واحد»: keep the service only if the new unit offers it."""
    data = post.copy()
    unit = data.get("unit", "")
    chosen = services_code(data.get("service_id")) or services_code(data.get("service"))
    if not any(s.service_id == chosen and str(s.unit_id) == unit for s in options.services):
        data["service"] = ""
        data["service_id"] = ""
    return data


def services_code(value):
    code = canonical_digits(value or "")
    return code if len(code) == 11 and code.isascii() and code.isdigit() else ""


def _selected_service(form, options):
    if getattr(form, "service", None) is not None:
        return form.service
    code = ""
    if form.is_bound:
        code = services_code(form.data.get("service_id")) or services_code(form.data.get("service"))
    else:
        code = services_code(form.initial.get("service_id")) or services_code(form.initial.get("service"))
    return next((s for s in options.services if s.service_id == code), None)


def _choose_page(request, page, form, options, refreshed=False):
    option = _selected_service(form, options)
    service = catalog.live_service(option)
    context = {
        "form": form,
        "service": service,  # its facets read in the template, unless kept ({% cache %})
        "services_json": services_json(options.services),
        "refreshed": refreshed,
        "show_errors": form.is_bound and not refreshed,
    }
    return render(request, page, "intake/choose_service.html", context)


@wizard_view
def facets_fragment(request, page, service_id):
    service = catalog.service_by_code(services_code(service_id))
    if service is None:
        raise Http404
    return render(request, page, "intake/_facets.html", {"service": service})


# The six steps -------------------------------------------------------------------


@wizard_view
def wizard_step(request, page, step):
    if step not in wizard.ORDER or step == CHOOSE_STEP:
        raise Http404
    draft = current_draft(request)
    if draft is None or draft.submitted_at is not None:
        if step == 6 and draft is not None:
            # Submitted (a replayed POST, the back button, an answer that never
            # arrived): the same receipt, found by the draft's key.
            return redirect("intake:receipt")
        if request.method == "POST" and step == 6 and request.session.get(RECEIPT_SESSION_KEY):
            return redirect("intake:receipt")
        return redirect(step_url(CHOOSE_STEP))
    if not wizard.may_open(draft, step):
        return redirect(step_url(wizard.first_unfinished(draft)))
    if request.method == "POST" and not ratelimit.allow_step(request):
        return _limited(request, page, step)
    options = wizard.options_for(request)
    if step == 6:
        return _review(request, page, draft, options)
    if request.method == "POST":
        action = request.POST.get("action", "next")
        form = wizard.build_form(step, draft, options, data=request.POST, files=request.FILES)
        if action == "refresh" and step == 2:
            data = refreshed_data(request.POST, options)
            form = wizard.build_form(step, draft, options, data=data)
            return _step_page(request, page, draft, step, form, options, refreshed=True)
        valid = form.is_valid()
        if step == 3:
            if valid:
                drafts.save_attachments(draft, form)
            elif action not in ("back", "later"):
                return _step_page(request, page, draft, step, form, options, status=200)
        else:
            # Only what validated is kept, cleaned: a refused value is shown back
            # from the POST on this page and never reaches the draft.
            drafts.save_step(draft, step, form.storage_data(), valid=valid)
        if action == "back":
            return redirect(step_url(step - 1 if step > 1 else CHOOSE_STEP))
        if action == "later":  # «ذخیره و ادامه در زمانی دیگر»: what validated is kept
            return redirect("intake:save")
        if valid:
            return redirect(step_url(step + 1))
        return _step_page(request, page, draft, step, form, options)
    form = wizard.build_form(step, draft, options)
    return _step_page(request, page, draft, step, form, options)


def _limited(request, page, step):
    """Too many wizard posts (or new drafts) from this address: nothing was kept."""
    label = "انتخاب خدمت" if step == CHOOSE_STEP else dict(STEPS)[step]
    context = {"back_url": step_url(step), "back_label": f"«{label}»"}
    return render(request, page, "intake/rate_limited.html", context, status=429)


def _step_page(request, page, draft, step, form, options, refreshed=False, status=200):
    context = {
        "form": form,
        "step": step,
        **stepper(draft, step),
        "draft": draft,
        "previous_url": step_url(step - 1 if step > 1 else CHOOSE_STEP),
        "show_errors": form.is_bound and not refreshed,
        "next_label": "تایید نهایی" if step == 5 else "تایید و ادامه",
    }
    if step == 2:
        context["services_json"] = services_json(options.services)
    if step == 3:
        context["files"] = draft.attachments
        context["limits"] = receipts.upload_limits()
    if step == 5:
        unit_id = wizard.unit_id_of(draft)
        # The unit's name from the cached catalog; the unit itself only if it left it.
        context["unit"] = next(
            (s.unit for s in options.services if str(s.unit_id) == str(unit_id)), None
        ) or catalog.get_unit(unit_id)
        context["officers_json"] = {str(o.pk): o.position for o in form.officers}
    return render(request, page, STEP_TEMPLATES[step], context, status=status)


def _review(request, page, draft, options):
    forms, bad_step = wizard.revalidate(draft, options)
    if bad_step is not None:
        return redirect(step_url(bad_step))
    if request.method == "POST":
        if request.POST.get("action") == "back":
            return redirect(step_url(5))
        if request.POST.get("action") == "later":
            return redirect("intake:save")
        if not ratelimit.allow_submission(request):
            return render(request, page, "intake/rate_limited.html", {}, status=429)
        try:
            # A double click or a replay gives the request the draft already became.
            request_obj, _created = services.submit_request(draft, options, forms=forms)
        except services.StepsIncomplete as error:
            return redirect(step_url(error.step))
        # The session keeps the draft's key, now the request's submission key: the
        # receipt finds the request by it (nothing to write to the session here).
        return redirect("intake:receipt")
    visit = forms[5]
    context = {
        "step": 6,
        **stepper(draft, 6),
        "draft": draft,
        "previous_url": step_url(5),
        "service": forms[2].service,
        "details": forms[2].cleaned_data,
        "files": draft.attachments,
        "citizen": forms[4].cleaned_data,
        "visit": visit.cleaned_data,
        "officer": visit.officer_object(),
        "unit": forms[2].service.unit,
        "change_urls": {n: step_url(n) for n in (2, 3, 4, 5)},
        "show_errors": False,
        "next_label": "ثبت نهایی درخواست",
    }
    return render(request, page, STEP_TEMPLATES[6], context)


# «ذخیره و ادامه در زمانی دیگر» (intake.resume) --------------------------------------


@wizard_view
def save_for_later(request, page):
    """A mobile, its one-time code, then the resume link by SMS."""
    draft = current_draft(request)
    if draft is None or draft.submitted_at is not None:
        return redirect(step_url(CHOOSE_STEP))
    context = {"back_url": step_url(wizard.first_unfinished(draft)), "hours": resume.hours()}
    sent_to = request.session.get(RESUME_SESSION_KEY, {})
    mobile = sent_to.get("mobile") if sent_to.get("draft") == str(draft.key) else None
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "send":
        form = resume.MobileForm(data=request.POST)
        if not form.is_valid():
            return render(request, page, "intake/save_later.html", {**context, "form": form})
        if not ratelimit.allow(request, "resume", "INTAKE_RESUME_RATE", "5/600"):
            return _limited(request, page, wizard.first_unfinished(draft))
        mobile = form.cleaned_data["mobile"]
        resume.send_code(draft, mobile)
        request.session[RESUME_SESSION_KEY] = {"draft": str(draft.key), "mobile": mobile}
        return _code_page(request, page, context, mobile, OtpForm())
    if action == "confirm" and mobile:
        form = OtpForm(data=request.POST)
        if form.is_valid():
            link = resume.make_link(
                draft,
                mobile,
                form.cleaned_data["otp"],
                lambda token: request.build_absolute_uri(reverse("intake:resume", args=[token])),
            )
            if link is not None:
                request.session.pop(RESUME_SESSION_KEY, None)
                return render(request, page, "intake/save_later.html", {**context, "sent": link})
            form.refuse()
        return _code_page(request, page, context, mobile, form)
    form = resume.MobileForm(initial={"mobile": resume.suggested_mobile(draft)})
    return render(request, page, "intake/save_later.html", {**context, "form": form})


def _code_page(request, page, context, mobile, form):
    return render(request, page, "intake/save_later.html", {**context, "code_form": form, "mobile": mobile})


@wizard_view
def resume_draft(request, page, token):
    """The resume link: a page with one button; pressing it uses the link."""
    if request.method == "POST":
        draft, problem = resume.redeem(token)
        if draft is not None:
            request.session[DRAFT_SESSION_KEY] = str(draft.key)
            return redirect(step_url(wizard.first_unfinished(draft)))
    else:
        problem = resume.find(token).problem
    status = 200 if problem is None else (404 if problem == resume.UNKNOWN else 410)
    return render(request, page, "intake/resume.html", {"problem": problem}, status=status)


# The receipt ---------------------------------------------------------------------


def _receipt_request(request):
    """The request of the session's draft once submitted, else the last one submitted
    before a new draft was started."""
    keys = [request.session.get(DRAFT_SESSION_KEY), request.session.get(RECEIPT_SESSION_KEY)]
    keys = [key for key in keys if key]
    if not keys:
        return None
    # What the citizen saw is copied on the request: no join with the service or unit.
    rows = list(
        ServiceRequest.objects.filter(submission_key__in=keys)
        .order_by()
        .prefetch_related("attachments", "sms_messages", "email_messages")[:2]
    )
    rows.sort(key=lambda row: keys.index(str(row.submission_key)))
    return rows[0] if rows else None


@wizard_view
def receipt(request, page):
    request_obj = _receipt_request(request)
    if request_obj is None:
        return redirect(step_url(CHOOSE_STEP))
    context = receipts.receipt_context(request_obj)
    context["pdf_url"] = reverse("intake:receipt-pdf")
    return render(request, page, "intake/receipt.html", context)


@wizard_view
def receipt_pdf(request, page):
    request_obj = _receipt_request(request)
    if request_obj is None:
        return redirect(step_url(CHOOSE_STEP))
    content = render_receipt_pdf(request, request_obj, receipts.receipt_context(request_obj))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{request_obj.tracking_code}.pdf"'
    return response
