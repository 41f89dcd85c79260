"""رسید خدمت: what the service receipt shows of a request, for the wizard's receipt
(HTML and PDF) and the follow-up's copy of it."""


def receipt_context(request_obj):
    """The request, its last SMS and its attachments (one query each unless prefetched)."""
    return {
        "req": request_obj,
        "sms": request_obj.latest_sms(),
        "attachments": list(request_obj.attachments.all()),
    }
