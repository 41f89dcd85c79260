"""The clerk's saved views: tabs with counts above the request list, each a filter
(«جدید»، «کارتابل من»، «دارای تأخیر»، «در انتظار تکمیل مدارک»، «همه»), and the chosen
filters kept when the clerk comes back through the menu or the breadcrumb."""

import datetime
import re

import pytest
from django.utils import timezone

from intake.models import ServiceRequest
from tests.intake.requests import make_request

pytestmark = pytest.mark.django_db

INDEX = "/admin/requests/"
Status = ServiceRequest.Status


@pytest.fixture
def world(desk_world):
    w = desk_world
    service = w["service_a"]
    mine = make_request(service, assignee=w["staff_a"], status=Status.IN_REVIEW)
    make_request(service, assignee=w["staff_a"], status=Status.CLOSED)  # not in the inbox
    make_request(service, status=Status.WAITING)
    late = make_request(service, status=Status.IN_REVIEW)
    ServiceRequest.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    make_request(w["service_b"])  # another unit: never counted for staff_a
    w["mine"] = mine
    return w


def tabs(body):
    nav = body.split('aria-label="نماهای درخواست‌ها"')[1].split("</nav>")[0]
    return {
        label.strip(): (count, href, bool(current))
        for href, current, label, count in re.findall(
            r'<a href="([^"]+)"( aria-current="page")?>([^<]+)<span class="desk-views__count">([۰-۹]+)</span>',
            nav,
        )
    }


def rows(body):
    """How many requests the list shows: one status label per row (the overdue badge aside)."""
    return len(re.findall(r'class="w-status (?![^"]*(?:desk-overdue|desk-citizen-answer))', body))


def test_tabs_count_what_each_view_shows_within_the_clerks_units(client, world):
    client.force_login(world["staff_a"])
    found = tabs(client.get(INDEX).content.decode())
    assert {label: count for label, (count, _href, _current) in found.items()} == {
        "همه": "۵",
        "جدید": "۱",
        "کارتابل من": "۱",
        "دارای تأخیر": "۱",
        "در انتظار تکمیل مدارک": "۱",
        "پاسخ شهروند": "۰",
    }
    assert found["همه"][2] and not found["جدید"][2]
    for label, (count, href, _current) in found.items():
        body = client.get(href).content.decode()
        assert tabs(body)[label][2], label  # the chosen tab is marked current
        assert rows(body) == int(count.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))), label


def test_my_inbox_lists_my_open_requests_only(client, world):
    client.force_login(world["staff_a"])
    body = client.get(INDEX, {"view": "mine"}).content.decode()
    assert rows(body) == 1
    assert world["mine"].tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in body


def test_the_chosen_filters_come_back_through_the_menu(client, world):
    client.force_login(world["staff_a"])
    client.get(INDEX, {"view": "waiting", "p": "1"})
    back = client.get(INDEX)  # the menu, the breadcrumb, the way back from a request
    assert back.status_code == 302 and back["Location"] == f"{INDEX}?view=waiting"
    # Choosing «همه» is a choice too: it is what comes back next time.
    client.get(INDEX, {"view": "all"})
    assert client.get(INDEX)["Location"] == f"{INDEX}?view=all"
    # An export is never the remembered list.
    client.get(INDEX, {"view": "new", "export": "csv"})
    assert client.get(INDEX)["Location"] == f"{INDEX}?view=new"


def test_an_unknown_view_is_refused_without_an_error(client, world):
    client.force_login(world["staff_a"])
    response = client.get(INDEX, {"view": "<script>"})
    assert response.status_code == 200
