"""Files sent to staff (a request's attachment, the exports): always a download,
never rendered, never sniffed, never cached, with a policy that allows nothing."""

from django.http import FileResponse

# What docs/security.md promises for every download: no script, no plugin, no
# same-origin rights even if a browser were to render the file.
DOWNLOAD_CSP = "default-src 'none'; sandbox"


def as_download(response):
    """Mark `response` as a sandboxed download. The CSP middleware leaves a response's
    own Content-Security-Policy header alone (django-csp sets one only when absent)."""
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if not response.get("Content-Disposition", "").startswith("attachment"):
        response["Content-Disposition"] = "attachment"
    return response


def attachment_response(attachment):
    """A download of the attachment's stored file (OSError when the file is gone).
    The caller has already checked that the user may see the request."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    return as_download(response)
