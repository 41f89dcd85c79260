"""The desk API's request and response bodies (pydantic, through django-ninja).

Every text field a client sends is refused (422) when it holds a NUL character:
PostgreSQL cannot store one, and a 500 is never the answer to bad input.
"""

import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, Field

from intake.models import RequestEvent, ServiceRequest

from .text import NOTE_MAX, RESPONSE_TEXT_MAX, staff_text

StatusCode = Literal[tuple(ServiceRequest.Status.values)]
EventKind = Literal[tuple(RequestEvent.Kind.values)]


def _no_nul(value):
    if value is not None and "\x00" in value:
        raise ValueError("متن نویسه NUL دارد / text contains a NUL character")
    return value


def Text(max_length):
    """A string without NUL characters, at most max_length characters long, kept in
    its stored form (desk.text.staff_text: no control, bidi or format characters)."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_no_nul), AfterValidator(staff_text)]


class ErrorOut(Schema):
    detail: str = Field(description="Persian message, safe to show to staff")


class AttachmentOut(Schema):
    id: int
    name: str = Field(description="the citizen's file name (display only)")
    content_type: str
    size: int = Field(description="bytes")
    event_id: int | None = Field(
        None, description="the event («پاسخ شهروند») the file came with; null for the submission's files"
    )
    url: str = Field(description="download address under this API")


class ResponseOut(Schema):
    """The official response (SPEC §4: the eight fields)."""

    number: str = Field(description="شماره پاسخ, e.g. 1405/000123")
    response_date: datetime.date = Field(description="تاریخ پاسخ (Gregorian ISO date)")
    response_date_jalali: str = Field(description="تاریخ پاسخ, Jalali yyyy/mm/dd")
    citizen_name: str = Field(description="نام و نام خانوادگی ارباب رجوع")
    national_code: str = Field(description="کد ملی")
    legal_grounds: str = Field(description="مستندات قانونی و استدلال های منجر به پاسخ ارائه شده")
    content: str = Field(description="مفاد اصلی پاسخ")
    appeal: str = Field(description="اعلام مرجع و مهلت اعتراض به پاسخ (تصمیم)")
    notes: str = Field(description="توضیحات")
    issued_at: datetime.datetime
    issued_by: str | None = None
    signer_name: str = Field("", description="نام امضاکننده")
    signer_position: str = Field("", description="سمت امضاکننده")
    guid: str = Field(description="the letter's GUID (in its «شمس» QR)")
    verify_url: str = Field(description="the letter's public verification page (absolute address)")
    pdf_sha256: str = Field("", description="SHA-256 of the signed PDF as issued")
    replaces: str | None = Field(None, description="number of the earlier letter this one corrects")
    objection_unit_id: int | None = Field(
        None, description="مرجع رسیدگی به اعتراض: the unit objections go to"
    )
    objection_unit_name: str = Field("", description="مرجع رسیدگی به اعتراض (its name on the letter)")
    objection_deadline: datetime.date | None = Field(
        None, description="مهلت اعتراض: the last day the citizen may object online"
    )


class RequestLink(Schema):
    """A request linked to this one: an objection (اعتراض) and the response it objects to."""

    tracking_code: str
    status: StatusCode
    response_number: str = Field(description="the official response objected to")


class RequestSummary(Schema):
    tracking_code: str
    public_id: str = Field(description="Open311 service_request_id")
    status: StatusCode
    status_label: str
    service_code: str = Field(description="national service ID (شناسه خدمت), 11 digits")
    service_title: str
    unit_id: int | None
    unit_name: str
    citizen_name: str
    submitted_at: datetime.datetime
    submitted_jalali: str = Field(description="Jalali yyyy/mm/dd of the submission (Tehran time)")
    due_date: datetime.date | None = Field(description="مهلت پاسخ (working days)")
    next_date: datetime.date | None = Field(
        default=None, description="تاریخ اقدام بعدی staff announced last (shown to the citizen)"
    )
    overdue: bool = Field(description="past its due date and neither answered nor closed")
    assignee: str | None = Field(description="username of the assigned staff member")


class RequestDetail(RequestSummary):
    request_text: str
    national_code: str
    first_name: str
    last_name: str
    mobile: str
    landline: str
    email: str
    address: str
    officer_name: str
    officer_position: str
    visit_date: datetime.date | None
    previous_visit_result: str
    visit_description: str
    allowed_transitions: list[StatusCode] = Field(
        description="statuses POST …/transition accepts now («answered» only through …/response)"
    )
    can_act: bool = Field(description="false for read-only managers")
    attachments: list[AttachmentOut]
    response: ResponseOut | None
    objection_to: RequestLink | None = Field(
        None, description="this request is an objection to that request's response"
    )
    objections: list[RequestLink] = Field(
        default_factory=list, description="objections filed against this request's responses"
    )


class RequestPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[RequestSummary]


class EventOut(Schema):
    id: int
    kind: EventKind
    kind_label: str
    status: StatusCode
    from_status: StatusCode | Literal[""]
    public_note: str = Field(description="shown to the citizen")
    internal_note: str = Field(description="staff only")
    actor: str | None
    created_at: datetime.datetime
    attachment_ids: list[int] = Field(
        default_factory=list, description="the attachments that came with it (a citizen's answer)"
    )
    next_date: datetime.date | None = Field(
        default=None, description="تاریخ اقدام بعدی announced with this event (a visit, the next step)"
    )


class TransitionIn(Schema):
    to_status: StatusCode
    public_note: Text(NOTE_MAX) = ""
    internal_note: Text(NOTE_MAX) = ""
    expected_status: StatusCode | None = Field(
        None,
        description="the status the client last saw; if it changed meanwhile the answer is 409",
    )
    unit_id: int | None = Field(
        None, ge=1, le=2_147_483_647, description="the unit to refer to (only with to_status=referred)"
    )


class NoteIn(Schema):
    public_note: Text(NOTE_MAX) = ""
    internal_note: Text(NOTE_MAX) = ""


class ResponseIn(Schema):
    """The four fields staff write; number, date, citizen name and national code
    are filled in automatically."""

    legal_grounds: Text(RESPONSE_TEXT_MAX)
    content: Text(RESPONSE_TEXT_MAX)
    appeal: Text(RESPONSE_TEXT_MAX)
    notes: Text(RESPONSE_TEXT_MAX) = ""
    public_note: Text(NOTE_MAX) = ""
    internal_note: Text(NOTE_MAX) = ""
    objection_unit_id: int | None = Field(
        None,
        ge=1,
        le=2_147_483_647,
        description="مرجع رسیدگی به اعتراض (a unit id); default: the service's objection unit, else the request's",
    )
    objection_days: int | None = Field(
        None, ge=1, le=90, description="مهلت اعتراض in working days from the response; default: the service's"
    )
