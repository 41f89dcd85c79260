"""The one writer of requests (ServiceRequest, RequestAttachment, RequestEvent):
the final submission (submission.py) and the workflow (workflow.py). Callers
import from here: `from intake import services; services.transition(...)`."""

from .submission import StepsIncomplete, existing_request, submit_external, submit_request
from .workflow import (
    FINAL_STATUSES,
    TRANSITIONS,
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
    "StepsIncomplete",
    "TransitionError",
    "add_note",
    "allowed_transitions",
    "assign",
    "existing_request",
    "issue_response",
    "submit_external",
    "submit_request",
    "transition",
]
