"""Sending a request's attachment to staff: always a download, never rendered."""

from django.http import FileResponse


def attachment_response(attachment):
    """A download of the attachment's stored file (OSError when the file is gone).
    The caller has already checked that the user may see the request."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
