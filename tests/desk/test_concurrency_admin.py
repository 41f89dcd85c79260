"""Two staff acting on one request at the same moment, through the admin's action
path, on two real database connections (PostgreSQL; row locks mean nothing on
SQLite). One wins; the other gets the Persian message and nothing of theirs is written.

The race is forced, not hoped for (tests/intake/races.py): the other staff member's
change is written and held uncommitted until PostgreSQL shows the admin's POST waiting
on the row lock; only then does it commit. Without the lock the POST's stale read
would win, every run."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from intake import services
from intake.models import OfficialResponse, RequestEvent, ServiceRequest
from tests.desk.conftest import make_user
from tests.intake.races import race
from tests.intake.transactional import start_as_after_a_flush  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks (SELECT … FOR UPDATE) and one writer at a time",
    ),
    pytest.mark.django_db(transaction=True),
    # Whatever transactional test ran before (a serialized one leaves no content types).
    pytest.mark.usefixtures("start_as_after_a_flush"),
]

STALE = "وضعیت این درخواست در این فاصله به «{}» تغییر کرده است؛ صفحه را دوباره باز کنید."


def post(client, req, action, data, expected_status):
    payload = {f"{action}-{name}": value for name, value in data.items()}
    payload[f"{action}-expected_status"] = expected_status
    response = client.post(reverse("desk_requests:action", args=(req.pk, action)), payload)
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_admin_post_waits_for_the_lock_then_is_refused(desk_world):
    """Another staff member's change holds the row, not yet committed; the admin POST
    saw «ثبت شده», waits on the lock, then is refused."""
    req = desk_world["request_a"]
    client = signed_in(desk_world["staff_a"])
    held, late, blocked = race(
        lambda: services.transition(
            ServiceRequest.objects.get(pk=req.pk), "in_review", desk_world["staff_b"]
        ),
        lambda: post(client, req, "status", {"to_status": "waiting", "public_note": "مدارک"}, "received"),
    )
    assert "error" not in held and "error" not in late, (held, late)
    assert blocked, "the POST never waited for the row"
    response, messages = late["value"]
    assert response.status_code == 302
    assert messages == [STALE.format("در حال بررسی")]
    req.refresh_from_db()
    assert req.status == "in_review"
    statuses = list(req.events.filter(kind="status").values_list("status", flat=True))
    assert statuses == ["in_review"]
    assert not RequestEvent.objects.filter(note="مدارک").exists()


def test_two_admin_posts_at_once_one_wins(desk_world):
    """Both saw «ثبت شده»; the first POST's change is held uncommitted while the second
    arrives: the second waits, then gets the message, and only the first is written."""
    req = desk_world["request_a"]
    colleague = make_user("colleague", "کارشناسان میز خدمت", [desk_world["unit_a"]])
    first, second = signed_in(desk_world["staff_a"]), signed_in(colleague)
    held, late, blocked = race(
        lambda: post(first, req, "status", {"to_status": "in_review"}, "received"),
        lambda: post(second, req, "status", {"to_status": "waiting", "public_note": "مدارک"}, "received"),
    )
    assert "error" not in held and "error" not in late, (held, late)
    assert blocked
    assert held["value"][1] == ["وضعیت درخواست به «در حال بررسی» تغییر کرد."]
    assert late["value"][1] == [STALE.format("در حال بررسی")]
    req.refresh_from_db()
    assert req.status == "in_review"
    assert list(req.events.filter(kind="status").values_list("status", "actor")) == [
        ("in_review", desk_world["staff_a"].pk)
    ]


def test_two_official_responses_at_once_one_number(desk_world):
    req = desk_world["request_a"]
    services.transition(req, "in_review", None)
    colleague = make_user("colleague", "کارشناسان میز خدمت", [desk_world["unit_a"]])
    first, second = signed_in(desk_world["staff_a"]), signed_in(colleague)

    def issuing(client, text):
        return lambda: post(
            client,
            req,
            "response",
            {"legal_grounds": "ماده", "content": text, "appeal": "دیوان"},
            "in_review",
        )

    held, late, blocked = race(issuing(first, "اول"), issuing(second, "دوم"))
    assert "error" not in held and "error" not in late, (held, late)
    assert blocked
    assert held["value"][1][0].startswith("پاسخ رسمی به شماره ")
    assert late["value"][1] == [STALE.format("پاسخ داده شده")]
    assert OfficialResponse.objects.get().content == "اول"
    req.refresh_from_db()
    assert req.status == "answered"
    assert req.events.filter(kind="status", status="answered").count() == 1
