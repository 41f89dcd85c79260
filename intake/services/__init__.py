"""The one writer of requests (ServiceRequest, RequestAttachment, RequestEvent):
the final submission (submission.py), the workflow (workflow.py), the
citizen's answer to missing documents (missing_documents.py) and the citizen's
objection to a response (objection.py), both with citizen_files.py's checks and
writer of a text and two files. Callers
import from here: `from intake import services; services.transition(...)`."""

from .missing_documents import answer_missing, asked_event
from .objection import file_objection, open_objection, refusal
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
    objection_defaults,
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
    "file_objection",
    "issue_response",
    "objection_defaults",
    "open_objection",
    "refusal",
    "submit_external",
    "submit_request",
    "transition",
]
