"""The workflow: the one state machine of a request's status, the official response
(numbered per Jalali year), assignment and notes. Every change is a RequestEvent,
written with the request row locked; the citizen is told of a new status by SMS
after the commit (intake.notifications)."""

import datetime

import jdatetime
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import notifications
from ..holidays import due_date, extend_due_date
from ..models import OfficialResponse, RequestEvent, ResponseCounter, ServiceRequest, Signatory
from ..storage import remove_files

Status = ServiceRequest.Status

# The one state machine: from each status, where a request may go.
# «answered» is reached only through issue_response() (a response must exist).
TRANSITIONS = {
    Status.RECEIVED: {Status.IN_REVIEW, Status.REFERRED, Status.WAITING, Status.CLOSED},
    Status.IN_REVIEW: {Status.REFERRED, Status.WAITING, Status.ANSWERED, Status.CLOSED},
    Status.REFERRED: {Status.IN_REVIEW, Status.WAITING, Status.ANSWERED, Status.CLOSED},
    Status.WAITING: {Status.IN_REVIEW, Status.CLOSED},
    Status.ANSWERED: {Status.CLOSED, Status.IN_REVIEW},
    Status.CLOSED: set(),
}


# Statuses a request never leaves.
FINAL_STATUSES = frozenset(status for status, moves in TRANSITIONS.items() if not moves)


class TransitionError(Exception):
    """A transition that is not allowed, or that another staff member's action overtook.
    The message is Persian and may be shown to staff as it is."""


class NoteRequired(TransitionError):
    """A move into «در انتظار تکمیل مدارک» without a public note saying what is missing."""


def allowed_transitions(status):
    return sorted(TRANSITIONS.get(status, set()))


def transition(
    request_obj,
    to_status,
    actor,
    public_note="",
    internal_note="",
    expected_status=None,
    unit=None,
    next_date=None,
):
    """Move a request to `to_status`, recording a RequestEvent and notifying the citizen.
    `next_date`: a date staff announce for the next step (a visit…), shown to the citizen.

    The request row is locked (SELECT … FOR UPDATE): when two staff act at the
    same moment, the second waits, then sees the new status; if its move is no
    longer allowed (or `expected_status` — what that staff member saw — differs)
    it gets a TransitionError and nothing is written. «answered» is reached only
    through issue_response().
    """
    to_status = Status(to_status)
    if to_status == Status.ANSWERED:
        raise TransitionError("برای «پاسخ داده شده» باید پاسخ رسمی صادر شود.")
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=request_obj.pk)
        if expected_status is not None and locked.status != expected_status:
            raise TransitionError(
                f"وضعیت این درخواست در این فاصله به «{locked.get_status_display()}» تغییر کرده است؛"
                " صفحه را دوباره باز کنید."
            )
        event = move(locked, to_status, actor, public_note, internal_note, unit, next_date=next_date)
    for name in ("status", "unit_id", "unit_name", "due_date", "waiting_since", "waiting_time", "next_date"):
        setattr(request_obj, name, getattr(locked, name))
    request_obj.citizen_answered_at = locked.citizen_answered_at
    return event


def end_wait(locked, now):
    """The request leaves «در انتظار تکمیل مدارک» (on the locked row, not saved): the
    wait is added to waiting_time, and the working days it took (those after the day
    it began, up to and including today) are added back to the due date. The fields
    changed."""
    fields = []
    if locked.waiting_since is not None:
        locked.waiting_time += max(now - locked.waiting_since, datetime.timedelta(0))
        locked.due_date = extend_due_date(locked.due_date, locked.waiting_since, now)
        fields += ["waiting_time", "due_date"]
    locked.waiting_since = None
    return [*fields, "waiting_since"]


NEXT_DATE_PAST = "تاریخ اقدام بعدی نمی‌تواند پیش از امروز باشد."


def check_next_date(next_date, now=None):
    """A next date staff announce is today or later (TransitionError otherwise)."""
    if next_date < timezone.localdate(now or timezone.now()):
        raise TransitionError(NEXT_DATE_PAST)


WAITING_NOTE_REQUIRED = (
    "برای «در انتظار تکمیل مدارک» بنویسید چه مدارک یا توضیحی از شهروند لازم است (در «توضیح برای شهروند»)."
)


def move(
    locked,
    to_status,
    actor,
    public_note="",
    internal_note="",
    unit=None,
    now=None,
    by_staff=True,
    next_date=None,
):
    """The move itself, on a request row the caller locked in its transaction: checked
    against TRANSITIONS, saved, recorded as an event; the SMS after the commit.

    Into «در انتظار تکمیل مدارک» only with a public note (what is missing), and the
    wait starts; out of it, the wait ends: its length is added to waiting_time and
    the working days it took are added back to the due date (missing_documents).
    A staff move clears the «پاسخ شهروند» flag (citizen_answered_at)."""
    current = locked.status
    if to_status not in TRANSITIONS.get(current, set()):
        raise TransitionError(f"تغییر وضعیت از «{Status(current).label}» به «{to_status.label}» مجاز نیست.")
    if to_status == Status.WAITING and not (public_note or "").strip():
        raise NoteRequired(WAITING_NOTE_REQUIRED)
    now = now or timezone.now()
    locked.status = to_status
    fields = ["status"]
    if to_status == Status.REFERRED and unit is not None:
        locked.unit = unit
        locked.unit_name = unit.name
        fields += ["unit", "unit_name"]
    if to_status == Status.WAITING:
        locked.waiting_since = now
        fields.append("waiting_since")
    elif current == Status.WAITING:
        fields += end_wait(locked, now)
    if by_staff and locked.citizen_answered_at is not None:
        locked.citizen_answered_at = None
        fields.append("citizen_answered_at")
    if next_date is not None:
        check_next_date(next_date, now)
        locked.next_date = next_date
        fields.append("next_date")
    locked.save(update_fields=fields)
    event = RequestEvent.objects.create(
        request=locked,
        kind=RequestEvent.Kind.STATUS,
        status=to_status,
        from_status=current,
        note=public_note or "",
        internal_note=internal_note or "",
        actor=actor if getattr(actor, "pk", None) else None,
        next_date=next_date,
    )
    transaction.on_commit(lambda: notifications.queue_status_sms(locked.pk))
    return event


def _next_response_number(year):
    try:
        with transaction.atomic():
            ResponseCounter.objects.get_or_create(year=year)
    except IntegrityError:  # created by a concurrent issuer a moment ago
        pass
    counter = ResponseCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}/{counter.last:06d}"


DEFAULT_OBJECTION_DAYS = 10


def objection_defaults(request_obj):
    """(unit, working days) of an objection to this request's response, as its service
    says: the service's objection unit or else the request's own unit, and its
    objection period (DEFAULT_OBJECTION_DAYS when the service is gone)."""
    service = request_obj.service
    if service is None:
        return request_obj.unit, DEFAULT_OBJECTION_DAYS
    return service.objection_unit or request_obj.unit, service.objection_days or DEFAULT_OBJECTION_DAYS


def objection_deadline(issued_at, days):
    """The last day an objection is accepted: the `days`-th working day after the
    response's local date (the due date's own rules, intake.holidays)."""
    return due_date(issued_at, days)


def response_signer(actor, signer=None):
    """Who signs: the chosen Signatory (e.g. the unit head), or the issuing staff
    member's own. TransitionError (Persian) without one or without a national code,
    which the «شمس» QR needs."""
    if signer is None:
        signer = Signatory.objects.filter(user_id=getattr(actor, "pk", None)).first()
    if signer is None or not signer.national_code:
        raise TransitionError(
            "کد ملی امضاکننده ثبت نشده است؛ پیش از صدور پاسخ رسمی، نام، سمت و کد ملی امضاکننده"
            " را در «امضاکنندگان» ثبت کنید."
        )
    return signer


def issue_response(
    request_obj,
    actor,
    legal_grounds,
    content,
    appeal,
    notes="",
    public_note="",
    internal_note="",
    now=None,
    signer=None,
    replaces=None,
    objection_unit=None,
    objection_days=None,
):
    """Issue the official response: numbered per Jalali year (e.g. 1405/000123,
    from a locked counter row, so numbers never repeat), its letter rendered,
    signed and stored (intake.letters), the request moved to answered and the
    citizen notified — all in one transaction.

    `replaces` is the request's current response when this one corrects it: the
    earlier letter stays as it was, marked replaced on its verification page.
    `signer` is a Signatory (default: the issuing staff member's own).
    `objection_unit` (an OrgUnit) and `objection_days` (working days from the
    response date) say where and until when the citizen may object; by default the
    service's (objection_defaults)."""
    from .. import letters

    now = now or timezone.now()
    local = timezone.localtime(now)
    year = jdatetime.date.fromgregorian(date=local.date()).year
    signer = response_signer(actor, signer)
    stored = []
    try:
        with transaction.atomic():
            locked = ServiceRequest.objects.select_for_update().get(pk=request_obj.pk)
            current = OfficialResponse.objects.current().filter(request=locked).first()
            if replaces is None and current is not None:
                raise TransitionError("برای این درخواست پیش از این پاسخ رسمی صادر شده است.")
            if replaces is not None and (current is None or current.pk != replaces.pk):
                raise TransitionError(
                    "پاسخی که اصلاح می‌شود پاسخ جاری این درخواست نیست؛ صفحه را دوباره باز کنید."
                )
            correcting_answered = replaces is not None and locked.status == Status.ANSWERED
            if not correcting_answered and Status.ANSWERED not in TRANSITIONS.get(locked.status, set()):
                raise TransitionError(f"در وضعیت «{locked.get_status_display()}» نمی‌توان پاسخ رسمی صادر کرد.")
            default_unit, default_days = objection_defaults(locked)
            objection_unit = objection_unit or default_unit
            response = OfficialResponse(
                request=locked,
                replaces=current if replaces is not None else None,
                number=_next_response_number(year),
                response_date=local.date(),
                citizen_name=locked.full_name,
                national_code=locked.national_code,
                subject=" — ".join(part for part in (locked.service_title, locked.unit_name) if part),
                legal_grounds=legal_grounds,
                content=content,
                appeal=appeal,
                notes=notes,
                issued_by=actor if getattr(actor, "pk", None) else None,
                signer_name=signer.full_name,
                signer_position=signer.position,
                signer_national_code=signer.national_code,
                objection_unit=objection_unit,
                objection_unit_name=objection_unit.name if objection_unit else "",
                objection_deadline=objection_deadline(now, objection_days or default_days),
                created_at=now,
            )
            try:
                letters.produce(response)
            except letters.SigningError as error:
                raise TransitionError(str(error)) from None
            stored.append(response.pdf.name)
            response.save()
            note = public_note or "پاسخ رسمی صادر شد."
            if replaces is not None:
                note = (
                    public_note or f"پاسخ اصلاحی به شماره {response.number} جایگزین پاسخ {current.number} شد."
                )
            if correcting_answered:
                RequestEvent.objects.create(
                    request=locked,
                    kind=RequestEvent.Kind.NOTE,
                    status=locked.status,
                    note=note,
                    internal_note=internal_note or "",
                    actor=actor if getattr(actor, "pk", None) else None,
                )
                transaction.on_commit(lambda: notifications.queue_status_sms(locked.pk))
            else:
                move(locked, Status.ANSWERED, actor, note, internal_note)
    except BaseException:
        remove_files(stored)  # nothing half-written: no letter file without its response
        raise
    request_obj.status = Status.ANSWERED
    return response


def assign(request_obj, assignee, actor, internal_note=""):
    """Hand the request to a staff member (کارشناس مسئول), or take it back (None).
    Recorded as an internal event; the citizen is not notified."""
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=request_obj.pk)
        if locked.status == Status.CLOSED:
            raise TransitionError("درخواست مختومه را نمی‌توان واگذار کرد.")
        locked.assignee = assignee
        locked.save(update_fields=["assignee"])
        name = (assignee.get_full_name() or assignee.get_username()) if assignee else "هیچ‌کس"
        event = RequestEvent.objects.create(
            request=locked,
            kind=RequestEvent.Kind.ASSIGNED,
            status=locked.status,
            internal_note=f"واگذار شد به {name}." + (f" {internal_note}" if internal_note else ""),
            actor=actor if getattr(actor, "pk", None) else None,
        )
    request_obj.assignee = assignee
    return event


def add_note(request_obj, actor, public_note="", internal_note="", next_date=None):
    """A note without a status change. A public note is shown to the citizen on
    the follow-up page; an internal note never is. A `next_date` (a visit, the next
    step) is announced to the citizen: shown on the follow-up page and sent by SMS
    (and email) with the status."""
    public_note, internal_note = (public_note or "").strip(), (internal_note or "").strip()
    if not public_note and not internal_note and next_date is None:
        raise TransitionError("متن یادداشت خالی است.")
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=request_obj.pk)
        fields = []
        if locked.citizen_answered_at is not None:  # staff have seen the citizen's answer
            locked.citizen_answered_at = None
            fields.append("citizen_answered_at")
        if next_date is not None:
            check_next_date(next_date)
            locked.next_date = request_obj.next_date = next_date
            fields.append("next_date")
            transaction.on_commit(lambda: notifications.queue_status_sms(locked.pk))
        if fields:
            locked.save(update_fields=fields)
        return RequestEvent.objects.create(
            request=locked,
            kind=RequestEvent.Kind.NOTE,
            status=locked.status,
            note=public_note,
            internal_note=internal_note,
            actor=actor if getattr(actor, "pk", None) else None,
            next_date=next_date,
        )
