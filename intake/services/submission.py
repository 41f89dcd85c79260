"""The final submission: a finished draft (the wizard) or a request another system
sent (Open311) becomes a request.

`submit_request()` validates every step again and writes the request, its
attachments and its first workflow event in one transaction; it is idempotent per
draft (a double click, a replayed POST or two at once return the same request):
the draft is taken by one conditional UPDATE (submitted_at IS NULL) that locks its
row until the commit. The receipt SMS is recorded in the same transaction and
queued with it (or after the commit when the task queue is elsewhere).
"""

import uuid

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import catalog, holidays, notifications, tasks, uploads, wizard
from ..forms import CHOOSE_STEP
from ..models import Draft, RequestAttachment, RequestEvent, ServiceRequest
from ..storage import remove_files
from ..tracking import generate_tracking_code

MAX_CODE_ATTEMPTS = 25


class StepsIncomplete(Exception):
    """A step no longer validates; `step` is where the citizen must go back to."""

    def __init__(self, step):
        super().__init__(step)
        self.step = step


class AlreadySubmitted(Exception):
    """The draft was submitted by another request first."""


def existing_request(submission_key):
    return ServiceRequest.objects.filter(submission_key=submission_key).first()


def submit_request(draft, options, now=None, forms=None):
    """Create the request from a finished draft. Returns (request, created).

    Raises StepsIncomplete when a step no longer validates (nothing is written).
    `forms`: the steps' forms as `wizard.revalidate` returned them without a bad step,
    when the caller has just done that (the wizard's review step); otherwise it is
    done here. A draft already submitted gives the request it became.
    """
    if draft.submitted_at is not None:
        return submitted(draft)
    bad_step = None
    if forms is None:
        forms, bad_step = wizard.revalidate(draft, options)
    if bad_step is not None or not draft.consented_at:
        raise StepsIncomplete(CHOOSE_STEP if bad_step is None else bad_step)
    now = now or timezone.now()
    details = forms[2]
    visit = forms[5]
    # What the request copies of its service comes from the catalog the forms
    # validated against (that of the request's content version).
    fields = request_fields(
        details.service,
        details.cleaned_data["request_text"],
        forms[4].cleaned_data,
        {**visit.cleaned_data, "officer": visit.officer_object()},
        consented_at=draft.consented_at,
        now=now,
    )
    fields["submission_key"] = draft.key
    draft_files = draft.attachments
    for _attempt in range(MAX_CODE_ATTEMPTS):
        stored = []
        try:
            with transaction.atomic():
                request_obj = write(draft, draft_files, fields, generate_tracking_code(), stored)
        except AlreadySubmitted:
            return submitted(draft)
        except Exception as error:
            remove_files(stored)  # copies made for a transaction that rolled back
            if not isinstance(error, IntegrityError):
                raise
            if not catalog.still_offered(details.service):
                raise StepsIncomplete(2) from error  # the service went while we wrote
            continue  # tracking-code collision: draw again
        draft.submitted_at = fields["submitted_at"]
        return request_obj, True
    raise RuntimeError(f"no free tracking code after {MAX_CODE_ATTEMPTS} attempts")


def submitted(draft):
    previous = existing_request(draft.key)
    if previous is None:  # submitted, then its request deleted by staff
        raise StepsIncomplete(CHOOSE_STEP)
    return previous, False


def request_fields(service, request_text, citizen, visit, consented_at, now):
    """A new request's fields from validated values: `service` a ServicePage or the
    catalog's ServiceOption, `citizen` CitizenForm's cleaned data, `visit` a dict with
    officer (an Officer or None), visit_date, previous_visit_result and
    visit_description. What the citizen saw of the service is copied so later
    catalog edits do not change the request."""
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
        "due_date": holidays.due_date(now, service.processing_days),
    }


def take_draft(draft, submitted_at):
    """Mark the draft submitted unless it is already: True for the one caller that
    took it. The row stays locked until the commit, so a concurrent submission of
    the same draft waits here and then finds it taken."""
    taken = Draft.objects.filter(pk=draft.pk, submitted_at__isnull=True).update(submitted_at=submitted_at)
    return taken == 1


def save_new(request_obj, note, internal_note=""):
    """Save a new request with its first event («ثبت درخواست»), inside the caller's
    transaction. The forms validated every value; the foreign keys come from the
    catalog, so they are not checked again."""
    request_obj.full_clean(exclude=["service", "unit", "officer"], validate_unique=False)
    request_obj.save()
    RequestEvent.objects.create(
        request=request_obj,
        kind=RequestEvent.Kind.SUBMITTED,
        status=ServiceRequest.Status.RECEIVED,
        note=note,
        internal_note=internal_note,
        created_at=request_obj.submitted_at,
    )
    return request_obj


def write(draft, draft_files, fields, code, stored):
    """One attempt at writing the request (inside the caller's transaction)."""
    if not take_draft(draft, fields["submitted_at"]):
        raise AlreadySubmitted
    request_obj = save_new(ServiceRequest(tracking_code=code, **fields), "درخواست از درگاه ثبت شد.")
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
    # The draft's temporary files go once the request is safely committed; their rows
    # go with the submitted draft (manage.py cleanup_intake_drafts).
    if draft_files:
        temporary = [f.file.name for f in draft_files]
        transaction.on_commit(lambda: remove_files(temporary))
    queue_receipt(request_obj)
    return request_obj


def queue_receipt(request_obj):
    """The receipt SMS (and email) of a new request, inside its transaction: recorded
    with the request (one commit); its task is committed with them too when the queue
    is a table of this database, else queued after the commit."""
    message = notifications.record_tracking_sms(request_obj)
    if message is not None:
        if tasks.queue_in_database():
            tasks.enqueue(message.pk)
        else:
            transaction.on_commit(lambda: notifications.enqueue_quietly(message.pk))


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
    fields = request_fields(service, request_text, citizen, visit, consented_at=now, now=now)
    for _attempt in range(MAX_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                request_obj = save_new(
                    ServiceRequest(
                        tracking_code=generate_tracking_code(),
                        submission_key=submission_key or uuid.uuid4(),
                        **fields,
                    ),
                    "درخواست از سامانه دیگر (Open311) ثبت شد.",
                    internal_note=f"ثبت از طریق Open311 با کلید «{channel}».",
                )
                transaction.on_commit(lambda pk=request_obj.pk: notifications.queue_receipt_sms(pk))
        except IntegrityError:
            previous = existing_request(submission_key) if submission_key is not None else None
            if previous is not None:
                return previous, False  # the same call, made twice at once
            continue  # tracking-code or public-id collision: draw again
        return request_obj, True
    raise RuntimeError(f"no free tracking code after {MAX_CODE_ATTEMPTS} attempts")
