"""Two staff acting on one request at the same moment, through the admin's action
path, on two real database connections (PostgreSQL; row locks mean nothing on
SQLite). One wins; the other gets the Persian message and nothing of theirs is written."""

import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from intake import services
from intake.models import OfficialResponse, RequestEvent, ServiceRequest
from tests.desk.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

STALE = "وضعیت این درخواست در این فاصله به «{}» تغییر کرده است؛ صفحه را دوباره باز کنید."


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite has no row locks (SELECT … FOR UPDATE) and one writer at a time"
        )


def post(client, req, action, data, expected_status):
    payload = {f"{action}-{name}": value for name, value in data.items()}
    payload[f"{action}-expected_status"] = expected_status
    response = client.post(reverse("desk_requests:action", args=(req.pk, action)), payload)
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def in_thread(target):
    result = {}

    def run():
        try:
            result["value"] = target()
        except BaseException as error:  # noqa: BLE001 (reported to the test)
            result["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def test_admin_post_waits_for_the_lock_then_is_refused(desk_world):
    """Connection 1 holds the row (another staff member's change, not yet committed);
    the admin POST on connection 2 saw «ثبت شده», waits, then is refused."""
    req = desk_world["request_a"]
    client = Client()
    client.force_login(desk_world["staff_a"])
    locked, release = threading.Event(), threading.Event()

    def other_staff():
        with transaction.atomic():
            services.transition(ServiceRequest.objects.get(pk=req.pk), "in_review", desk_world["staff_b"])
            locked.set()
            release.wait(10)

    thread, result = in_thread(other_staff)
    assert locked.wait(10)
    timer = threading.Timer(1.0, release.set)  # commit while the POST waits on the lock
    timer.start()
    response, messages = post(
        client, req, "status", {"to_status": "waiting", "public_note": "مدارک"}, "received"
    )
    thread.join(10)
    assert "error" not in result
    assert response.status_code == 302
    assert messages == [STALE.format("در حال بررسی")]
    req.refresh_from_db()
    assert req.status == "in_review"
    statuses = list(req.events.filter(kind="status").values_list("status", flat=True))
    assert statuses == ["in_review"]
    assert not RequestEvent.objects.filter(note="مدارک").exists()


def test_two_admin_posts_at_once_one_wins(desk_world):
    req = desk_world["request_a"]
    colleague = make_user("colleague", "کارشناسان میز خدمت", [desk_world["unit_a"]])
    clients = []
    for user in (desk_world["staff_a"], colleague):
        client = Client()
        client.force_login(user)
        clients.append(client)
    start = threading.Barrier(2)

    def acting(client, target):
        def run():
            start.wait(10)
            return post(client, req, "status", {"to_status": target}, "received")

        return run

    runs = [in_thread(acting(clients[0], "in_review")), in_thread(acting(clients[1], "waiting"))]
    outcomes = []
    for thread, result in runs:
        thread.join(20)
        assert "error" not in result, result.get("error")
        outcomes.append(result["value"])
    req.refresh_from_db()
    winners = [
        messages for _response, messages in outcomes if not messages[0].startswith("وضعیت این درخواست")
    ]
    losers = [messages for _response, messages in outcomes if messages[0].startswith("وضعیت این درخواست")]
    assert len(winners) == 1 and len(losers) == 1
    assert losers[0] == [STALE.format(req.get_status_display())]
    assert req.events.filter(kind="status").count() == 1


def test_two_official_responses_at_once_one_number(desk_world):
    req = desk_world["request_a"]
    services.transition(req, "in_review", None)
    colleague = make_user("colleague", "کارشناسان میز خدمت", [desk_world["unit_a"]])
    start = threading.Barrier(2)

    def issuing(user, text):
        client = Client()
        client.force_login(user)

        def run():
            start.wait(10)
            return post(
                client,
                req,
                "response",
                {"legal_grounds": "ماده", "content": text, "appeal": "دیوان"},
                "in_review",
            )

        return run

    runs = [in_thread(issuing(desk_world["staff_a"], "اول")), in_thread(issuing(colleague, "دوم"))]
    messages = []
    for thread, result in runs:
        thread.join(20)
        assert "error" not in result, result.get("error")
        messages.append(result["value"][1])
    assert OfficialResponse.objects.count() == 1
    assert sorted(len(m) for m in messages) == [1, 1]
    assert STALE.format("پاسخ داده شده") in [m[0] for m in messages]
    req.refresh_from_db()
    assert req.status == "answered"
    assert req.events.filter(kind="status", status="answered").count() == 1
