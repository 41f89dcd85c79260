"""Bulk actions on the request list: «واگذاری به من», «واگذاری به همکار», «انتقال به در
حال بررسی» with one note and «خروجی انتخاب‌شده‌ها». Each request moves through
intake.services on its own; requests of other units, or whose status does not allow
the move, are listed and left untouched."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from desk import scoping
from intake.models import RequestEvent, ServiceRequest
from tests.desk.conftest import make_user
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
    for action in ("واگذاری به من", "واگذاری به همکار", "انتقال به «در حال بررسی»", "خروجی انتخاب‌شده‌ها"):
        assert action in body


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


def test_assign_to_a_colleague_of_the_same_unit(client, world):
    colleague = make_user("colleague_a", scoping.DESK_STAFF, [world["unit_a"]])
    first, second = world["request_a"], make_request(world["service_a"], national_code="0790419904")
    client.force_login(world["staff_a"])
    page = client.get(url("assign_to_colleague", first, second)).content.decode()
    # The choice lists colleagues of the clerk's units only, never the clerk.
    assert "colleague_a" in page and "staff_b" not in page and ">staff_a<" not in page
    response = client.post(url("assign_to_colleague", first, second), {"assignee": colleague.pk})
    assert response.status_code == 302
    for req in (first, second):
        assert ServiceRequest.objects.get(pk=req.pk).assignee == colleague
        assert RequestEvent.objects.filter(request=req).latest("pk").actor == world["staff_a"]


def test_a_colleague_outside_one_requests_unit_assigns_nothing(client, world):
    both = make_user("both", scoping.DESK_STAFF, [world["unit_a"], world["unit_b"]])
    only_b = world["staff_b"]
    mine = world["request_a"]
    theirs = make_request(world["service_b"], national_code="0790419904")
    client.force_login(both)
    events = RequestEvent.objects.count()
    response = client.post(url("assign_to_colleague", mine, theirs), {"assignee": only_b.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "در واحد این درخواست‌ها کار نمی‌کند" in body
    assert "".join("۰۱۲۳۴۵۶۷۸۹"[int(d)] for d in mine.tracking_code) in body
    assert ServiceRequest.objects.get(pk=mine.pk).assignee is None
    assert ServiceRequest.objects.get(pk=theirs.pk).assignee is None
    assert RequestEvent.objects.count() == events


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "همکاری را که درخواست‌ها به او واگذار می‌شوند انتخاب کنید."),
        ("9" * 40, "این همکار در فهرست همکاران شما نیست."),
        ("abc", "این همکار در فهرست همکاران شما نیست."),
        ("staff_b", "این همکار در فهرست همکاران شما نیست."),  # real, but of another unit
    ],
)
def test_no_colleague_or_a_stranger_gets_a_persian_message(client, world, value, message):
    client.force_login(world["staff_a"])
    if value == "staff_b":
        value = str(world["staff_b"].pk)
    response = client.post(url("assign_to_colleague", world["request_a"]), {"assignee": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ServiceRequest.objects.get(pk=world["request_a"].pk).assignee is None


def test_export_selected_holds_the_ticked_rows_only(client, world):
    ticked = world["request_a"]
    make_request(world["service_a"], national_code="0790419904")  # not ticked
    client.force_login(world["staff_a"])
    response = client.post(url("export_selected", ticked, world["request_b"]), {"file_format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    assert sheet.sheet_view.rightToLeft and sheet.title == "درخواست‌ها"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "کد پیگیری"
    # Another unit's request was ticked too, but the clerk may not see it.
    assert [row[0] for row in rows[1:]] == [ticked.tracking_code]
    assert sheet["A2"].number_format == "@"


def test_a_manager_exports_selected_rows_as_csv(client, world):
    client.force_login(world["manager"])
    response = client.post(
        url("export_selected", world["request_a"], world["request_b"]), {"file_format": "csv"}
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3 and rows[0][0] == "کد پیگیری"
    assert all(not any(ch.isascii() and ch.isdigit() for ch in row[0]) for row in rows[1:])


def test_export_selected_refuses_an_unknown_format(client, world):
    client.force_login(world["staff_a"])
    response = client.post(url("export_selected", world["request_a"]), {"file_format": "pdf"})
    assert response.status_code == 200 and "text/html" in response["Content-Type"]
