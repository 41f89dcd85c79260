"""Open311 GeoReport v2 (JSON) at /open311/v2/ — see docs/api.md for the mapping.

- discovery.json, services.json (service_code = the national service ID,
  group = the unit's name), services/<code>.json (the wizard's questions as
  attributes);
- POST requests.json with an api_key (desk.models.Open311Key): validated by the
  wizard's own forms (intake.forms), written by intake.services.submit_external;
- GET requests.json and requests/<service_request_id>.json: the opaque public id
  (never the tracking code), status, service, unit and the unit's address; no
  personal data.

Deviations from the standard: no location (the seed has none: `address` is the
responsible unit's address, lat/long are never given and not required on POST),
jurisdiction_id is accepted and ignored, only JSON is offered (.xml gets a 400).
"""

import datetime
import logging
import uuid

from django.db.models import Max
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from intake import catalog, ratelimit, services, wizard
from intake.forms import CitizenForm, RequestDetailsForm, VisitForm
from intake.models import RequestEvent, ServiceRequest
from portal.jalali import parse_jalali

from .models import Open311Key

logger = logging.getLogger(__name__)
Status = ServiceRequest.Status

OPEN = ServiceRequest.OPEN_STATUSES
CLOSED = [Status.ANSWERED, Status.CLOSED]
MAX_RESULTS = 1000
DEFAULT_DAYS = 90
# PostgreSQL (and ISO 8601 in practice) holds UTC offsets up to ±15:59; Python up to ±23:59.
MAX_UTC_OFFSET = datetime.timedelta(hours=15, minutes=59)

# The wizard's questions: (code, datatype, required, order, description).
# `None` for required means "required when the unit has active officers".
ATTRIBUTES = [
    (
        "request_text",
        "text",
        True,
        "متن درخواست (۱۰ نویسه یا بیشتر). The standard `description` is accepted instead.",
    ),
    ("national_code", "string", True, "شماره ملی ارباب رجوع، ۱۰ رقم (citizen's national code)."),
    ("first_name", "string", True, "نام. The standard `first_name` is accepted instead."),
    ("last_name", "string", True, "نام خانوادگی. The standard `last_name` is accepted instead."),
    ("mobile", "string", True, "تلفن همراه، مانند 09121234567. The standard `phone` is accepted instead."),
    ("landline", "string", False, "تلفن ثابت با پیش‌شماره شهر، مانند 02112345678."),
    ("email", "string", False, "ایمیل. The standard `email` is accepted instead."),
    ("address", "text", False, "آدرس ارباب رجوع (حداکثر ۵۰۰ نویسه)."),
    ("officer", "singlevaluelist", None, "نام و نام خانوادگی متصدی: the key of one of the values."),
    ("visit_date", "datetime", True, "تاریخ مراجعه: Jalali 1405/09/03 or ISO 8601 2026-11-24."),
    ("previous_visit_result", "singlevaluelist", False, "نتیجه مراجعه قبلی در صورت وجود."),
    ("visit_description", "text", False, "شرح مراجعه (حداکثر ۱۰۰۰ نویسه)."),
]
STANDARD_ALIASES = {
    "request_text": "description",
    "first_name": "first_name",
    "last_name": "last_name",
    "mobile": "phone",
    "email": "email",
}


def error(status, *descriptions):
    """Open311's error format: a list of {code, description}."""
    return JsonResponse([{"code": status, "description": d} for d in descriptions], status=status, safe=False)


def ok(data, status=200):
    response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


# Discovery and services ---------------------------------------------------------


@require_GET
def discovery(request):
    base = request.build_absolute_uri(reverse("open311:discovery")).rsplit("/", 1)[0] + "/"
    return ok(
        {
            "changeset": "2026-11-24T00:00:00+03:30",
            "contact": "سازمان مدیریت و برنامه ریزی استان — میز خدمت",
            "key_service": "کلید Open311 را مدیر سامانه در پیشخوان (تنظیمات → کلیدهای Open311) می‌سازد.",
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base,
                    "changeset": "2026-11-24T00:00:00+03:30",
                    "type": "production",
                    "formats": ["application/json"],
                }
            ],
        }
    )


@require_GET
def service_list(request):
    return ok(
        [
            {
                "service_code": service.service_id,
                "service_name": service.title,
                "description": service.summary,
                "metadata": True,
                "type": "realtime",
                "keywords": "",
                "group": service.unit.name,
            }
            for service in catalog.online_services()
        ]
    )


def _service_or_none(code):
    from portal.persian import canonical_digits

    code = canonical_digits(code or "").strip()
    if not (code.isascii() and code.isdigit() and len(code) == 11):
        return None
    return catalog.service_by_code(code)


def _attribute_values(code, officers, result_choices):
    if code == "officer":
        return [{"key": str(o.pk), "name": f"{o.full_name} — {o.position}"} for o in officers]
    if code == "previous_visit_result":
        return [{"key": choice, "name": choice} for choice in result_choices]
    return None


@require_GET
def service_definition(request, code):
    service = _service_or_none(code)
    if service is None:
        return error(404, "خدمتی با این service_code یافت نشد. / No such service_code.")
    officers = list(catalog.active_officers(service.unit_id))
    options = wizard.options_for(request)
    attributes = []
    for order, (name, datatype, required, description) in enumerate(ATTRIBUTES, start=1):
        if required is None:
            required = bool(officers)
        attribute = {
            "variable": True,
            "code": name,
            "datatype": datatype,
            "required": required,
            "datatype_description": "",
            "order": order,
            "description": description,
        }
        values = _attribute_values(name, officers, options.result_choices)
        if values is not None:
            attribute["values"] = values
        attributes.append(attribute)
    return ok({"service_code": service.service_id, "attributes": attributes})


# Requests -----------------------------------------------------------------------


def _value(post, name):
    value = post.get(f"attribute[{name}]", "")
    if not value and name in STANDARD_ALIASES:
        value = post.get(STANDARD_ALIASES[name], "")
    return value


def _visit_date(value):
    """ISO 8601 (2026-11-24, also with a time) becomes the Jalali text the wizard's field reads."""
    text = (value or "").strip()
    if len(text) >= 10 and text[4:5] == "-" and text[:4].isdigit() and int(text[:4]) >= 1700:
        try:
            day = datetime.date.fromisoformat(text[:10])
        except ValueError:
            return text
        import jdatetime

        j = jdatetime.date.fromgregorian(date=day)
        return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
    return text


def _form_errors(form, names):
    messages = []
    for field, errors in form.errors.items():
        name = names.get(field, f"attribute[{field}]")
        for message in errors:
            messages.append(f"{name}: {message}")
    return messages


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_view(request):
    if request.method == "POST":
        return _post_request(request)
    return _get_requests(request)


IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1c2a8e-5d3b-4f0a-9c71-2b8e4d6a1f35")


def _submission_key(request, key):
    """The request's submission key from the sender's Idempotency-Key header (per API
    key: two senders never share one), None without it, "" when it is malformed."""
    value = request.headers.get(IDEMPOTENCY_HEADER)
    if value is None:
        return None
    if not 1 <= len(value) <= 200 or not value.isprintable() or not value.isascii():
        return ""
    return uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{key.pk}:{value}")


def _post_request(request):
    post = request.POST
    key = Open311Key.authenticate(post.get("api_key", ""))
    if key is None:
        return error(403, "api_key معتبر لازم است. / A valid api_key is required.")
    if not ratelimit.allow(request, "open311", "OPEN311_POST_RATE", "120/60", who=f"key{key.pk}"):
        response = error(
            429,
            "درخواست‌های این کلید از حد مجاز گذشت؛ کمی بعد دوباره بفرستید. / Too many requests for this api_key.",
        )
        response["Retry-After"] = "60"
        return response
    submission_key = _submission_key(request, key)
    if submission_key == "":
        return error(
            400,
            "Idempotency-Key: یک تا ۲۰۰ نویسه ASCII. / Idempotency-Key must be 1-200 printable ASCII characters.",
        )
    if not post.get("service_code"):
        return error(400, "service_code: خدمت را مشخص کنید. / service_code is required.")
    service_page = _service_or_none(post.get("service_code"))
    if service_page is None:
        return error(400, "service_code: خدمتی با این شناسه درخواست برخط نمی‌پذیرد. / Unknown service_code.")
    options = wizard.options_for(request)
    details = RequestDetailsForm(
        data={
            "unit": str(service_page.unit_id),
            "service": service_page.service_id,
            "service_id": service_page.service_id,
            "request_text": _value(post, "request_text"),
        },
        services=options.services,
        max_length=options.max_length,
    )
    citizen = CitizenForm(
        data={name: _value(post, name) for name in CitizenForm.base_fields},
    )
    officers = catalog.active_officers(service_page.unit_id)
    visit = VisitForm(
        data={
            "officer": _value(post, "officer"),
            "visit_date": _visit_date(_value(post, "visit_date")),
            "previous_visit_result": _value(post, "previous_visit_result"),
            "visit_description": _value(post, "visit_description"),
        },
        officers=officers,
        result_choices=options.result_choices,
    )
    names = {"service": "service_code", "service_id": "service_code", "unit": "service_code"}
    messages = []
    for form in (details, citizen, visit):
        if not form.is_valid():
            messages += _form_errors(form, names)
    if messages:
        return error(400, *messages)
    service = catalog.live_service(details.service)
    if service is None:
        return error(400, "service_code: این خدمت درخواست برخط نمی‌پذیرد. / Service not accepting requests.")
    request_obj, _created = services.submit_external(
        service,
        citizen.cleaned_data,
        details.cleaned_data["request_text"],
        {**visit.cleaned_data, "officer": visit.officer_object()},
        channel=key.name,
        submission_key=submission_key,
    )
    return ok(
        [
            {
                "service_request_id": request_obj.public_id,
                "service_notice": "درخواست ثبت شد؛ کد پیگیری با پیامک برای ارباب رجوع فرستاده می‌شود.",
                "account_id": None,
            }
        ]
    )


def _parse_when(value, name, end=False):
    text = (value or "").strip()
    if not text:
        return None
    try:
        when = parse_datetime(text)
        if when is None:
            day = parse_date(text)
            if day is None:
                day = parse_jalali(text)
            when = datetime.datetime.combine(day + datetime.timedelta(days=1 if end else 0), datetime.time())
    except (ValueError, OverflowError):
        when = None
    if when is None:
        raise ValueError(f"{name}: تاریخ معتبر نیست (ISO 8601). / {name} is not an ISO 8601 date.")
    offset = when.utcoffset()
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        raise ValueError(
            f"{name}: اختلاف ساعت با UTC باید بین ‎-15:59 و ‎+15:59 باشد. / "
            f"{name}: the UTC offset must be within ±15:59."
        )
    try:
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        # Both the database (UTC) and the local clock must be able to hold the moment.
        when.astimezone(datetime.UTC)
        timezone.localtime(when)
    except (ValueError, OverflowError):
        raise ValueError(
            f"{name}: تاریخ بیرون از بازه پذیرفتنی است. / {name} is outside the supported range."
        ) from None
    return when


def _public(req, unit_addresses, status_notes):
    return {
        "service_request_id": req.public_id,
        "status": "open" if req.status in OPEN else "closed",
        "status_notes": status_notes.get(req.pk, ""),
        "service_name": req.service_title,
        "service_code": req.service_code,
        "requested_datetime": _iso(req.submitted_at),
        "updated_datetime": _iso(req.updated or req.submitted_at),
        "expected_datetime": (
            _iso(timezone.make_aware(datetime.datetime.combine(req.due_date, datetime.time(23, 59))))
            if req.due_date
            else None
        ),
        "agency_responsible": req.unit_name,
        "service_notice": "",
        "address": unit_addresses.get(req.unit_id, ""),
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def _render(queryset):
    """The public view of requests: never names, codes, phone numbers or the request text."""
    from services.models import OrgUnit

    rows = list(
        queryset.annotate(updated=Max("events__created_at")).only(
            "pk",
            "public_id",
            "status",
            "service_title",
            "service_code",
            "submitted_at",
            "due_date",
            "unit_id",
            "unit_name",
        )  # fmt: skip
    )
    unit_ids = {r.unit_id for r in rows if r.unit_id}
    addresses = dict(OrgUnit.objects.filter(pk__in=unit_ids).values_list("pk", "address"))
    notes = {}
    # status_notes: the public note of each request's latest status change.
    for event in (
        RequestEvent.objects.filter(request__in=[r.pk for r in rows], kind=RequestEvent.Kind.STATUS)
        .order_by("request_id", "created_at", "pk")
        .only("request_id", "note")
    ):
        notes[event.request_id] = event.note
    return [_public(r, addresses, notes) for r in rows]


def _get_requests(request):
    params = request.GET
    queryset = ServiceRequest.objects.all()
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        if len(ids) > 100 or any(len(i) > 16 or "\x00" in i for i in ids):
            return error(400, "service_request_id: شناسه معتبر نیست. / Invalid service_request_id.")
        queryset = queryset.filter(public_id__in=ids)
    else:
        try:
            start = _parse_when(params.get("start_date"), "start_date")
            end = _parse_when(params.get("end_date"), "end_date", end=True)
        except ValueError as exc:
            return error(400, str(exc))
        if start is None and end is None:
            start = timezone.now() - datetime.timedelta(days=DEFAULT_DAYS)
        if start is not None:
            queryset = queryset.filter(submitted_at__gte=start)
        if end is not None:
            queryset = queryset.filter(submitted_at__lt=end)
        codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
        if codes:
            if any(not (c.isascii() and c.isdigit() and len(c) <= 11) for c in codes):
                return error(400, "service_code: شناسه خدمت ۱۱ رقم است. / Invalid service_code.")
            queryset = queryset.filter(service_code__in=codes)
        wanted = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
        if wanted - {"open", "closed"}:
            return error(400, "status: فقط open یا closed. / status is open or closed.")
        if wanted == {"open"}:
            queryset = queryset.filter(status__in=OPEN)
        elif wanted == {"closed"}:
            queryset = queryset.filter(status__in=CLOSED)
    return ok(_render(queryset.order_by("-submitted_at", "-pk")[:MAX_RESULTS]))


@require_GET
def request_detail(request, public_id):
    if len(public_id) > 16 or "\x00" in public_id:  # PostgreSQL cannot even compare a NUL
        return error(404, "درخواستی با این شناسه یافت نشد. / No such service_request_id.")
    found = _render(ServiceRequest.objects.filter(public_id=public_id))
    if not found:
        return error(404, "درخواستی با این شناسه یافت نشد. / No such service_request_id.")
    return ok(found)


def not_offered(request, *args, **kwargs):
    return error(400, "فقط JSON ارائه می‌شود؛ به جای .xml از .json استفاده کنید. / Only JSON is offered.")


# URLs (included at /open311/v2/ by portal.urls) -----------------------------------

from django.urls import path, re_path  # noqa: E402

app_name = "open311"
urlpatterns = [
    path("discovery.json", discovery, name="discovery"),
    path("services.json", service_list, name="services"),
    path("services/<str:code>.json", service_definition, name="service"),
    path("requests.json", requests_view, name="requests"),
    path("requests/<str:public_id>.json", request_detail, name="request"),
    re_path(r"^.*\.xml$", not_offered),
]
