"""Bulk actions on the request list: «واگذاری به من» and «انتقال به در حال بررسی» with
one note. Each request moves through intake.services on its own; requests of other
units, or whose status does not allow the move, are listed and left untouched."""

import pytest
from django.urls import reverse

from intake.models import RequestEvent, ServiceRequest
from tests.intake.requests import make_request

pytestmark = pytest.mark.django_db

Status = ServiceRequest.Status


def url(action, *requests):
    ids = "&".join(f"id={req.pk}" for req in requests)
    return (
        reverse("wagtail_bulk_action", args=("intake", "servicerequest", action))
        + f"?{ids}&next=/admin/requests/"
    )


@pytest.fixture
def world(desk_world):
    w = desk_world
    w["closed"] = make_request(w["service_a"], status=Status.CLOSED)
    return w


def test_the_list_offers_checkboxes_and_the_two_actions(client, world):
    client.force_login(world["staff_a"])
    body = client.get("/admin/requests/").content.decode()
    assert f'data-object-id="{world["request_a"].pk}"' in body
    assert "واگذاری به من" in body and "انتقال به «در حال بررسی»" in body


def test_assign_to_me_takes_my_units_requests_only(client, world):
    mine, other, closed = world["request_a"], world["request_b"], world["closed"]
    client.force_login(world["staff_a"])
    page = client.get(url("assign_to_me", mine, other, closed)).content.decode()
    assert "به شما واگذار می‌شوند" in page and "این درخواست‌ها تغییر نمی‌کنند" in page
    response = client.post(url("assign_to_me", mine, other, closed))
    assert response.status_code == 302 and response["Location"] == "/admin/requests/"
    assert ServiceRequest.objects.get(pk=mine.pk).assignee == world["staff_a"]
    assert ServiceRequest.objects.get(pk=other.pk).assignee is None  # another unit
    assert ServiceRequest.objects.get(pk=closed.pk).assignee is None  # closed for good


def test_move_to_review_with_one_note_tells_each_citizen(client, world):
    first = world["request_a"]
    second = make_request(world["service_a"], national_code="0790419904")
    client.force_login(world["staff_a"])
    response = client.post(
        url("move_to_review", first, second, world["closed"], world["request_b"]),
        {"public_note": "کارشناس پرونده را بررسی می‌کند."},
    )
    assert response.status_code == 302
    for req in (first, second):
        assert ServiceRequest.objects.get(pk=req.pk).status == Status.IN_REVIEW
        event = RequestEvent.objects.filter(request=req).latest("pk")
        assert (event.status, event.note, event.actor) == (
            Status.IN_REVIEW,
            "کارشناس پرونده را بررسی می‌کند.",
            world["staff_a"],
        )
    assert ServiceRequest.objects.get(pk=world["closed"].pk).status == Status.CLOSED
    assert ServiceRequest.objects.get(pk=world["request_b"].pk).status == Status.RECEIVED


def test_a_bad_note_gets_a_persian_message_and_moves_nothing(client, world):
    req = world["request_a"]
    client.force_login(world["staff_a"])
    events = RequestEvent.objects.count()
    response = client.post(url("move_to_review", req), {"public_note": "بد\x00"})
    assert response.status_code == 200
    assert ServiceRequest.objects.get(pk=req.pk).status == Status.RECEIVED
    assert RequestEvent.objects.count() == events
    assert "کاراکترهای تهی مجاز نیستند" in response.content.decode()


def test_editors_cannot_use_the_bulk_actions(client, world):
    req = world["request_a"]
    client.force_login(world["editor"])
    client.post(url("assign_to_me", req))
    assert ServiceRequest.objects.get(pk=req.pk).assignee is None
