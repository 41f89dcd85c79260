"""What a citizen sends once the request exists (the answer to missing documents, an
objection): a text and up to two files, each already checked by
uploads.check_upload. One check of both, one writer of the files."""

from django.core.files.base import ContentFile

from .. import uploads
from ..models import RequestAttachment
from .workflow import TransitionError


def checked(text, files, max_length, empty, too_long):
    """(text, files) trimmed and listed, or TransitionError with the Persian message
    `empty` or `too_long`, or the wizard's for more than two files."""
    text = (text or "").strip()
    files = list(files)
    if not text:
        raise TransitionError(empty)
    if len(text) > max_length:
        raise TransitionError(too_long)
    if len(files) > uploads.MAX_FILES:
        raise TransitionError(uploads.MESSAGES["too_many"])
    return text, files


def store(request_obj, files, stored, event=None):
    """Write the files as the request's attachments (of `event`, when given), inside
    the caller's transaction; each stored name is appended to `stored`, so the caller
    can remove them if the transaction rolls back."""
    for content, content_type, name, extension in files:
        attachment = RequestAttachment(
            request=request_obj,
            event=event,
            original_name=name,
            content_type=content_type,
            size=len(content),
        )
        attachment.file.save(uploads.storage_name(extension), ContentFile(content), save=False)
        stored.append(attachment.file.name)
        attachment.save()
