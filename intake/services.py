"""The only code that writes drafts, requests, attachments, events and SMS records.

`submit_request()` validates every step again and writes the request, its
attachments and its first workflow event in one transaction; it is idempotent
per draft (a double click or a replayed POST returns the same request). The SMS
is queued after the transaction commits.
"""

import logging
import uuid

from django.core.files.base import ContentFile
from django.db import IntegrityError, connections, router, transaction
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from . import catalog, holidays, sms, uploads, wizard
from .forms import CHOOSE_STEP
from .models import Draft, DraftFile, RequestAttachment, RequestEvent, ServiceRequest
from .tracking import generate_tracking_code

logger = logging.getLogger(__name__)
MAX_CODE_ATTEMPTS = 25


class StepsIncomplete(Exception):
    """A step no longer validates; `step` is where the citizen must go back to."""

    def __init__(self, step):
        super().__init__(step)
        self.step = step


# Drafts ----------------------------------------------------------------------


def get_draft(key):
    """The unsubmitted draft with this key, or None."""
    if not key:
        return None
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        return None
    return _DraftByKey.fetch(key)


def _compiled_once(compiled, connection, compile_for):
    """`compile_for(connection)`, kept in `compiled` per database alias."""
    found = compiled.get(connection.alias)
    if found is None:
        found = compiled[connection.alias] = compile_for(connection)
    return found


class _DraftByKey:
    """The draft query of every wizard request, compiled once per database (its SQL,
    columns and converters) instead of building and compiling a queryset each time:
    the same SELECT ... WHERE key = %s LIMIT 1 the ORM writes, the same Draft."""

    _compiled = {}

    @classmethod
    def fetch(cls, key):
        connection = connections[router.db_for_read(Draft)]
        sql, attnames, converters = _compiled_once(cls._compiled, connection, cls._compile)
        value = Draft._meta.get_field("key").get_db_prep_value(key, connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [value])
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for position, (functions, expression) in converters.items():
            for function in functions:
                row[position] = function(row[position], expression, connection)
        return Draft.from_db(connection.alias, attnames, row)

    @staticmethod
    def _compile(connection):
        # [:1], not first(): the key is unique, no ORDER BY needed.
        queryset = Draft.objects.filter(key=uuid.UUID(int=0))[:1]
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        if len(params) != 1:
            raise RuntimeError("unexpected draft query parameters")
        columns = [expression for expression, _sql, _alias in compiler.select]
        attnames = [expression.target.attname for expression in columns]
        return sql, attnames, compiler.get_converters(columns)


def start_draft():
    """A new draft, written by its first `save_step` (one INSERT)."""
    return Draft()


def save_step(draft, step, data, valid, consent=False):
    """Store what was typed on a step; mark the step finished when it validated."""
    data = {name: value for name, value in data.items() if name != "agree"}
    if step in (CHOOSE_STEP, 2):
        service_data = {name: data.pop(name) for name in ("unit", "service", "service_id") if name in data}
        if service_data:
            draft.data[wizard.SERVICE_KEY] = service_data
    draft.data[str(step)] = data
    completed = set(draft.completed)
    if valid:
        completed.add(step)
    else:
        completed.discard(step)
    if step in (CHOOSE_STEP, 2) and valid:
        # A different unit may have different officers: step 5 must be checked again.
        unit = draft.data[wizard.SERVICE_KEY].get("unit")
        if draft.data.get("5", {}).get("_unit") not in (None, unit):
            completed.discard(5)
    if step == 5:
        draft.data["5"]["_unit"] = wizard.unit_id_of(draft)
    if consent:
        draft.consented_at = timezone.now()
    draft.completed = sorted(completed)
    draft.updated_at = timezone.now()
    if draft._state.adding:
        draft.save()
    else:
        draft.save(update_fields=["data", "completed", "consented_at", "updated_at"])
    return draft


def save_attachments(draft, form):
    """Apply the attachments step: remove the ticked files, store the checked new ones,
    mark the step finished; one transaction. The draft keeps the list of its files
    (wizard.FILES_KEY) beside their rows, so later steps read no rows."""
    removed = set(form.cleaned_data.get("remove") or [])
    current = wizard.draft_files(draft)
    gone = [f for f in current if str(f.pk) in removed]
    kept = [f for f in current if str(f.pk) not in removed]
    with transaction.atomic():
        if gone:
            DraftFile.objects.filter(draft=draft, pk__in=[f.pk for f in gone]).delete()
            names = [f.file.name for f in gone]
            transaction.on_commit(lambda: _remove_files(names))
        for clean, content_type, name, extension in form.checked:
            draft_file = DraftFile(
                draft=draft, original_name=name, content_type=content_type, size=len(clean)
            )
            draft_file.file.save(uploads.storage_name(extension), ContentFile(clean), save=False)
            draft_file.save()
            kept.append(draft_file)
        draft.data[wizard.FILES_KEY] = wizard.listed_files(kept)
        draft._wizard_files = kept
        save_step(draft, 3, {}, valid=True)


def discard_draft(draft):
    """Remove a draft and its temporary files."""
    _remove_files([draft_file.file.name for draft_file in draft.files.all()])
    draft.delete()


# Submission -------------------------------------------------------------------


def existing_request(submission_key):
    return ServiceRequest.objects.filter(submission_key=submission_key).first()


def submit_request(draft, options, now=None, forms=None):
    """Create the request from a finished draft. Returns (request, created).

    Raises StepsIncomplete when a step no longer validates (nothing is written).
    `forms`: the steps' forms as `wizard.revalidate` returned them without a bad step,
    when the caller has just done that (the wizard's review step); otherwise it is
    done here. A draft already submitted (a double click, a replayed POST, two at
    once) gives the request it became.
    """
    if draft.submitted_at is not None:
        return _submitted(draft)
    bad_step = None
    if forms is None:
        forms, bad_step = wizard.revalidate(draft, options)
    if bad_step is not None or not draft.consented_at:
        raise StepsIncomplete(CHOOSE_STEP if bad_step is None else bad_step)
    now = now or timezone.now()
    details = forms[2]
    # What the request copies of its service: the catalog of the request's content
    # generation is exact (see intake.wizard.WizardOptions); without one, read again.
    service = details.service if options.exact else None
    service = service or catalog.live_service(details.service, only=catalog.SUBMISSION_FIELDS)
    if service is None:
        raise StepsIncomplete(2)
    visit = forms[5]
    fields = _request_fields(
        service,
        details.cleaned_data["request_text"],
        forms[4].cleaned_data,
        {**visit.cleaned_data, "officer": visit.officer_object()},
        consented_at=draft.consented_at,
        now=now,
        token=options.token,
    )
    fields["submission_key"] = draft.key
    draft_files = wizard.draft_files(draft)
    for _attempt in range(MAX_CODE_ATTEMPTS):
        stored = []
        try:
            with transaction.atomic():
                request_obj = _write(draft, draft_files, fields, generate_tracking_code(), stored)
        except AlreadySubmitted:
            return _submitted(draft)
        except Exception as error:
            _remove_files(stored)  # copies made for a transaction that rolled back
            if not isinstance(error, IntegrityError):
                raise
            if not catalog.still_offered(details.service):
                raise StepsIncomplete(2) from error  # the service went while we wrote
            continue  # tracking-code collision: draw again
        draft.submitted_at = fields["submitted_at"]
        return request_obj, True
    raise RuntimeError(f"no free tracking code after {MAX_CODE_ATTEMPTS} attempts")


class _MarkSubmitted:
    """UPDATE the draft SET submitted_at WHERE pk AND submitted_at IS NULL, compiled once
    per database as the ORM writes it. Returns the number of rows changed (0 or 1)."""

    _compiled = {}

    @classmethod
    def run(cls, pk, submitted_at):
        connection = connections[router.db_for_write(Draft)]
        sql = _compiled_once(cls._compiled, connection, cls._compile)
        value = Draft._meta.get_field("submitted_at").get_db_prep_save(submitted_at, connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [value, pk])
            return cursor.rowcount

    @staticmethod
    def _compile(connection):
        query = Draft.objects.filter(pk=0, submitted_at__isnull=True).query.chain(UpdateQuery)
        query.add_update_values({"submitted_at": timezone.now()})
        sql, params = query.get_compiler(connection=connection).as_sql()
        if len(params) != 2:
            raise RuntimeError("unexpected draft update parameters")
        return sql


class AlreadySubmitted(Exception):
    """The draft was submitted by another request first."""


def _submitted(draft):
    previous = existing_request(draft.key)
    if previous is None:  # submitted, then its request deleted by staff
        raise StepsIncomplete(CHOOSE_STEP)
    return previous, False


def _request_fields(service, request_text, citizen, visit, consented_at, now, token=None):
    """A new request's fields from validated values: `citizen` is CitizenForm's
    cleaned data, `visit` a dict with officer (an Officer or None), visit_date,
    previous_visit_result and visit_description; what the citizen saw of the
    service is copied so later catalog edits do not change the request."""
    officer = visit.get("officer")
    return {
        "service_id": service.pk,
        "unit_id": service.unit_id,
        "service_title": service.title,
        "service_code": service.service_id,
        "unit_name": service.unit.name,
        "processing_days": service.processing_days,
        "request_text": request_text,
        "consented_at": consented_at,
        "national_code": citizen["national_code"],
        "first_name": citizen["first_name"],
        "last_name": citizen["last_name"],
        "mobile": citizen["mobile"],
        "landline": citizen.get("landline") or "",
        "email": citizen.get("email") or "",
        "address": citizen.get("address") or "",
        "officer": officer,
        "officer_name": officer.full_name if officer else "",
        "officer_position": officer.position if officer else "",
        "visit_date": visit.get("visit_date"),
        "previous_visit_result": visit.get("previous_visit_result") or "",
        "visit_description": visit.get("visit_description") or "",
        "submitted_at": now,
        # The Nth working day after the submission date (rules: portal.workdays).
        "due_date": holidays.due_date(now, service.processing_days, token),
    }


def _remove_files(names):
    storage = RequestAttachment._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete %s", name)


def _write(draft, draft_files, fields, code, stored):
    # Mark the draft submitted first: the row stays locked until the commit, so a
    # concurrent submission of the same draft waits here and then finds it taken.
    if not _MarkSubmitted.run(draft.pk, fields["submitted_at"]):
        raise AlreadySubmitted
    request_obj = ServiceRequest(tracking_code=code, **fields)
    # The forms validated every value; the foreign keys come from the catalog.
    request_obj.full_clean(exclude=["service", "unit", "officer"], validate_unique=False)
    request_obj.save()
    for draft_file in draft_files:
        attachment = RequestAttachment(
            request=request_obj,
            original_name=draft_file.original_name,
            content_type=draft_file.content_type,
            size=draft_file.size,
        )
        with draft_file.file.open("rb") as handle:
            content = handle.read()
        extension = uploads.EXTENSIONS.get(draft_file.content_type, "bin")
        attachment.file.save(uploads.storage_name(extension), ContentFile(content), save=False)
        stored.append(attachment.file.name)
        attachment.save()
    RequestEvent.objects.create(
        request=request_obj,
        kind=RequestEvent.Kind.SUBMITTED,
        status=ServiceRequest.Status.RECEIVED,
        note="درخواست از درگاه ثبت شد.",
        created_at=fields["submitted_at"],
    )
    # The draft's temporary files go once the request is safely committed; their rows
    # go with the submitted draft (manage.py cleanup_intake_drafts).
    if draft_files:
        temporary = [f.file.name for f in draft_files]
        transaction.on_commit(lambda: _remove_files(temporary))
    # The SMS is recorded with the request (one commit); its task is committed with
    # them too when the queue is a table of this database, else queued after the commit.
    message = sms.record_tracking_sms(request_obj)
    if message is not None:
        if sms.queue_in_database():
            sms.enqueue(message.pk)
        else:
            transaction.on_commit(lambda: _enqueue_sms(message.pk))
    return request_obj


def _enqueue_sms(message_pk):
    """Hand a recorded SMS to the task queue; never raises (`retry_sms` queues a
    message left pending again)."""
    try:
        sms.enqueue(message_pk)
    except Exception:  # a failing queue never loses or blocks the request
        logger.exception("could not queue SMS %s", message_pk)


def queue_receipt_sms(request_pk):
    """Record the SMS and hand it to the task queue; never raises."""
    try:
        sms.queue_tracking_sms(request_pk)
    except Exception:  # a failing queue never loses or blocks the request
        logger.exception("could not queue the SMS for request %s", request_pk)


# Workflow ---------------------------------------------------------------------

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


class TransitionError(Exception):
    """A transition that is not allowed, or that another staff member's action overtook.
    The message is Persian and may be shown to staff as it is."""


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
    _from_response=False,
):
    """Move a request to `to_status`, recording a RequestEvent and notifying the citizen.

    The request row is locked (SELECT … FOR UPDATE): when two staff act at the
    same moment, the second waits, then sees the new status; if its move is no
    longer allowed (or `expected_status` — what that staff member saw — differs)
    it gets a TransitionError and nothing is written.
    """
    to_status = Status(to_status)
    if to_status == Status.ANSWERED and not _from_response:
        raise TransitionError("برای «پاسخ داده شده» باید پاسخ رسمی صادر شود.")
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=request_obj.pk)
        current = locked.status
        if expected_status is not None and current != expected_status:
            raise TransitionError(
                f"وضعیت این درخواست در این فاصله به «{locked.get_status_display()}» تغییر کرده است؛"
                " صفحه را دوباره باز کنید."
            )
        if to_status not in TRANSITIONS.get(current, set()):
            raise TransitionError(
                f"تغییر وضعیت از «{Status(current).label}» به «{to_status.label}» مجاز نیست."
            )
        locked.status = to_status
        fields = ["status"]
        if to_status == Status.REFERRED and unit is not None:
            locked.unit = unit
            locked.unit_name = unit.name
            fields += ["unit", "unit_name"]
        locked.save(update_fields=fields)
        event = RequestEvent.objects.create(
            request=locked,
            kind=RequestEvent.Kind.STATUS,
            status=to_status,
            from_status=current,
            note=public_note or "",
            internal_note=internal_note or "",
            actor=actor if getattr(actor, "pk", None) else None,
        )
        transaction.on_commit(lambda: queue_status_sms(locked.pk))
    request_obj.status = locked.status
    request_obj.unit_id = locked.unit_id
    request_obj.unit_name = locked.unit_name
    return event


def queue_status_sms(request_pk):
    """Tell the citizen the new status by SMS; never raises."""
    try:
        request_obj = ServiceRequest.objects.get(pk=request_pk)
        sms.queue_text(request_obj, request_obj.mobile, sms.status_text(request_obj))
    except Exception:
        logger.exception("could not queue the status SMS for request %s", request_pk)


def _next_response_number(year):
    from .models import ResponseCounter

    try:
        with transaction.atomic():
            ResponseCounter.objects.get_or_create(year=year)
    except IntegrityError:  # created by a concurrent issuer a moment ago
        pass
    counter = ResponseCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}/{counter.last:06d}"


def issue_response(
    request_obj, actor, legal_grounds, content, appeal, notes="", public_note="", internal_note="", now=None
):
    """Issue the official response: numbered per Jalali year (e.g. 1405/000123,
    from a locked counter row, so numbers never repeat), the request moved to
    answered and the citizen notified — all in one transaction."""
    import jdatetime

    from .models import OfficialResponse

    now = now or timezone.now()
    local = timezone.localtime(now)
    year = jdatetime.date.fromgregorian(date=local.date()).year
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=request_obj.pk)
        if OfficialResponse.objects.filter(request=locked).exists():
            raise TransitionError("برای این درخواست پیش از این پاسخ رسمی صادر شده است.")
        if Status.ANSWERED not in TRANSITIONS.get(locked.status, set()):
            raise TransitionError(f"در وضعیت «{locked.get_status_display()}» نمی‌توان پاسخ رسمی صادر کرد.")
        response = OfficialResponse.objects.create(
            request=locked,
            number=_next_response_number(year),
            response_date=local.date(),
            citizen_name=locked.full_name,
            national_code=locked.national_code,
            legal_grounds=legal_grounds,
            content=content,
            appeal=appeal,
            notes=notes,
            issued_by=actor if getattr(actor, "pk", None) else None,
            created_at=now,
        )
        transition(
            locked,
            Status.ANSWERED,
            actor,
            public_note=public_note or "پاسخ رسمی صادر شد.",
            internal_note=internal_note,
            _from_response=True,
        )
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


def add_note(request_obj, actor, public_note="", internal_note=""):
    """A note without a status change. A public note is shown to the citizen on
    the follow-up page; an internal note never is."""
    public_note, internal_note = (public_note or "").strip(), (internal_note or "").strip()
    if not public_note and not internal_note:
        raise TransitionError("متن یادداشت خالی است.")
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=request_obj.pk)
        return RequestEvent.objects.create(
            request=locked,
            kind=RequestEvent.Kind.NOTE,
            status=locked.status,
            note=public_note,
            internal_note=internal_note,
            actor=actor if getattr(actor, "pk", None) else None,
        )


# Requests from other systems (desk.open311) -------------------------------------


def submit_external(service, citizen, request_text, visit, channel, now=None, submission_key=None):
    """Register a request another system sent (Open311 POST), already validated
    by the wizard's own forms: `citizen` is CitizenForm.cleaned_data, `visit` a
    dict with officer (an Officer or None), visit_date, previous_visit_result and
    visit_description. The request and its first event are written in one
    transaction, the receipt SMS (with the tracking code) is queued on commit.
    `submission_key` (from the sender's idempotency key) makes a replay return the
    request the first call created. Returns (request, created)."""
    if submission_key is not None:
        previous = existing_request(submission_key)
        if previous is not None:
            return previous, False
    now = now or timezone.now()
    fields = _request_fields(service, request_text, citizen, visit, consented_at=now, now=now)
    for _attempt in range(MAX_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                request_obj = ServiceRequest(
                    tracking_code=generate_tracking_code(),
                    submission_key=submission_key or uuid.uuid4(),
                    **fields,
                )
                request_obj.full_clean(exclude=["service", "unit", "officer"], validate_unique=False)
                request_obj.save()
                RequestEvent.objects.create(
                    request=request_obj,
                    kind=RequestEvent.Kind.SUBMITTED,
                    status=ServiceRequest.Status.RECEIVED,
                    note="درخواست از سامانه دیگر (Open311) ثبت شد.",
                    internal_note=f"ثبت از طریق Open311 با کلید «{channel}».",
                    created_at=now,
                )
                transaction.on_commit(lambda pk=request_obj.pk: queue_receipt_sms(pk))
        except IntegrityError:
            previous = existing_request(submission_key) if submission_key is not None else None
            if previous is not None:
                return previous, False  # the same call, made twice at once
            continue  # tracking-code or public-id collision: draw again
        return request_obj, True
    raise RuntimeError(f"no free tracking code after {MAX_CODE_ATTEMPTS} attempts")
