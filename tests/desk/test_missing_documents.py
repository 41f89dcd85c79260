"""Missing documents on the desk (issue 19): the status form and the API ask for a
public note with «در انتظار تکمیل مدارک»; the citizen's answer («پاسخ شهروند») is
flagged in the list and on the dashboard, shown with its files on the request's
page and in the API; Open311 shows the status only; the reports leave the waiting
time out of the time to answer."""

import datetime
import json
import re
import shutil

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import APIToken

from desk import reports, scoping
from intake import services, uploads
from intake.models import OfficialResponse, RequestEvent, ServiceRequest
from tests.intake import files

pytestmark = pytest.mark.django_db

ASKED = "تصویر سند مالکیت را بفرستید."
TEXT = "سند پیوست شد؛ کد ملی من ۰۰۱۳۵۴۲۴۱۹ است."
WAITING_MESSAGE = "بنویسید چه مدارک"


@pytest.fixture(autouse=True)
def _private_media():
    yield
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def answered(desk_world):
    """request_a: asked for a document, answered by the citizen with a PDF."""
    req = desk_world["request_a"]
    services.transition(req, "waiting", desk_world["staff_a"], public_note=ASKED)
    services.answer_missing(req, TEXT, [uploads.check_upload(files.pdf("سند.pdf"))])
    req.refresh_from_db()
    return req


def act_status(client, req, data):
    payload = {f"status-{name}": value for name, value in data.items()}
    payload["status-expected_status"] = req.status
    return client.post(reverse("desk_requests:action", args=(req.pk, "status")), payload)


# Asking needs a public note ------------------------------------------------------------


@pytest.mark.parametrize("note", ["", "   "])
def test_the_status_form_refuses_waiting_without_a_public_note(client, desk_world, note):
    req = desk_world["request_a"]
    client.force_login(desk_world["staff_a"])
    events = RequestEvent.objects.count()
    response = act_status(client, req, {"to_status": "waiting", "public_note": note, "internal_note": "x"})
    assert response.status_code == 400
    form = response.context["action_forms"]["status"]
    assert WAITING_MESSAGE in " ".join(form.errors["public_note"])
    assert WAITING_MESSAGE in response.content.decode()
    req.refresh_from_db()
    assert req.status == "received" and RequestEvent.objects.count() == events


def test_the_status_form_moves_to_waiting_with_a_note(client, desk_world):
    req = desk_world["request_a"]
    client.force_login(desk_world["staff_a"])
    response = act_status(client, req, {"to_status": "waiting", "public_note": ASKED})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "waiting" and req.waiting_since is not None


def api_post(client, user, path, payload):
    token = APIToken.create_token(user=user, name="desk app")[1]
    return client.post(
        "/api/desk" + path,
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def api_get(client, user, path):
    token = APIToken.create_token(user=user, name="desk app")[1]
    return client.get("/api/desk" + path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_api_refuses_waiting_without_a_public_note_with_400(client, desk_world):
    req = desk_world["request_a"]
    response = api_post(
        client, desk_world["staff_a"], f"/requests/{req.tracking_code}/transition", {"to_status": "waiting"}
    )
    assert response.status_code == 400
    assert WAITING_MESSAGE in response.json()["detail"]
    req.refresh_from_db()
    assert req.status == "received"
    ok = api_post(
        client,
        desk_world["staff_a"],
        f"/requests/{req.tracking_code}/transition",
        {"to_status": "waiting", "public_note": ASKED},
    )
    assert ok.status_code == 200 and ok.json()["status"] == "waiting"


# The answer on the desk ----------------------------------------------------------------


def test_the_list_flags_the_answer_and_has_a_tab(client, desk_world, answered):
    client.force_login(desk_world["staff_a"])
    body = client.get("/admin/requests/", {"view": "all"}).content.decode()
    assert body.count('desk-citizen-answer">پاسخ شهروند<') == 1
    tab = client.get("/admin/requests/", {"view": "answered"}).content.decode()
    assert answered.tracking_code in tab.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    nav = tab.split('aria-label="نماهای درخواست‌ها"')[1].split("</nav>")[0]
    assert re.search(r'view=answered"[^>]*>پاسخ شهروند <span class="desk-views__count">۱</span>', nav)
    # Another unit's staff neither see it nor count it.
    client.force_login(desk_world["staff_b"])
    other = client.get("/admin/requests/", {"view": "answered"}).content.decode()
    assert answered.tracking_code not in other.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))


def test_the_flag_goes_with_the_next_staff_action(client, desk_world, answered):
    client.force_login(desk_world["staff_a"])
    answered.refresh_from_db()
    act_status(client, answered, {"to_status": "referred", "unit": desk_world["unit_b"].pk})
    answered.refresh_from_db()
    assert answered.citizen_answered_at is None
    assert ServiceRequest.objects.filter(citizen_answered_at__isnull=False).count() == 0


def test_the_dashboard_panel_counts_the_answers(client, desk_world, answered):
    client.force_login(desk_world["staff_a"])
    body = client.get("/admin/").content.decode()
    assert re.search(r'<a href="/admin/requests/\?view=answered">پاسخ شهروند \(بررسی نشده\)</a>', body)
    assert 'id="panel-citizen-answered">۱<' in body
    client.force_login(desk_world["staff_b"])
    assert 'id="panel-citizen-answered">۰<' in client.get("/admin/").content.decode()


def test_the_request_page_shows_the_answer_with_its_file(client, desk_world, answered):
    client.force_login(desk_world["staff_a"])
    body = client.get(reverse("desk_requests:detail", args=(answered.pk,))).content.decode()
    history = body.split("سوابق درخواست")[1].split("</ol>")[0]
    assert "پاسخ شهروند" in history and TEXT in history
    attachment = answered.attachments.get()
    link = reverse("desk_requests:attachment", args=(answered.pk, attachment.pk))
    assert f'href="{link}"' in history
    download = client.get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_api_lists_the_event_kind_and_its_attachments(client, desk_world, answered):
    staff = desk_world["staff_a"]
    events = api_get(client, staff, f"/requests/{answered.tracking_code}/events").json()
    (event,) = [e for e in events if e["kind"] == "citizen_answer"]
    attachment = answered.attachments.get()
    assert event["kind_label"] == "پاسخ شهروند" and event["public_note"] == TEXT
    assert event["attachment_ids"] == [attachment.pk] and event["actor"] is None
    assert all(e["attachment_ids"] == [] for e in events if e is not event)
    detail = api_get(client, staff, f"/requests/{answered.tracking_code}").json()
    assert [(a["id"], a["event_id"]) for a in detail["attachments"]] == [(attachment.pk, event["id"])]


def test_open311_shows_the_status_only(client, desk_world, answered):
    response = client.get(f"/open311/v2/requests/{answered.public_id}.json")
    assert response.status_code == 200
    text = response.content.decode()
    (data,) = json.loads(text)
    assert data["status"] == "open"
    for secret in (TEXT, "۰۰۱۳۵۴۲۴۱۹", "سند.pdf", answered.tracking_code, answered.national_code):
        assert secret not in text


# The reports leave the waiting out -----------------------------------------------------


def test_time_to_answer_leaves_out_the_waiting(desk_world):
    req = desk_world["request_a"]
    now = timezone.now()
    ServiceRequest.objects.filter(pk=req.pk).update(submitted_at=now - datetime.timedelta(days=10))
    services.transition(req, "waiting", None, public_note=ASKED)
    ServiceRequest.objects.filter(pk=req.pk).update(waiting_since=now - datetime.timedelta(days=9))
    req.refresh_from_db()
    services.answer_missing(req, TEXT, [], now=now - datetime.timedelta(days=6))
    services.issue_response(req, desk_world["staff_a"], "ماده ۱", "پذیرفته شد", "دیوان")
    req.refresh_from_db()
    assert req.waiting_time == datetime.timedelta(days=3)
    created = OfficialResponse.objects.get(request=req).created_at
    report = reports.build(scoping.visible_requests(desk_world["manager"]))
    expected = (created - req.submitted_at - datetime.timedelta(days=3)).total_seconds() / 3600
    assert report.answered == 1
    assert report.mean_hours == pytest.approx(expected, abs=0.01)
    assert report.p90_hours == pytest.approx(expected, abs=0.01)
