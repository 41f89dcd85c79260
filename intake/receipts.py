"""رسید خدمت: what the service receipt shows of a request, for the wizard's receipt
(HTML and PDF) and the follow-up's copy of it; and the sizes and limits of
attachments as a citizen reads them (Persian digits and units)."""

from portal.persian import file_size_text, group_thousands, to_persian_digits

from . import uploads


def size_label(size):
    """A file size in Persian (portal.persian.file_size_text)."""
    return file_size_text(int(size or 0))


def with_sizes(files):
    """The attachments, each with `size_label` for display."""
    files = list(files)
    for item in files:
        item.size_label = size_label(item.size)
    return files


def upload_limits():
    """The attachment limits in Persian, for the attachments step."""
    return {
        "max_size": size_label(uploads.MAX_FILE_BYTES),
        "max_bytes": group_thousands(uploads.MAX_FILE_BYTES),
        "max_files": to_persian_digits(uploads.MAX_FILES),
    }


def receipt_context(request_obj):
    """The request, its last SMS and its attachments (one query each unless prefetched)."""
    return {
        "req": request_obj,
        "sms": request_obj.latest_sms(),
        "attachments": with_sizes(request_obj.attachments.all()),
    }
