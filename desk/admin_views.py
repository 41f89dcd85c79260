"""Requests in the Wagtail admin («درخواست‌ها»): the listing (filters, search,
sorting, CSV/XLSX export), a request's page with its action forms, and the
attachment download; plus «واحدهای کارکنان» where a superuser gives staff units.

Every view starts from desk.scoping: a request outside the user's scope is a 404.
Every write goes through intake.services.
"""

import re

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.views.generic import TemplateView
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from intake import services
from intake.models import OfficialResponse, RequestAttachment, ServiceRequest
from portal.jalali import format_jalali_date
from portal.persian import canonical_digits, canonical_text, to_persian_digits

from . import scoping
from .exports import RequestExportMixin, user_label
from .files import attachment_response
from .filters import SAVED_VIEWS, RequestFilterSet, saved_view_q
from .forms import FORMS
from .models import StaffProfile

Status = ServiceRequest.Status
STATUS_TAG = {
    Status.RECEIVED: "w-status--primary",
    Status.IN_REVIEW: "w-status--primary",
    Status.REFERRED: "w-status--primary",
    Status.WAITING: "w-status--label",
    Status.ANSWERED: "w-status--label",
    Status.CLOSED: "w-status--label",
}


def stale_status_message(request_obj):
    """The same words intake.services uses when another staff member acted first."""
    return (
        f"وضعیت این درخواست در این فاصله به «{request_obj.get_status_display()}» تغییر کرده است؛"
        " صفحه را دوباره باز کنید."
    )


UNCHANGED_ASSIGNEE_MESSAGE = "کارشناس مسئول تغییری نکرد."
STALE_ASSIGNEE_MESSAGE = "کارشناس مسئول این درخواست در این فاصله تغییر کرده است؛ صفحه را دوباره باز کنید."


def citizen_answer_badge():
    return format_html(
        '<span class="w-status w-status--primary desk-citizen-answer">{}</span>', "پاسخ شهروند"
    )


def objection_badge():
    return format_html('<span class="w-status w-status--label desk-objection">{}</span>', "اعتراض")


# The listing's columns a phone does without (static/css/desk/admin.css).
WIDE = "desk-wide"


def overdue_badge():
    return format_html('<span class="w-status w-status--label desk-overdue">{}</span>', "تأخیر")


# The listing ---------------------------------------------------------------------


class RequestIndexView(RequestExportMixin, IndexView):
    """Exports (CSV and XLSX, desk.exports) hold the rows the user may see, every value
    through portal.spreadsheets: text a citizen or an editor typed never becomes a formula."""

    page_title = "درخواست‌ها"
    is_searchable = True
    search_kwarg = "q"
    default_ordering = "-submitted_at"
    results_template_name = "desk/requests_results.html"
    template_name = "desk/requests_index.html"

    # The clerk's last filters, kept for the session: the menu, the breadcrumb and the
    # way back from a request (all plain /admin/requests/) reopen the same list.
    SAVED_QUERY = "desk_requests_query"
    NOT_KEPT = ("p", "export")

    def dispatch(self, request, *args, **kwargs):
        if not scoping.can_use_desk(request.user):
            raise PermissionDenied
        if request.method == "GET":
            kept = request.GET.copy()
            for name in self.NOT_KEPT:
                kept.pop(name, None)
            if kept:
                request.session[self.SAVED_QUERY] = kept.urlencode()
            elif not request.GET and not self.results_only and request.session.get(self.SAVED_QUERY):
                return redirect(f"{request.path}?{request.session[self.SAVED_QUERY]}")
        return super().dispatch(request, *args, **kwargs)

    def saved_views(self):
        """The tabs above the list: (key, label, count, url, current), counted in one query."""
        user = self.request.user
        counts = scoping.visible_requests(user).aggregate(
            **{key: Count("pk", filter=saved_view_q(key, user)) for key, _label in SAVED_VIEWS}
        )
        current = self.request.GET.get("view") or SAVED_VIEWS[0][0]
        index = reverse("desk_requests:index")
        return [
            (key, label, counts[key], f"{index}?view={key}", key == current) for key, label in SAVED_VIEWS
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["saved_views"] = self.saved_views()
        return context

    def get_base_queryset(self):
        return scoping.visible_requests(self.request.user, ServiceRequest.objects.select_related("assignee"))

    def search_queryset(self, queryset):
        """Tracking code (any digits, with or without dashes), national code or name."""
        if not self.is_searching:
            return queryset
        from django.db.models import Value
        from django.db.models.functions import Concat

        text = canonical_text(self.search_query)
        digits = canonical_digits(text)
        query = Q(full__icontains=text) | Q(first_name__icontains=text) | Q(last_name__icontains=text)
        if digits.isdigit():
            query |= Q(tracking_code__startswith=digits) | Q(national_code__startswith=digits)
        queryset = queryset.annotate(full=Concat("first_name", Value(" "), "last_name"))
        return queryset.filter(query)

    @cached_property
    def filterset_class(self):
        return RequestFilterSet

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="request"),
            TitleColumn(
                "tracking_code",
                label="کد پیگیری",
                accessor=lambda req: to_persian_digits(req.tracking_code),
                get_url=self.get_inspect_url,
                sort_key="tracking_code",
                classname="w-text-16 desk-code",
            ),
            Column("citizen", label="شهروند", accessor="full_name", sort_key="last_name"),
            # On a phone the list keeps the code, the citizen, the status and the due date.
            Column(
                "service", label="خدمت", accessor="service_title", sort_key="service_title", classname=WIDE
            ),
            Column("unit", label="واحد", accessor="unit_name", sort_key="unit_name", classname=WIDE),
            Column(
                "status",
                label="وضعیت",
                accessor=self.status_cell,
                classname="desk-status",
                sort_key="status",
            ),
            Column(
                "submitted",
                label="تاریخ ثبت",
                accessor=lambda req: format_jalali_date(req.submitted_at),
                sort_key="submitted_at",
                classname=WIDE,
            ),
            Column("due", label="مهلت پاسخ", accessor=self.due_cell, sort_key="due_date"),
            Column(
                "assignee",
                label="کارشناس مسئول",
                accessor=lambda req: user_label(req.assignee),
                classname=WIDE,
            ),
        ]

    def status_cell(self, req):
        cell = format_html(
            '<span class="w-status {}">{}</span>', STATUS_TAG.get(req.status, ""), req.get_status_display()
        )
        if req.citizen_answered_at:
            cell = format_html("{} {}", cell, citizen_answer_badge())
        if req.objection_to_id:  # a citizen's objection to a response: its unit hears it
            cell = format_html("{} {}", cell, objection_badge())
        return cell

    def due_cell(self, req):
        if not req.due_date:
            return "—"
        if req.is_overdue(self.today):
            return format_html("{} {}", format_jalali_date(req.due_date), overdue_badge())
        return format_jalali_date(req.due_date)

    def get_inspect_url(self, instance):
        return reverse("desk_requests:detail", args=(instance.pk,))

    def get_edit_url(self, instance):
        return None

    def get_copy_url(self, instance):
        return None

    def get_delete_url(self, instance):
        return None

    def get_add_url(self):
        return None

    def get_list_more_buttons(self, instance):
        return []


# A request's page ------------------------------------------------------------------

OTP_RE = re.compile(r"(?<![0-9۰-۹])[0-9۰-۹]{6}(?![0-9۰-۹])")


def masked_sms_text(text):
    """One-time codes are not for staff eyes."""
    return OTP_RE.sub("******", text)


def visible_request_or_404(user, pk):
    if not scoping.can_use_desk(user):
        raise Http404
    return get_object_or_404(scoping.visible_requests(user), pk=pk)


def neighbours(request, req):
    """(previous, next) request in the clerk's current list: the saved view and filters
    kept by RequestIndexView, in the list's order (newest first). «درخواست بعدی» is the
    one below this request in that list, even when acting has moved this one out of it."""
    saved = QueryDict(request.session.get(RequestIndexView.SAVED_QUERY, ""))
    listed = RequestFilterSet(saved, queryset=scoping.visible_requests(request.user), request=request).qs
    listed = listed.exclude(pk=req.pk).only("pk")
    at = req.submitted_at
    older = Q(submitted_at__lt=at) | Q(submitted_at=at, pk__lt=req.pk)
    newer = Q(submitted_at__gt=at) | Q(submitted_at=at, pk__gt=req.pk)
    return (
        listed.filter(newer).order_by("submitted_at", "pk").first(),
        listed.filter(older).order_by("-submitted_at", "-pk").first(),
    )


def objection_context(user, req):
    """The links between requests on a request's page: the response this request
    objects to (shown in full: its unit's staff may not see the original request
    itself) and the objections filed against this request's responses."""
    objected = None
    if req.objection_to_id:
        objected = OfficialResponse.objects.select_related("request").filter(pk=req.objection_to_id).first()
    objections = list(
        ServiceRequest.objects.filter(objection_to__request=req)
        .select_related("objection_to")
        .only("pk", "tracking_code", "status", "unit_name", "submitted_at", "objection_to__number")
        .order_by("submitted_at")
    )
    visible = set(
        scoping.visible_requests(user)
        .filter(pk__in=[r.pk for r in objections] + ([objected.request_id] if objected else []))
        .values_list("pk", flat=True)
    )
    return {
        "objected": objected,
        "objected_visible": bool(objected and objected.request_id in visible),
        "objections": [(objection, objection.pk in visible) for objection in objections],
    }


class RequestDetailView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "desk/request_detail.html"
    header_icon = "clipboard-list"
    forms = None

    def dispatch(self, request, pk, *args, **kwargs):
        self.object = visible_request_or_404(request.user, pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return "درخواست " + to_persian_digits(self.object.tracking_code)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "پیشخوان"},
            {"url": reverse("desk_requests:index"), "label": "درخواست‌ها"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_forms(self):
        req = self.object
        if not scoping.can_act(self.request.user, req):
            return {}
        bound = self.forms or {}
        result = {}
        for name, form_class in FORMS.items():
            if name == "response" and not self._may_respond():
                continue
            if name == "assign" and req.status == Status.CLOSED:
                continue
            result[name] = bound.get(name) or form_class(request_obj=req)
        if not result["status"].fields["to_status"].choices:
            del result["status"]
        return result

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        req = self.object
        response = self.current_response
        context.update(
            {
                "req": req,
                "overdue": req.is_overdue(),
                "attachments": req.attachments.all(),
                "events": req.events.select_related("actor").prefetch_related("attachments"),
                "sms_messages": [
                    (sms, masked_sms_text(sms.text))
                    for sms in req.sms_messages.order_by("-created_at", "-pk")
                ],
                "email_messages": req.email_messages.order_by("-created_at", "-pk"),
                "official": response,
                **objection_context(self.request.user, req),
                "neighbours": neighbours(self.request, req),
                "action_forms": self.get_forms(),
                "can_act": scoping.can_act(self.request.user, req),
                "response_preview": {
                    "citizen_name": req.full_name,
                    "national_code": req.national_code,
                    "date": format_jalali_date(timezone.localdate()),
                },
            }
        )
        return context

    @cached_property
    def current_response(self):
        """The request's current letter (the last of its corrections), or None."""
        return OfficialResponse.objects.current().filter(request=self.object).first()

    def _may_respond(self):
        """A first response where «answered» may follow; a correction (a new letter
        replacing the current one) while answered or back in review."""
        req = self.object
        if self.current_response is None:
            return Status.ANSWERED in services.allowed_transitions(req.status)
        return req.status == Status.ANSWERED or Status.ANSWERED in services.allowed_transitions(req.status)


class RequestActionView(RequestDetailView):
    """POST one of the action forms. A stale form (another staff member acted
    first) gets the Persian message and nothing is written."""

    http_method_names = ["post"]

    def post(self, request, action):
        req = self.object
        if not scoping.can_act(request.user, req):
            raise PermissionDenied
        form_class = FORMS.get(action)
        if form_class is None:
            raise Http404
        if request.POST.get(f"{form_class.prefix}-expected_status") != req.status:
            messages.error(request, stale_status_message(req))
            return redirect(self.detail_url())
        form = form_class(request.POST, request_obj=req)
        if not form.is_valid():
            self.forms = {action: form}
            messages.error(request, "فرم کامل نیست؛ خطاهای آن را برطرف کنید.")
            context = self.get_context_data()
            return self.render_to_response(context, status=400)
        try:
            message = getattr(self, f"do_{action}")(req, form.cleaned_data)
        except services.TransitionError as error:
            messages.error(request, str(error))
            return redirect(self.detail_url())
        messages.success(request, message)
        req.refresh_from_db()
        if not scoping.can_view(request.user, req):  # referred to a unit that is not the user's
            return redirect("desk_requests:index")
        return redirect(self.detail_url())

    def detail_url(self):
        return reverse("desk_requests:detail", args=(self.object.pk,))

    def guard(self, req, expected_status, expected_assignee=None):
        """Lock the row and check what the staff member saw is still so (inside the
        caller's transaction, so the service call that follows sees the same row)."""
        locked = ServiceRequest.objects.select_for_update().get(pk=req.pk)
        if locked.status != expected_status:
            raise services.TransitionError(stale_status_message(locked))
        if expected_assignee is not None and str(locked.assignee_id or "") != expected_assignee:
            raise services.TransitionError(STALE_ASSIGNEE_MESSAGE)
        return locked

    def do_status(self, req, data):
        user = self.request.user
        with transaction.atomic():
            services.transition(
                req,
                data["to_status"],
                user,
                public_note=data["public_note"],
                internal_note=data["internal_note"],
                expected_status=data["expected_status"],
                unit=data["unit"],
            )
            if data["unit"] is not None and req.assignee_id:
                # Referred: the new unit's staff pick it up.
                if not scoping.assignable_staff(req).filter(pk=req.assignee_id).exists():
                    services.assign(req, None, user, internal_note="با ارجاع به واحد دیگر.")
        if data["unit"] is not None:
            return f"درخواست به «{data['unit'].name}» ارجاع شد."
        return f"وضعیت درخواست به «{Status(data['to_status']).label}» تغییر کرد."

    def do_assign(self, req, data):
        with transaction.atomic():
            locked = self.guard(req, data["expected_status"], data["expected_assignee"] or "")
            new_id = data["assignee"].pk if data["assignee"] else None
            if new_id == locked.assignee_id and not data["internal_note"]:
                return UNCHANGED_ASSIGNEE_MESSAGE  # nothing to record
            services.assign(req, data["assignee"], self.request.user, internal_note=data["internal_note"])
        if data["assignee"] is None:
            return "درخواست از کارشناس پس گرفته شد."
        return f"درخواست به {user_label(data['assignee'])} واگذار شد."

    def do_note(self, req, data):
        with transaction.atomic():
            self.guard(req, data["expected_status"])
            services.add_note(
                req,
                self.request.user,
                public_note=data["public_note"],
                internal_note=data["internal_note"],
                next_date=data.get("next_date"),
            )
        return "یادداشت ثبت شد."

    def do_response(self, req, data):
        with transaction.atomic():
            self.guard(req, data["expected_status"])
            response = services.issue_response(
                req,
                self.request.user,
                legal_grounds=data["legal_grounds"],
                content=data["content"],
                appeal=data["appeal"],
                notes=data["notes"],
                internal_note=data["internal_note"],
                signer=data.get("signer"),
                replaces=self.current_response,
                objection_unit=data.get("objection_unit"),
                objection_days=data.get("objection_days"),
            )
        if response.replaces_id:
            return (
                f"پاسخ اصلاحی به شماره {to_persian_digits(response.number)} صادر شد و جایگزین پاسخ"
                f" {to_persian_digits(response.replaces.number)} شد."
            )
        return f"پاسخ رسمی به شماره {to_persian_digits(response.number)} صادر شد و به شهروند اطلاع داده شد."


def download_attachment(request, pk, attachment_pk):
    """An attachment, only to staff who may see its request; never rendered inline."""
    req = visible_request_or_404(request.user, pk)
    attachment = get_object_or_404(RequestAttachment, pk=attachment_pk, request=req)
    try:
        return attachment_response(attachment)
    except OSError:  # the file is gone from storage
        raise Http404 from None


class RequestViewSet(ModelViewSet):
    model = ServiceRequest
    name = "desk_requests"
    url_prefix = "requests"
    icon = "clipboard-list"
    menu_label = "درخواست‌ها"
    menu_name = "desk-requests"
    menu_order = 150
    add_to_admin_menu = True
    index_view_class = RequestIndexView
    list_per_page = 25
    ordering = "-submitted_at"
    search_fields = ["tracking_code"]
    copy_view_enabled = False
    inspect_view_enabled = False
    export_filename = "requests"
    list_export = RequestIndexView.list_export
    export_headings = RequestIndexView.export_headings

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", RequestDetailView.as_view(), name="detail"),
            path("<int:pk>/action/<str:action>/", RequestActionView.as_view(), name="action"),
            path(
                "<int:pk>/attachments/<int:attachment_pk>/",
                download_attachment,
                name="attachment",
            ),
        ]

    def register_admin_url_finder(self):
        pass

    def register_reference_index(self):
        pass


request_viewset = RequestViewSet()


# Staff units («واحدهای کارکنان», superusers) -------------------------------------


def staff_units(profile):
    return "، ".join(unit.name for unit in profile.units.all()) or "—"


staff_units.short_description = "واحدهای سازمانی"


class StaffProfileViewSet(ModelViewSet):
    model = StaffProfile
    name = "desk_staff_units"
    url_prefix = "staff-units"
    icon = "group"
    menu_label = "واحدهای کارکنان"
    add_to_settings_menu = True
    copy_view_enabled = False
    list_display = ["user", Column("units", label="واحدهای سازمانی", accessor=staff_units)]
    edit_handler = ObjectList(
        [
            FieldPanel("user"),
            FieldPanel("units", widget=django_forms.CheckboxSelectMultiple),
        ]
    )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=StaffProfile.objects.select_related("user").prefetch_related("units"), **kwargs
        )


staff_profile_viewset = StaffProfileViewSet()
