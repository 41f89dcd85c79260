"""رسید خدمت: what the service receipt shows of a request, for the wizard's receipt
(HTML and PDF) and the follow-up's copy of it; and the sizes and limits of
attachments as a citizen reads them (Persian digits and units)."""

from portal.persian import file_size_text, group_thousands, to_persian_digits

from . import uploads


def upload_limits():
    """The attachment limits in Persian, for the attachments step."""
    return {
        "max_size": file_size_text(uploads.MAX_FILE_BYTES),
        "max_bytes": group_thousands(uploads.MAX_FILE_BYTES),
        "max_files": to_persian_digits(uploads.MAX_FILES),
    }


def receipt_context(request_obj):
    """The request, its last SMS, its receipt email and its attachments (one query each
    unless prefetched)."""
    return {
        "req": request_obj,
        "sms": request_obj.latest_sms(),
        "email": request_obj.latest_receipt_email(),
        "attachments": request_obj.attachments.all(),
    }
