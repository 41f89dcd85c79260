"""What the follow-up pages read of a request: the status page's fields and public
history in one query, and its service's workflow steps with the current one marked.
Internal staff notes are never read into a citizen page."""

from services.models import ServiceWorkflowStep

from ..models import RequestEvent, ServiceRequest

Status = ServiceRequest.Status

# What the status page shows of a request (its service's steps are read on their own).
STATUS_FIELDS = (
    "tracking_code",
    "service_id",
    "service_title",
    "unit_name",
    "submitted_at",
    "due_date",
    "next_date",
    "status",
)
EVENT_FIELDS = ("kind", "status", "from_status", "note", "next_date", "created_at", "request_id")


def one(queryset):
    """The row or None, without the ORDER BY that .first() adds (the default
    ordering by submission time would let PostgreSQL scan that index instead of
    the unique one, which grows with the table)."""
    return next(iter(queryset.order_by()[:1]), None)


def is_public(event):
    """Shown to the citizen: not an assignment, not a note with only internal text (a
    note announcing a next date is shown)."""
    hidden, note = RequestEvent.Kind.ASSIGNED, RequestEvent.Kind.NOTE
    return event.kind != hidden and not (event.kind == note and not event.note and not event.next_date)


def request_with_public_events(pk):
    """What the status page shows: the request's STATUS_FIELDS and its public history,
    read together in one query through the events (every request has its first
    event; one without any is read on its own). Never the internal note (not even
    read from the database), never who the request is assigned to, never a note
    with only internal text (a request has a handful of events: they are sorted out
    here)."""
    fields = EVENT_FIELDS + tuple(f"request__{name}" for name in STATUS_FIELDS)
    events = list(
        RequestEvent.objects.filter(request_id=pk)
        .select_related("request")
        .only(*fields)
        .order_by("created_at", "pk")
    )
    if not events:
        return one(ServiceRequest.objects.filter(pk=pk).only(*STATUS_FIELDS)), []
    request_obj = events[0].request
    for event in events:
        event.request = request_obj  # one object for every row
    return request_obj, [e for e in events if is_public(e)]


def workflow_steps(request_obj, events):
    """The service's steps, each marked only from what the request's events show.

    A service's steps are its editors' free text; the request's events record
    only its statuses. So: the first step is done when the submission event is
    there; the last step is done when an event shows the response issued
    (answered) and the request was not reopened since; a review status (in
    review, referred, waiting) makes the second step the current one. A step in
    between is never marked done (no event says it happened), and once the
    request is answered or closed no step is current."""
    if not request_obj.service_id:
        return []
    steps = list(
        ServiceWorkflowStep.objects.filter(page_id=request_obj.service_id).only("title", "description")
    )
    if not steps:
        return []
    last = len(steps) - 1
    done = set()
    if any(event.kind == RequestEvent.Kind.SUBMITTED for event in events):
        done.add(0)
    answered = any(
        event.kind == RequestEvent.Kind.STATUS and event.status == Status.ANSWERED for event in events
    )
    if answered and request_obj.status in (Status.ANSWERED, Status.CLOSED):
        done.add(last)
    current = None
    if request_obj.status in (Status.IN_REVIEW, Status.REFERRED, Status.WAITING):
        current = min(1, last)
        done.discard(current)
    return [
        {"step": step, "number": index + 1, "current": index == current, "done": index in done}
        for index, step in enumerate(steps)
    ]
