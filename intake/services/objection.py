"""Objection (اعتراض) to an official response.

Each response names the unit that hears objections (`objection_unit`) and the last
day one is accepted (`objection_deadline`, working days from the response date;
defaults per service, editable when issuing: workflow.issue_response). Within the
deadline the citizen, after the identity check of /track/, files an objection: a
text and up to two files, already checked by the wizard's own checks (the
follow-up's ObjectionForm). `file_objection()` writes, in one transaction, a new
request linked to the response (`objection_to`), with its own tracking code, its
first event, its attachments, a public note on the original request and its
receipt SMS (and email); it is routed to the objection unit, whose staff see the
original response on its page. One open objection per response: checked here with
the response row locked, and by a partial unique constraint. After the deadline,
for a replaced letter, or with an objection still open, a Persian message and
nothing written.
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.jalali import format_jalali_date
from portal.persian import to_persian_digits

from .. import holidays
from ..models import OfficialResponse, RequestEvent, ServiceRequest
from ..storage import remove_files
from ..tracking import generate_tracking_code
from . import citizen_files
from .submission import MAX_CODE_ATTEMPTS, queue_receipt, save_new
from .workflow import TransitionError

OBJECTION_MAX_LENGTH = 2000
EMPTY_TEXT = "متن اعتراض را بنویسید: به کدام بخش پاسخ و به چه دلیل اعتراض دارید."
TOO_LONG = "متن اعتراض بیش از ۲۰۰۰ نویسه است؛ آن را کوتاه‌تر کنید."
REPLACED = "این پاسخ با پاسخ اصلاحی جایگزین شده است؛ صفحه پاسخ را دوباره باز کنید و به پاسخ جاری اعتراض کنید."
NO_DEADLINE = (
    "برای این پاسخ مهلت اعتراض برخط تعیین نشده است؛ برای اعتراض به مرجعی که در پاسخ نام برده شده مراجعه کنید."
)


def deadline_passed(deadline):
    return (
        f"مهلت اعتراض به این پاسخ در {format_jalali_date(deadline, long=True)} به پایان رسیده است"
        " و اعتراض برخط دیگر پذیرفته نمی‌شود."
    )


def already_open(objection):
    return (
        f"اعتراض شما به این پاسخ با کد پیگیری {to_persian_digits(objection.tracking_code)} در حال رسیدگی است؛"
        " تا پایان رسیدگی به آن، اعتراض دیگری به همین پاسخ ثبت نمی‌شود."
    )


def open_objection(response):
    """The objection to `response` still being handled, or None."""
    return (
        ServiceRequest.objects.filter(objection_to=response, status__in=ServiceRequest.OPEN_STATUSES)
        .only("pk", "tracking_code", "status")
        .first()
    )


def refusal(response, today=None):
    """Why an objection to `response` cannot be filed now (a Persian sentence), or
    None when it can."""
    today = today or timezone.localdate()
    if response.objection_deadline is None:
        return NO_DEADLINE
    if OfficialResponse.objects.filter(replaces=response).exists():
        return REPLACED
    if today > response.objection_deadline:
        return deadline_passed(response.objection_deadline)
    objection = open_objection(response)
    if objection is not None:
        return already_open(objection)
    return None


def objection_fields(original, response, text, now):
    """The new request's fields: the citizen's from the original request, the
    service's from it too, the unit the response names."""
    unit = response.objection_unit or original.unit
    unit_name = response.objection_unit_name or (unit.name if unit else original.unit_name)
    return {
        "service_id": original.service_id,
        "unit_id": unit.pk if unit else original.unit_id,
        "service_title": f"اعتراض: {original.service_title}"[:255],
        "service_code": original.service_code,
        "unit_name": unit_name,
        "processing_days": original.processing_days,
        "request_text": text,
        "consented_at": now,
        "national_code": original.national_code,
        "first_name": original.first_name,
        "last_name": original.last_name,
        "mobile": original.mobile,
        "landline": original.landline,
        "email": original.email,
        "address": original.address,
        "submitted_at": now,
        "due_date": holidays.due_date(now, original.processing_days),
        "objection_to": response,
    }


def file_objection(response, text, files=(), now=None):
    """File the citizen's objection to `response` (the current letter of its request).
    `files` are what uploads.check_upload returned for each file. Returns the new
    request. TransitionError (Persian) and nothing written when the text is empty or
    too long, there are more than two files, or `refusal()` says no (checked again
    with the response row locked)."""
    text, files = citizen_files.checked(text, files, OBJECTION_MAX_LENGTH, EMPTY_TEXT, TOO_LONG)
    now = now or timezone.now()
    for _attempt in range(MAX_CODE_ATTEMPTS):
        stored = []
        try:
            with transaction.atomic():
                objection = write(response.pk, text, files, now, stored)
        except IntegrityError:
            remove_files(stored)
            objection = open_objection(response)
            if objection is not None:  # filed by a twin request a moment ago
                raise TransitionError(already_open(objection)) from None
            continue  # tracking-code collision: draw again
        except BaseException:
            remove_files(stored)  # nothing half-written: no file without its objection
            raise
        return objection
    raise RuntimeError(f"no free tracking code after {MAX_CODE_ATTEMPTS} attempts")


def write(response_pk, text, files, now, stored):
    """One attempt, inside the caller's transaction: the response row locked, the
    checks again, then the new request, its files, the note on the original."""
    response = OfficialResponse.objects.select_for_update().select_related("request").get(pk=response_pk)
    reason = refusal(response, timezone.localdate(now))
    if reason is not None:
        raise TransitionError(reason)
    original = response.request
    objection = save_new(
        ServiceRequest(
            tracking_code=generate_tracking_code(),
            submission_key=uuid.uuid4(),
            **objection_fields(original, response, text, now),
        ),
        f"اعتراض به پاسخ شماره {response.number} از درگاه ثبت شد.",
    )
    citizen_files.store(objection, files, stored)
    RequestEvent.objects.create(
        request=original,
        kind=RequestEvent.Kind.NOTE,
        status=original.status,
        # Not the objection's code: the code alone opens this page's history.
        note=f"اعتراض شما به پاسخ شماره {response.number} ثبت شد؛ کد پیگیری آن برای شما پیامک شد.",
        created_at=now,
    )
    queue_receipt(objection)
    return objection
