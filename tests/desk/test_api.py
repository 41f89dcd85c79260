"""The desk API (desk.api): tokens, scoping, filters, actions, attachments, docs."""

import datetime
import json
import shutil

import jdatetime
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.models import APIToken

from desk import scoping
from intake import services
from intake.models import OfficialResponse, RequestAttachment, RequestEvent, ServiceRequest, SmsMessage
from tests.desk.conftest import make_user
from tests.intake.files import pdf_bytes
from tests.intake.requests import make_request

BASE = "/api/desk"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media():
    yield
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)


def token_for(user, name="desk app"):
    return APIToken.create_token(user=user, name=name)[1]


class Api:
    def __init__(self, client, token):
        self.client, self.token = client, token

    def _headers(self):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def get(self, path, data=None):
        return self.client.get(BASE + path, data or {}, **self._headers())

    def post(self, path, payload):
        return self.client.post(
            BASE + path, json.dumps(payload), content_type="application/json", **self._headers()
        )


@pytest.fixture
def api(client, desk_world):
    def make(user):
        return Api(client, token_for(user))

    return make


def add_attachment(req, content=None, name="مدرک.pdf"):
    attachment = RequestAttachment(
        request=req, original_name=name, content_type="application/pdf", size=len(content or pdf_bytes())
    )
    attachment.file.save("x.pdf", ContentFile(content or pdf_bytes()), save=False)
    attachment.save()
    return attachment


# Authentication -----------------------------------------------------------------


def test_no_token_is_401_with_persian_message(client, desk_world):
    response = client.get(BASE + "/requests")
    assert response.status_code == 401
    assert "توکن" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_wrong_token_is_401(client, desk_world):
    response = client.get(BASE + "/requests", HTTP_AUTHORIZATION="Bearer wagtail_notatoken")
    assert response.status_code == 401


def test_revoked_token_is_401(client, desk_world):
    token = token_for(desk_world["staff_a"])
    assert client.get(BASE + "/requests", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    APIToken.objects.get(user=desk_world["staff_a"]).revoke()
    assert client.get(BASE + "/requests", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_inactive_user_is_401(client, desk_world):
    user = desk_world["staff_a"]
    token = token_for(user)
    user.is_active = False
    user.save()
    assert client.get(BASE + "/requests", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_session_cookie_is_not_enough(client, desk_world):
    client.force_login(desk_world["superuser"])
    assert client.get(BASE + "/requests").status_code == 401


def test_editor_token_is_403(api, desk_world):
    response = api(desk_world["editor"]).get("/requests")
    assert response.status_code == 403
    assert "میز خدمت" in response.json()["detail"]


def test_token_use_is_recorded(api, desk_world):
    api(desk_world["staff_a"]).get("/requests")
    assert APIToken.objects.get(user=desk_world["staff_a"]).last_used_at is not None


# Scoping ------------------------------------------------------------------------


def test_staff_list_only_their_units(api, desk_world):
    data = api(desk_world["staff_a"]).get("/requests").json()
    codes = [row["tracking_code"] for row in data["results"]]
    assert codes == [desk_world["request_a"].tracking_code]
    assert data["count"] == 1


def test_manager_lists_all(api, desk_world):
    data = api(desk_world["manager"]).get("/requests").json()
    assert data["count"] == 2


def test_staff_cannot_filter_into_other_unit(api, desk_world):
    data = api(desk_world["staff_a"]).get("/requests", {"unit": desk_world["unit_b"].pk}).json()
    assert data["count"] == 0


OTHER_UNIT_ENDPOINTS = [
    ("get", "/requests/{code}", None),
    ("get", "/requests/{code}/events", None),
    ("get", "/requests/{code}/attachments/{attachment}", None),
    ("post", "/requests/{code}/transition", {"to_status": "in_review"}),
    ("post", "/requests/{code}/notes", {"internal_note": "x"}),
    ("post", "/requests/{code}/response", {"legal_grounds": "a", "content": "b", "appeal": "c"}),
]


@pytest.mark.parametrize("method,path,payload", OTHER_UNIT_ENDPOINTS)
def test_other_unit_is_404_everywhere(api, desk_world, method, path, payload):
    """Staff of unit A cannot open, download or act on unit B's request: 404, nothing written."""
    req = desk_world["request_b"]
    attachment = add_attachment(req)
    url = path.format(code=req.tracking_code, attachment=attachment.pk)
    client = api(desk_world["staff_a"])
    events = RequestEvent.objects.count()
    response = client.get(url) if method == "get" else client.post(url, payload)
    assert response.status_code == 404
    assert "یافت نشد" in response.json()["detail"]
    req.refresh_from_db()
    assert req.status == ServiceRequest.Status.RECEIVED
    assert RequestEvent.objects.count() == events
    assert not OfficialResponse.objects.exists()
    # The same call by unit B's staff works (so the 404 is the scope, not the URL).
    own = api(desk_world["staff_b"])
    assert (own.get(url) if method == "get" else own.post(url, payload)).status_code != 404


def test_unknown_tracking_code_is_404(api, desk_world):
    assert api(desk_world["staff_a"]).get("/requests/99999999").status_code == 404


@pytest.mark.parametrize(
    "path,payload",
    [
        ("/transition", {"to_status": "in_review"}),
        ("/notes", {"public_note": "x"}),
        ("/response", {"legal_grounds": "a", "content": "b", "appeal": "c"}),
    ],
)
def test_manager_reads_but_may_not_act(api, desk_world, path, payload):
    req = desk_world["request_b"]
    client = api(desk_world["manager"])
    detail = client.get(f"/requests/{req.tracking_code}").json()
    assert detail["can_act"] is False
    response = client.post(f"/requests/{req.tracking_code}{path}", payload)
    assert response.status_code == 403
    assert "مدیران" in response.json()["detail"]
    assert RequestEvent.objects.filter(request=req).count() == 1


# Reading ------------------------------------------------------------------------


def test_detail_has_citizen_attachments_and_allowed_transitions(api, desk_world):
    req = desk_world["request_a"]
    attachment = add_attachment(req)
    data = api(desk_world["staff_a"]).get(f"/requests/{req.tracking_code}").json()
    assert data["national_code"] == req.national_code
    assert data["mobile"] == req.mobile
    assert data["can_act"] is True
    assert data["status_label"] == "ثبت شده"
    assert set(data["allowed_transitions"]) == {"in_review", "referred", "waiting", "closed"}
    assert data["attachments"][0]["id"] == attachment.pk
    assert data["attachments"][0]["url"].endswith(f"/attachments/{attachment.pk}")
    assert data["response"] is None


def test_tracking_code_with_persian_digits(api, desk_world):
    req = desk_world["request_a"]
    persian = req.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert api(desk_world["staff_a"]).get(f"/requests/{persian}").status_code == 200


def test_events_include_internal_notes(api, desk_world):
    req = desk_world["request_a"]
    services.transition(req, "in_review", desk_world["staff_a"], public_note="آغاز", internal_note="محرمانه")
    events = api(desk_world["staff_a"]).get(f"/requests/{req.tracking_code}/events").json()
    assert [e["kind"] for e in events] == ["submitted", "status"]
    assert events[1]["internal_note"] == "محرمانه"
    assert events[1]["from_status"] == "received"
    assert events[1]["actor"] == "staff_a"


def test_attachment_download_headers(api, desk_world):
    req = desk_world["request_a"]
    content = pdf_bytes()
    attachment = add_attachment(req, content, name="مدرک شناسایی.pdf")
    response = api(desk_world["staff_a"]).get(f"/requests/{req.tracking_code}/attachments/{attachment.pk}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_attachment_of_another_request_is_404(api, desk_world, service_index):
    other = make_request(desk_world["service_a"])
    attachment = add_attachment(other)
    req = desk_world["request_a"]
    url = f"/requests/{req.tracking_code}/attachments/{attachment.pk}"
    assert api(desk_world["staff_a"]).get(url).status_code == 404


# Filters ------------------------------------------------------------------------


@pytest.fixture
def dated(desk_world):
    """Three more unit-A requests on known days (Tehran time)."""
    tz = timezone.get_current_timezone()
    service = desk_world["service_a"]
    rows = {}
    for label, day in {"d1": (2026, 11, 10), "d2": (2026, 11, 14), "d3": (2026, 11, 18)}.items():
        when = datetime.datetime(*day, 10, 0, tzinfo=tz)
        req = make_request(service)
        ServiceRequest.objects.filter(pk=req.pk).update(submitted_at=when)
        rows[label] = req
    return rows


def codes(response):
    assert response.status_code == 200, response.content
    return {row["tracking_code"] for row in response.json()["results"]}


def test_filter_by_jalali_and_iso_dates(api, desk_world, dated):
    client = api(desk_world["staff_a"])
    # 2026-11-14 is 1405/08/23.
    assert jdatetime.date.fromgregorian(date=datetime.date(2026, 11, 14)).strftime("%Y/%m/%d") == "1405/08/23"
    jalali = codes(client.get("/requests", {"submitted_from": "1405/08/23", "submitted_to": "۱۴۰۵/۰۸/۲۳"}))
    assert jalali == {dated["d2"].tracking_code}
    iso = codes(client.get("/requests", {"submitted_from": "2026-11-11", "submitted_to": "2026-11-18"}))
    assert iso == {dated["d2"].tracking_code, dated["d3"].tracking_code}


def test_bad_date_is_400_with_message(api, desk_world):
    response = api(desk_world["staff_a"]).get("/requests", {"submitted_from": "1405/13/40"})
    assert response.status_code == 400
    assert "submitted_from" in response.json()["detail"]
    assert "1405/09/03" in response.json()["detail"]


def test_filter_status_service_code_q_and_overdue(api, desk_world):
    req = desk_world["request_a"]
    late = make_request(desk_world["service_a"], mobile="09350001122")
    ServiceRequest.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    services.transition(req, "in_review", desk_world["staff_a"])
    client = api(desk_world["staff_a"])
    assert codes(client.get("/requests", {"status": "in_review"})) == {req.tracking_code}
    assert codes(client.get("/requests?status=in_review&status=received")) == {
        req.tracking_code,
        late.tracking_code,
    }
    assert codes(client.get("/requests", {"service_code": "۱۰۰۱۲۱۳۵۰۰۰"})) == {
        req.tracking_code,
        late.tracking_code,
    }
    assert codes(client.get("/requests", {"service_code": "10012135001"})) == set()
    assert codes(client.get("/requests", {"overdue": "true"})) == {late.tracking_code}
    assert codes(client.get("/requests", {"overdue": "false"})) == {req.tracking_code}
    assert codes(client.get("/requests", {"q": "۰۹۳۵۰۰۰۱۱۲۲"})) == {late.tracking_code}
    assert codes(client.get("/requests", {"q": req.tracking_code})) == {req.tracking_code}
    assert client.get("/requests", {"overdue": "true"}).json()["results"][0]["overdue"] is True


def test_bad_filter_values_are_422(api, desk_world):
    client = api(desk_world["staff_a"])
    for params in ({"status": "lost"}, {"unit": "abc"}, {"page": "0"}, {"page_size": "1000"}):
        response = client.get("/requests", params)
        assert response.status_code == 422, params
        assert response.json()["detail"].startswith("ورودی نامعتبر")


def test_pagination(api, desk_world):
    for _ in range(3):
        make_request(desk_world["service_a"])
    client = api(desk_world["staff_a"])
    first = client.get("/requests", {"page_size": 3}).json()
    second = client.get("/requests", {"page_size": 3, "page": 2}).json()
    assert first["count"] == second["count"] == 4
    assert len(first["results"]) == 3 and len(second["results"]) == 1
    assert client.get("/requests", {"page_size": 3, "page": 99}).json()["results"] == []


# Acting -------------------------------------------------------------------------


def test_transition_valid(api, desk_world, django_capture_on_commit_callbacks):
    req = desk_world["request_a"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api(desk_world["staff_a"]).post(
            f"/requests/{req.tracking_code}/transition",
            {"to_status": "in_review", "public_note": "بررسی آغاز شد.", "internal_note": "داخلی"},
        )
    assert response.status_code == 200
    assert response.json()["status"] == "in_review"
    event = RequestEvent.objects.filter(request=req).last()
    assert (event.note, event.internal_note, event.actor) == (
        "بررسی آغاز شد.",
        "داخلی",
        desk_world["staff_a"],
    )
    assert SmsMessage.objects.filter(request=req).exists()


def test_transition_not_allowed_is_409_persian(api, desk_world):
    req = desk_world["request_a"]
    response = api(desk_world["staff_a"]).post(
        f"/requests/{req.tracking_code}/transition", {"to_status": "received"}
    )
    assert response.status_code == 409
    assert "مجاز نیست" in response.json()["detail"]
    response = api(desk_world["staff_a"]).post(
        f"/requests/{req.tracking_code}/transition", {"to_status": "answered"}
    )
    assert response.status_code == 409
    assert "پاسخ رسمی" in response.json()["detail"]


def test_transition_concurrency_message(api, desk_world):
    req = desk_world["request_a"]
    services.transition(req, "in_review", desk_world["staff_b"])  # someone else moved it meanwhile
    response = api(desk_world["staff_a"]).post(
        f"/requests/{req.tracking_code}/transition",
        {"to_status": "waiting", "expected_status": "received", "public_note": "سند را بفرستید."},
    )
    assert response.status_code == 409
    assert "در این فاصله" in response.json()["detail"]
    req.refresh_from_db()
    assert req.status == "in_review"


def test_transition_bad_input_is_422(api, desk_world):
    req = desk_world["request_a"]
    client = api(desk_world["staff_a"])
    for payload in ({"to_status": "nowhere"}, {}, {"to_status": "in_review", "public_note": "a\x00b"}):
        response = client.post(f"/requests/{req.tracking_code}/transition", payload)
        assert response.status_code == 422, payload
    response = client.client.post(
        f"{BASE}/requests/{req.tracking_code}/transition",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {client.token}",
    )
    assert response.status_code in (400, 422)
    assert RequestEvent.objects.filter(request=req).count() == 1


def test_refer_to_another_unit(api, desk_world):
    req = desk_world["request_a"]
    client = api(desk_world["staff_a"])
    url = f"/requests/{req.tracking_code}/transition"
    assert client.post(url, {"to_status": "in_review", "unit_id": desk_world["unit_b"].pk}).status_code == 400
    assert client.post(url, {"to_status": "referred", "unit_id": 999999}).status_code == 400
    response = client.post(url, {"to_status": "referred", "unit_id": desk_world["unit_b"].pk})
    assert response.status_code == 200
    assert response.json()["unit_name"] == "واحد ب"
    # Now unit B's request: out of unit A's scope.
    assert client.get(f"/requests/{req.tracking_code}").status_code == 404
    assert api(desk_world["staff_b"]).get(f"/requests/{req.tracking_code}").status_code == 200


def test_add_note(api, desk_world):
    req = desk_world["request_a"]
    client = api(desk_world["staff_a"])
    response = client.post(f"/requests/{req.tracking_code}/notes", {"public_note": "مدارک رسید."})
    assert response.status_code == 201
    assert response.json()["kind"] == "note"
    assert response.json()["public_note"] == "مدارک رسید."
    empty = client.post(f"/requests/{req.tracking_code}/notes", {"public_note": "  "})
    assert empty.status_code == 400
    assert "خالی" in empty.json()["detail"]


def test_issue_response(api, desk_world):
    req = desk_world["request_a"]
    services.transition(req, "in_review", desk_world["staff_a"])
    client = api(desk_world["staff_a"])
    url = f"/requests/{req.tracking_code}/response"
    missing = client.post(url, {"legal_grounds": " ", "content": "مفاد", "appeal": "دیوان"})
    assert missing.status_code == 422
    assert "legal_grounds" in missing.json()["detail"]
    response = client.post(
        url,
        {"legal_grounds": "ماده ۱۰", "content": "پذیرفته شد.", "appeal": "دیوان عدالت اداری", "notes": "—"},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    year = jdatetime.date.fromgregorian(date=timezone.localdate()).year
    assert data["number"] == f"{year}/000001"
    assert data["citizen_name"] == "علی کریمی"
    assert data["national_code"] == req.national_code
    req.refresh_from_db()
    assert req.status == "answered"
    detail = client.get(f"/requests/{req.tracking_code}").json()
    assert detail["response"]["number"] == data["number"]
    # Each response names its public verification page (docs/letters.md).
    official = req.responses.get()
    assert (
        data["verify_url"] == detail["response"]["verify_url"] == f"http://testserver/verify/{official.guid}/"
    )
    assert detail["response"]["pdf_sha256"] == official.pdf_sha256 and detail["response"]["replaces"] is None
    again = client.post(url, {"legal_grounds": "a", "content": "b", "appeal": "c"})
    assert again.status_code == 409
    assert "پیش از این" in again.json()["detail"]


def test_response_in_wrong_status_is_409(api, desk_world):
    req = desk_world["request_a"]
    services.transition(req, "waiting", desk_world["staff_a"], public_note="سند را بفرستید.")
    response = api(desk_world["staff_a"]).post(
        f"/requests/{req.tracking_code}/response", {"legal_grounds": "a", "content": "b", "appeal": "c"}
    )
    assert response.status_code == 409
    assert not OfficialResponse.objects.exists()


def test_superuser_acts_everywhere(api, desk_world):
    req = desk_world["request_b"]
    response = api(desk_world["superuser"]).post(
        f"/requests/{req.tracking_code}/notes", {"internal_note": "ok"}
    )
    assert response.status_code == 201


# Schema and docs ----------------------------------------------------------------


def test_openapi_schema_and_offline_docs(client, desk_world):
    schema = client.get(BASE + "/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/desk/requests/{tracking_code}/transition" in schema["paths"]
    assert schema["components"]["securitySchemes"]["DeskTokenAuth"]["scheme"] == "bearer"
    docs = client.get(BASE + "/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in html


def test_staff_see_api_tokens_in_the_admin(client, desk_world):
    """Desk staff manage their own tokens in the admin (Settings → API tokens)."""
    staff = make_user("staff_c", scoping.DESK_STAFF, [desk_world["unit_a"]])
    client.force_login(staff)
    response = client.get("/admin/api-tokens/")
    assert response.status_code == 200
    response = client.post("/admin/api-tokens/new/", {"name": "نرم‌افزار میز", "user": staff.pk})
    assert response.status_code == 200
    token = APIToken.objects.get(user=staff)
    assert token.name == "نرم‌افزار میز"
    # Only themselves: another user's id is refused by the form.
    client.post("/admin/api-tokens/new/", {"name": "x", "user": desk_world["staff_b"].pk})
    assert not APIToken.objects.filter(user=desk_world["staff_b"]).exists()


def test_database_outage_is_json_503(api, desk_world):
    """A dropped connection (as tests/portal/test_db_errors.py makes one) is a JSON 503."""
    from tests.portal.test_db_errors import broken_database

    client = api(desk_world["staff_a"])
    with broken_database(when=lambda sql: "intake_servicerequest" in sql):
        response = client.get("/requests")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "پایگاه داده" in response.json()["detail"]
    assert client.get("/requests").status_code == 200


def test_nul_characters_are_refused_not_500(api, desk_world):
    """PostgreSQL cannot store or compare a NUL: every way in answers 4xx."""
    client = api(desk_world["staff_a"])
    assert client.get("/requests/12%0034").status_code == 404
    for params in ({"q": "a\x00b"}, {"service_code": "1\x00"}, {"submitted_from": "1405\x00"}):
        assert client.get("/requests", params).status_code == 400, params
    req = desk_world["request_a"]
    response = client.post(f"/requests/{req.tracking_code}/notes", {"public_note": "a\x00b"})
    assert response.status_code == 422


def test_attachment_download_is_sandboxed(api, desk_world):
    req = desk_world["request_a"]
    attachment = add_attachment(req)
    response = api(desk_world["staff_a"]).get(f"/requests/{req.tracking_code}/attachments/{attachment.pk}")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
