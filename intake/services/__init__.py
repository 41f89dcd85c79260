"""The one writer of requests (ServiceRequest, RequestAttachment, RequestEvent):
the final submission (submission.py), the workflow (workflow.py) and the
citizen's answer to missing documents (missing_documents.py). Callers
import from here: `from intake import services; services.transition(...)`."""

from .missing_documents import answer_missing, asked_event
from .submission import StepsIncomplete, existing_request, submit_external, submit_request
from .workflow import (
    FINAL_STATUSES,
    TRANSITIONS,
    WAITING_NOTE_REQUIRED,
    NoteRequired,
    TransitionError,
    add_note,
    allowed_transitions,
    assign,
    issue_response,
    transition,
)

__all__ = [
    "FINAL_STATUSES",
    "TRANSITIONS",
    "WAITING_NOTE_REQUIRED",
    "NoteRequired",
    "StepsIncomplete",
    "TransitionError",
    "add_note",
    "answer_missing",
    "asked_event",
    "allowed_transitions",
    "assign",
    "existing_request",
    "issue_response",
    "submit_external",
    "submit_request",
    "transition",
]
