"""The desk API: JSON for desktop service-desk software (django-ninja).

Mounted at /api/desk/ (portal.urls); the OpenAPI 3 schema is /api/desk/openapi.json
and the docs page /api/desk/docs (Swagger UI served from django-ninja's own
static files, no CDN).

Authentication: Wagtail 8's API tokens (wagtail.models.APIToken, created and
revoked per user in the admin under Settings → API tokens), sent as
`Authorization: Bearer wagtail_…`. The token's user must be active and be desk
staff or a manager (desk.scoping.can_use_desk). Everything else goes through
desk.scoping: lists are visible_requests(user), a request outside the user's
scope is a 404 (its existence is not revealed), and acting needs can_act
(managers are read-only: 403). Writes go through intake.services only.
"""

import datetime
import logging

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.db.models import Q
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema, Swagger
from ninja import Status as Reply
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field
from wagtail.api.v3.auth import BearerTokenAuth

from intake import letters, services
from intake.models import RequestAttachment, ServiceRequest
from portal.jalali import parse_jalali
from portal.persian import canonical_digits, canonical_text, to_ascii_digits
from services.models import OrgUnit

from . import scoping
from .api_schemas import (
    ErrorOut,
    EventOut,
    NoteIn,
    RequestDetail,
    RequestPage,
    ResponseIn,
    ResponseOut,
    StatusCode,
    TransitionIn,
)
from .files import attachment_response

logger = logging.getLogger(__name__)
Status = ServiceRequest.Status
MAX_INT = 2_147_483_647

NOT_FOUND = "درخواست یافت نشد. / Request not found."
ATTACHMENT_NOT_FOUND = "پیوست یافت نشد. / Attachment not found."
UNAUTHORIZED = "توکن دسترسی معتبر لازم است (Authorization: Bearer …). / A valid API token is required."
NOT_DESK_USER = (
    "این توکن به کاربری تعلق دارد که به میز خدمت دسترسی ندارد. / This token's user may not use the desk."
)
READ_ONLY = "مدیران فقط می‌توانند درخواست‌ها را ببینند؛ اقدام با کارشناس واحد است. / Managers are read-only."


class DeskTokenAuth(BearerTokenAuth):
    """Wagtail's bearer-token auth, limited to desk staff and managers."""

    openapi_description = "A Wagtail API token (admin → Settings → API tokens): `Bearer wagtail_…`"

    def authenticate(self, request, token):
        api_token = super().authenticate(request, token)
        if api_token is not None and not scoping.can_use_desk(request.user):
            raise HttpError(403, NOT_DESK_USER)
        return api_token


api = NinjaAPI(
    title="میز خدمت — Desk API",
    version="1.0.0",
    description=(
        "JSON API for desktop service-desk software. Authenticate with a Wagtail API token "
        "(`Authorization: Bearer wagtail_…`), created and revoked per staff user in the admin "
        "(Settings → API tokens). Staff see their units' requests, managers all requests "
        "read-only. See docs/api.md."
    ),
    urls_namespace="desk-api",
    auth=DeskTokenAuth(),
    docs=Swagger(settings={"persistAuthorization": False}),
)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    response = api.create_response(request, {"detail": UNAUTHORIZED}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="desk"'
    return response


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    return api.create_response(
        request,
        {"detail": "ورودی نامعتبر است. / Invalid input.", "errors": exc.errors},
        status=422,
    )


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: a JSON 413, like every other API error."""
    return api.create_response(
        request, {"detail": "حجم درخواست بیش از حد مجاز است. / Request body too large."}, status=413
    )


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _database_outage(request, exc):
    """The database is down or restarting: a JSON 503 the client may retry, not an HTML page."""
    from portal.errors import RETRY_AFTER_SECONDS

    logger.warning("desk API: database unavailable: %s", type(exc).__name__)
    response = api.create_response(
        request,
        {
            "detail": "پایگاه داده در دسترس نیست؛ کمی بعد دوباره تلاش کنید. / Database unavailable, retry later."
        },
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@api.exception_handler(services.TransitionError)
def _conflict(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=409)


# Lookups ----------------------------------------------------------------------


def _user(request):
    return request.user


def _visible(request):
    return scoping.visible_requests(_user(request)).select_related("assignee")


def _get_request(request, tracking_code):
    code = canonical_digits(tracking_code or "").strip()
    if not code or "\x00" in code or len(code) > 16:
        raise HttpError(404, NOT_FOUND)
    found = _visible(request).filter(tracking_code=code).first()
    if found is None:
        raise HttpError(404, NOT_FOUND)
    return found


def _get_actionable(request, tracking_code):
    found = _get_request(request, tracking_code)
    if not scoping.can_act(_user(request), found):
        raise HttpError(403, READ_ONLY)
    return found


# Serialisation ----------------------------------------------------------------


def _jalali(value):
    from portal.jalali import to_jalali

    j = to_jalali(value)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


def _summary(req, today):
    return {
        "tracking_code": req.tracking_code,
        "public_id": req.public_id,
        "status": req.status,
        "status_label": Status(req.status).label,
        "service_code": req.service_code,
        "service_title": req.service_title,
        "unit_id": req.unit_id,
        "unit_name": req.unit_name,
        "citizen_name": req.full_name,
        "submitted_at": req.submitted_at,
        "submitted_jalali": _jalali(req.submitted_at),
        "due_date": req.due_date,
        "next_date": req.next_date,
        "overdue": req.is_overdue(today),
        "assignee": req.assignee.get_username() if req.assignee_id else None,
    }


def _response_out(response):
    return {
        "number": response.number,
        "response_date": response.response_date,
        "response_date_jalali": _jalali(response.response_date),
        "citizen_name": response.citizen_name,
        "national_code": response.national_code,
        "legal_grounds": response.legal_grounds,
        "content": response.content,
        "appeal": response.appeal,
        "notes": response.notes,
        "issued_at": response.created_at,
        "issued_by": response.issued_by.get_username() if response.issued_by_id else None,
        "signer_name": response.signer_name,
        "signer_position": response.signer_position,
        "guid": str(response.guid),
        "verify_url": letters.public_url(response.get_verify_url()),
        "pdf_sha256": response.pdf_sha256,
        "replaces": response.replaces.number if response.replaces_id else None,
        "objection_unit_id": response.objection_unit_id,
        "objection_unit_name": response.objection_unit_name,
        "objection_deadline": response.objection_deadline,
    }


def _links(req):
    """The objection links of a request: the request whose response it objects to,
    and the objections to its own responses (one query each)."""
    objected = None
    if req.objection_to_id:
        objected = (
            ServiceRequest.objects.filter(responses=req.objection_to_id)
            .values("tracking_code", "status", "responses__number")
            .first()
        )
    objections = (
        ServiceRequest.objects.filter(objection_to__request=req)
        .order_by("submitted_at")
        .values("tracking_code", "status", "objection_to__number")
    )
    return {
        "objection_to": objected
        and {
            "tracking_code": objected["tracking_code"],
            "status": objected["status"],
            "response_number": objected["responses__number"],
        },
        "objections": [
            {
                "tracking_code": o["tracking_code"],
                "status": o["status"],
                "response_number": o["objection_to__number"],
            }
            for o in objections
        ],
    }


def _detail(request, req):
    from django.urls import reverse

    from intake.models import OfficialResponse

    response = (
        OfficialResponse.objects.current().filter(request=req).select_related("issued_by", "replaces").first()
    )
    data = _summary(req, timezone.localdate())
    data.update(
        {
            "request_text": req.request_text,
            "national_code": req.national_code,
            "first_name": req.first_name,
            "last_name": req.last_name,
            "mobile": req.mobile,
            "landline": req.landline,
            "email": req.email,
            "address": req.address,
            "officer_name": req.officer_name,
            "officer_position": req.officer_position,
            "visit_date": req.visit_date,
            "previous_visit_result": req.previous_visit_result,
            "visit_description": req.visit_description,
            "allowed_transitions": [
                s for s in services.allowed_transitions(req.status) if s != Status.ANSWERED
            ],
            "can_act": scoping.can_act(_user(request), req),
            "attachments": [
                {
                    "id": a.pk,
                    "name": a.original_name,
                    "content_type": a.content_type,
                    "size": a.size,
                    "event_id": a.event_id,
                    "url": reverse(
                        "desk-api:attachment",
                        kwargs={"tracking_code": req.tracking_code, "attachment_id": a.pk},
                    ),
                }
                for a in req.attachments.all()
            ],
            "response": _response_out(response) if response else None,
            **_links(req),
        }
    )
    return data


def _event_out(event):
    return {
        "id": event.pk,
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "status": event.status,
        "from_status": event.from_status,
        "public_note": event.note,
        "internal_note": event.internal_note,
        "actor": event.actor.get_username() if event.actor_id else None,
        "created_at": event.created_at,
        "attachment_ids": [a.pk for a in event.attachments.all()],
        "next_date": event.next_date,
    }


# Filters ----------------------------------------------------------------------


def parse_day(value, name):
    """An ISO date (2026-11-24) or a Jalali date (1405/09/03, Persian digits too)."""
    text = to_ascii_digits(value or "").strip()
    if not text:
        return None
    try:
        if "-" in text and int(text.split("-")[0]) >= 1700:
            return datetime.date.fromisoformat(text)
        return parse_jalali(text)
    except (ValueError, OverflowError):
        raise HttpError(
            400,
            f"تاریخ «{name}» معتبر نیست؛ مانند 1405/09/03 یا 2026-11-24 وارد کنید. "
            f"/ «{name}» is not a date (1405/09/03 or 2026-11-24).",
        ) from None


class RequestFilters(Schema):
    status: list[StatusCode] | None = Field(None, description="one or more statuses")
    unit: int | None = Field(None, ge=1, le=MAX_INT, description="unit id")
    service_code: str | None = Field(None, max_length=40, description="national service ID, 11 digits")
    submitted_from: str | None = Field(
        None, max_length=20, description="from this day on (ISO 2026-11-24 or Jalali 1405/09/03)"
    )
    submitted_to: str | None = Field(
        None, max_length=20, description="up to and including this day (ISO or Jalali)"
    )
    overdue: bool | None = Field(None, description="true: only overdue open requests; false: none of them")
    assigned_to_me: bool | None = None
    q: str | None = Field(
        None, max_length=100, description="tracking code, national code, mobile, name or request text"
    )
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


def _filter(request, queryset, filters):
    if filters.status:
        queryset = queryset.filter(status__in=filters.status)
    if filters.unit:
        queryset = queryset.filter(unit_id=filters.unit)
    if filters.service_code:
        code = canonical_digits(filters.service_code).strip()
        if "\x00" in code:
            raise HttpError(400, "شناسه خدمت معتبر نیست. / Invalid service code.")
        queryset = queryset.filter(service_code=code)
    tz = timezone.get_current_timezone()
    start = parse_day(filters.submitted_from, "submitted_from")
    end = parse_day(filters.submitted_to, "submitted_to")
    if start:
        queryset = queryset.filter(submitted_at__gte=datetime.datetime.combine(start, datetime.time(), tz))
    if end:
        if end >= datetime.date.max:
            end = datetime.date.max - datetime.timedelta(days=1)
        next_day = end + datetime.timedelta(days=1)
        queryset = queryset.filter(submitted_at__lt=datetime.datetime.combine(next_day, datetime.time(), tz))
    today = timezone.localdate()
    overdue = ServiceRequest.overdue_q(today)
    if filters.overdue is True:
        queryset = queryset.filter(overdue)
    elif filters.overdue is False:
        queryset = queryset.exclude(overdue)
    if filters.assigned_to_me is True:
        queryset = queryset.filter(assignee=_user(request))
    elif filters.assigned_to_me is False:
        queryset = queryset.exclude(assignee=_user(request))
    if filters.q:
        text = canonical_text(filters.q)
        if "\x00" in text:
            raise HttpError(400, "متن جست‌وجو معتبر نیست. / Invalid search text.")
        digits = canonical_digits(text)
        if text:
            queryset = queryset.filter(
                Q(tracking_code=digits)
                | Q(national_code=digits)
                | Q(mobile=digits)
                | Q(first_name__icontains=text)
                | Q(last_name__icontains=text)
                | Q(request_text__icontains=text)
                | Q(service_title__icontains=text)
            )
    return queryset


# Endpoints --------------------------------------------------------------------

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@api.get("/requests", response={200: RequestPage, **ERRORS, 400: ErrorOut}, tags=["requests"])
def list_requests(request, filters: Query[RequestFilters]):
    """Requests the token's user may see, newest first, filtered and paginated."""
    queryset = _filter(request, _visible(request), filters).order_by("-submitted_at", "-pk")
    count = queryset.count()
    offset = (filters.page - 1) * filters.page_size
    today = timezone.localdate()
    rows = queryset[offset : offset + filters.page_size] if offset < count else []
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [_summary(req, today) for req in rows],
    }


@api.get("/requests/{tracking_code}", response={200: RequestDetail, **ERRORS}, tags=["requests"])
def get_request(request, tracking_code: str):
    """One request with the citizen's details, attachments and official response."""
    return _detail(request, _get_request(request, tracking_code))


@api.get("/requests/{tracking_code}/events", response={200: list[EventOut], **ERRORS}, tags=["requests"])
def list_events(request, tracking_code: str):
    """The request's history (سوابق), oldest first, with public and internal notes."""
    req = _get_request(request, tracking_code)
    events = req.events.select_related("actor").prefetch_related("attachments").order_by("created_at", "pk")
    return [_event_out(e) for e in events]


@api.post(
    "/requests/{tracking_code}/transition",
    response={200: RequestDetail, **ERRORS, 400: ErrorOut, 409: ErrorOut},
    tags=["actions"],
)
def apply_transition(request, tracking_code: str, payload: TransitionIn):
    """Change the status. 409 with a Persian message when the move is not allowed
    or the status changed since `expected_status` was read; 400 for «waiting»
    without a public_note (what the citizen must send)."""
    req = _get_actionable(request, tracking_code)
    unit = None
    if payload.unit_id is not None:
        if payload.to_status != Status.REFERRED:
            raise HttpError(400, "واحد فقط برای «ارجاع شده» داده می‌شود. / unit_id only with referred.")
        unit = OrgUnit.objects.filter(pk=payload.unit_id).first()
        if unit is None:
            raise HttpError(400, "واحد سازمانی یافت نشد. / Unit not found.")
    try:
        services.transition(
            req,
            payload.to_status,
            _user(request),
            public_note=payload.public_note.strip(),
            internal_note=payload.internal_note.strip(),
            expected_status=payload.expected_status,
            unit=unit,
        )
    except services.NoteRequired as error:  # «waiting» without saying what is missing
        raise HttpError(400, f"{error} / public_note is required with waiting.") from None
    req = ServiceRequest.objects.select_related("assignee").get(pk=req.pk)
    return _detail(request, req)


@api.post(
    "/requests/{tracking_code}/notes",
    response={201: EventOut, **ERRORS, 400: ErrorOut, 409: ErrorOut},
    tags=["actions"],
)
def add_note(request, tracking_code: str, payload: NoteIn):
    """A note without a status change: the public note is shown to the citizen."""
    req = _get_actionable(request, tracking_code)
    if not payload.public_note.strip() and not payload.internal_note.strip():
        raise HttpError(400, "متن یادداشت خالی است. / The note is empty.")
    event = services.add_note(req, _user(request), payload.public_note, payload.internal_note)
    return Reply(201, _event_out(event))


@api.post(
    "/requests/{tracking_code}/response",
    response={201: ResponseOut, **ERRORS, 400: ErrorOut, 409: ErrorOut},
    tags=["actions"],
)
def issue_response(request, tracking_code: str, payload: ResponseIn):
    """Issue the official response (numbered per Jalali year) and move the request
    to «پاسخ داده شده». The number, date, citizen name and national code are automatic."""
    req = _get_actionable(request, tracking_code)
    missing = [name for name in ("legal_grounds", "content", "appeal") if not getattr(payload, name).strip()]
    if missing:
        return api.create_response(
            request,
            {
                "detail": "این بخش‌های پاسخ رسمی خالی است: "
                + "، ".join(missing)
                + f" / empty: {', '.join(missing)}"
            },
            status=422,
        )
    objection_unit = None
    if payload.objection_unit_id is not None:
        objection_unit = OrgUnit.objects.filter(pk=payload.objection_unit_id).first()
        if objection_unit is None:
            raise HttpError(400, "مرجع رسیدگی به اعتراض یافت نشد. / objection_unit_id: unit not found.")
    response = services.issue_response(
        req,
        _user(request),
        objection_unit=objection_unit,
        objection_days=payload.objection_days,
        legal_grounds=payload.legal_grounds.strip(),
        content=payload.content.strip(),
        appeal=payload.appeal.strip(),
        notes=payload.notes.strip(),
        public_note=payload.public_note.strip(),
        internal_note=payload.internal_note.strip(),
    )
    return Reply(201, _response_out(response))


@api.get(
    "/requests/{tracking_code}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    url_name="attachment",
    tags=["requests"],
    openapi_extra={
        "responses": {
            200: {
                "description": "the file, as an attachment",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download_attachment(request, tracking_code: str, attachment_id: int):
    """The attachment's file, sent as a download (never shown inline)."""
    req = _get_request(request, tracking_code)
    if not 1 <= attachment_id <= MAX_INT:
        raise HttpError(404, ATTACHMENT_NOT_FOUND)
    attachment = RequestAttachment.objects.filter(request=req, pk=attachment_id).first()
    if attachment is None:
        raise HttpError(404, ATTACHMENT_NOT_FOUND)
    try:
        return attachment_response(attachment)
    except OSError:  # the file is gone from storage
        raise HttpError(404, ATTACHMENT_NOT_FOUND) from None
