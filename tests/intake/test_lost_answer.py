"""The final submission was stored but its answer never reached the citizen (the
gunicorn worker was killed after the commit, the session could not be saved):
sending the final step again, or opening it again, shows the same receipt."""

import pytest

from intake.models import ServiceRequest
from tests.intake.files import png
from tests.intake.helpers import BASE, fill_to_review, step


def lose_the_answer(client):
    """Put the session back as it was before the final POST (its save was lost)."""
    before = dict(client.session.items())

    def restore():
        session = client.session
        session.clear()
        session.update(before)
        session.save()

    return restore


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "get"])
def test_replayed_final_step_gets_the_same_receipt(client, intake_page, service, officer, method):
    fill_to_review(client, service, officer, files=[png("a.png"), png("b.png")])
    restore = lose_the_answer(client)
    assert client.post(step(6), {"action": "next"}).status_code == 302
    request_obj = ServiceRequest.objects.get()
    restore()

    if method == "post":
        response = client.post(step(6), {"action": "next"})
    else:
        response = client.get(step(6))
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}receipt/"
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert request_obj.tracking_code in receipt.content.decode().translate(
        str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
    )
    assert ServiceRequest.objects.count() == 1
    assert request_obj.attachments.count() == 2
