"""Missing documents: the citizen answers («پاسخ شهروند»).

Staff move a request to «در انتظار تکمیل مدارک» with a public note saying what is
missing (workflow.move refuses the move without one). The citizen, after the
identity check of /track/, answers: a text and up to two files, already checked
by the wizard's own checks (intake.uploads.check_upload, through the follow-up's
AnswerForm). `answer_missing()` writes in one transaction a public event of kind
«پاسخ شهروند» with the text, its RequestAttachment rows (pointing to that event),
and the move back to «در حال بررسی» by the workflow (which ends the wait: the
working days spent waiting are added back to the due date), and flags the request
for the unit's staff (citizen_answered_at, cleared by their next action). Files
stored for a transaction that rolled back are removed.
"""

from django.db import transaction
from django.utils import timezone

from ..models import RequestEvent, ServiceRequest
from ..storage import remove_files
from . import citizen_files
from .workflow import TransitionError, move

Status = ServiceRequest.Status

ANSWER_MAX_LENGTH = 2000
EMPTY_TEXT = "متن پاسخ را بنویسید: چه مدارکی فرستاده‌اید یا توضیح شما درباره آنچه خواسته شده است."
TOO_LONG = "متن پاسخ بیش از ۲۰۰۰ نویسه است؛ آن را کوتاه‌تر کنید."
ALREADY_ANSWERED = (
    "پاسخ شما به این درخواست پیش از این ثبت شده است و درخواست دوباره در حال بررسی است؛"
    " اگر کارشناس مدرک دیگری بخواهد، از همین صفحه خبر می‌شوید."
)
NOTHING_ASKED = "برای این درخواست مدرک یا توضیحی از شما خواسته نشده است."


def asked_event(request_obj):
    """The public note of the latest move into «در انتظار تکمیل مدارک»: what is asked
    (a RequestEvent), or None when the request is not waiting or nothing was written."""
    if request_obj.status != Status.WAITING:
        return None
    event = (
        RequestEvent.objects.filter(request_id=request_obj.pk, kind=RequestEvent.Kind.STATUS)
        .only("note", "created_at", "status")
        .order_by("-created_at", "-pk")
        .first()
    )
    if event is None or event.status != Status.WAITING or not event.note.strip():
        return None
    return event


def answer_missing(request_obj, text, files=(), now=None):
    """Record the citizen's answer to what staff asked. `files` are what
    uploads.check_upload returned for each file (clean bytes, content type, display
    name, extension). TransitionError (Persian) and nothing written when the text is
    empty or too long, there are more than two files, the request is no longer
    waiting (answered already) or nothing was asked. Returns the new event."""
    text, files = citizen_files.checked(text, files, ANSWER_MAX_LENGTH, EMPTY_TEXT, TOO_LONG)
    now = now or timezone.now()
    stored = []
    try:
        with transaction.atomic():
            locked = ServiceRequest.objects.select_for_update().get(pk=request_obj.pk)
            if locked.status != Status.WAITING:
                answered = RequestEvent.objects.filter(
                    request_id=locked.pk, kind=RequestEvent.Kind.CITIZEN_ANSWER
                ).exists()
                raise TransitionError(ALREADY_ANSWERED if answered else NOTHING_ASKED)
            if asked_event(locked) is None:
                raise TransitionError(NOTHING_ASKED)
            event = RequestEvent.objects.create(
                request=locked,
                kind=RequestEvent.Kind.CITIZEN_ANSWER,
                status=Status.WAITING,
                note=text,
                created_at=now,
            )
            citizen_files.store(locked, files, stored, event=event)
            move(locked, Status.IN_REVIEW, None, now=now, by_staff=False)
            locked.citizen_answered_at = now
            locked.save(update_fields=["citizen_answered_at"])
    except BaseException:
        remove_files(stored)  # nothing half-written: no file without its answer
        raise
    for name in ("status", "due_date", "waiting_since", "waiting_time", "citizen_answered_at"):
        setattr(request_obj, name, getattr(locked, name))
    return event
