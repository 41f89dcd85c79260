"""The official letter from the back office (docs/letters.md): who signs it."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from intake import services
from intake.models import OfficialResponse, Signatory
from tests.desk.conftest import make_user

TEXT = {"legal_grounds": "ماده ۱", "content": "پذیرفته شد", "appeal": "دیوان"}


def act(client, req, data):
    payload = {f"response-{name}": value for name, value in data.items()}
    payload["response-expected_status"] = req.status
    return client.post(reverse("desk_requests:action", args=(req.pk, "response")), payload)


@pytest.fixture
def head_of_a(desk_world):
    user = make_user("head_a")
    signer = Signatory.objects.get(user=user)
    signer.full_name, signer.position = "پرویز رئیسی", "رئیس واحد الف"
    signer.unit, signer.unit_head = desk_world["unit_a"], True
    signer.save()
    return signer


def test_the_unit_head_of_the_requests_unit_may_sign(client, desk_world, head_of_a):
    req = desk_world["request_a"]
    services.transition(req, "in_review", desk_world["staff_a"])
    client.force_login(desk_world["staff_a"])
    page = client.get(reverse("desk_requests:detail", args=(req.pk,))).content.decode()
    assert "پرویز رئیسی (رئیس واحد الف)" in page and "خودم (کارشناس صادرکننده)" in page
    assert act(client, req, {**TEXT, "signer": head_of_a.pk}).status_code == 302
    official = OfficialResponse.objects.get()
    assert (official.signer_name, official.signer_position) == ("پرویز رئیسی", "رئیس واحد الف")
    assert official.issued_by == desk_world["staff_a"]


def test_another_units_head_is_not_offered(client, desk_world, head_of_a):
    req = desk_world["request_b"]
    services.transition(req, "in_review", desk_world["staff_b"])
    client.force_login(desk_world["staff_b"])
    page = client.get(reverse("desk_requests:detail", args=(req.pk,))).content.decode()
    assert "پرویز رئیسی" not in page
    response = act(client, req, {**TEXT, "signer": head_of_a.pk})
    assert response.status_code == 400 and not OfficialResponse.objects.exists()


def test_without_a_signer_the_desk_says_so_and_writes_nothing(client, desk_world):
    req = desk_world["request_a"]
    services.transition(req, "in_review", desk_world["staff_a"])
    Signatory.objects.filter(user=desk_world["staff_a"]).delete()
    client.force_login(desk_world["staff_a"])
    response = act(client, req, TEXT)
    assert response.status_code == 302
    assert "کد ملی امضاکننده ثبت نشده است" in str(list(get_messages(response.wsgi_request))[0])
    assert not OfficialResponse.objects.exists()
    req.refresh_from_db()
    assert req.status == "in_review"
