"""A request that arrives through Open311 with an email gets the receipt email (its
PDF attached) beside the receipt SMS, once (docs/notifications.md)."""

import pytest
from django.core import mail as django_mail

from intake.models import EmailMessage, ServiceRequest
from tests.desk.test_open311 import BASE, good_post, key, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_open311_request_gets_the_receipt_email(client, world, key, django_capture_on_commit_callbacks):  # noqa: F811
    data = good_post(key, **{"attribute[officer]": str(world["officer"].pk)})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/requests.json", data, headers={"Idempotency-Key": "send-1"})
        assert response.status_code == 200
    req = ServiceRequest.objects.get(email="z@example.com")
    message = EmailMessage.objects.get(request=req)
    assert (message.kind, message.status, message.recipient) == ("receipt", "sent", "z@example.com")
    [sent] = django_mail.outbox
    assert sent.to == ["z@example.com"] and sent.attachments[0][0] == f"receipt-{req.tracking_code}.pdf"
    # The same key again (a replay) writes and sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}/requests.json", data, headers={"Idempotency-Key": "send-1"})
    assert EmailMessage.objects.count() == 1 and len(django_mail.outbox) == 1
