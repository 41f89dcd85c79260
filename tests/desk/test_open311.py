"""Open311 GeoReport v2 (desk.open311): discovery, services, definitions, POST and GET."""

import json

import pytest
from django.core.cache import cache

from desk.models import Open311Key
from intake import services
from intake.models import RequestEvent, ServiceRequest, SmsMessage
from tests.factories import OfficerFactory
from tests.intake.requests import NATIONAL_CODE

BASE = "/open311/v2"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_catalog():
    cache.clear()


@pytest.fixture
def world(desk_world):
    unit_a = desk_world["unit_a"]
    unit_a.address = "کرمان، بلوار جمهوری، ساختمان سازمان"
    unit_a.save()
    desk_world["officer"] = OfficerFactory(unit=unit_a, full_name="مریم احمدی", position="کارشناس")
    return desk_world


@pytest.fixture
def key(world):
    return Open311Key.create_key("سامانه ۱۱۱")[1]


def good_post(key, **extra):
    data = {
        "api_key": key,
        "service_code": "10012135000",
        "jurisdiction_id": "anything",
        "first_name": "زهرا",
        "last_name": "محمدی",
        "phone": "۰۹۱۲ ۷۶۵ ۴۳۲۱",
        "email": "Z@Example.com",
        "description": "درخواست پیگیری پروانه ساختمانی روستا",
        "attribute[national_code]": "۰۴۹۹۳۷۰۸۹۹",
        "attribute[visit_date]": "2026-11-20",
    }
    data.update(extra)
    return data


def test_discovery(client, world):
    data = client.get(f"{BASE}/discovery.json").json()
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert endpoint["formats"] == ["application/json"]


def test_services(client, world):
    rows = {row["service_code"]: row for row in client.get(f"{BASE}/services.json").json()}
    assert set(rows) == {"10012135000", "10012135001"}
    row = rows["10012135000"]
    assert row["group"] == "واحد الف"
    assert row["service_name"] == "خدمت الف"
    assert row["metadata"] is True and row["type"] == "realtime"


def test_service_definition(client, world):
    data = client.get(f"{BASE}/services/10012135000.json").json()
    attributes = {a["code"]: a for a in data["attributes"]}
    assert data["service_code"] == "10012135000"
    assert attributes["national_code"]["required"] is True
    assert attributes["request_text"]["datatype"] == "text"
    assert attributes["officer"]["datatype"] == "singlevaluelist"
    assert attributes["officer"]["required"] is True  # the unit has an active officer
    assert attributes["officer"]["values"] == [
        {"key": str(world["officer"].pk), "name": "مریم احمدی — کارشناس"}
    ]
    assert attributes["previous_visit_result"]["values"][0]["name"] == "پاسخ داده شد"
    assert [a["order"] for a in data["attributes"]] == list(range(1, len(attributes) + 1))
    # Unit B has no officers: the officer is not required there.
    other = client.get(f"{BASE}/services/10012135001.json").json()
    assert {a["code"]: a for a in other["attributes"]}["officer"]["required"] is False


def test_unknown_service_is_404(client, world):
    response = client.get(f"{BASE}/services/99999999999.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_xml_is_not_offered(client, world):
    response = client.get(f"{BASE}/services.xml")
    assert response.status_code == 400
    assert "JSON" in response.json()[0]["description"]


@pytest.mark.parametrize("api_key", [None, "", "o311_wrong", "wagtail_x"])
def test_post_without_valid_key_is_403(client, world, key, api_key):
    data = good_post(key, **{"attribute[officer]": str(world["officer"].pk)})
    if api_key is None:
        del data["api_key"]
    else:
        data["api_key"] = api_key
    response = client.post(f"{BASE}/requests.json", data)
    assert response.status_code == 403
    assert "api_key" in response.json()[0]["description"]
    assert ServiceRequest.objects.count() == 2


def test_post_with_revoked_key_is_403(client, world):
    instance, plaintext = Open311Key.create_key("قدیمی")
    instance.revoke()
    data = good_post(plaintext, **{"attribute[officer]": str(world["officer"].pk)})
    assert client.post(f"{BASE}/requests.json", data).status_code == 403


def test_bad_attributes_are_400_with_messages(client, world, key):
    data = good_post(
        key,
        **{
            "attribute[national_code]": "1234567890",
            "phone": "12345",
            "first_name": "Ali123",
            "description": "کوتاه",
            "attribute[officer]": "999999",
            "attribute[visit_date]": "1405/13/45",
        },
    )
    response = client.post(f"{BASE}/requests.json", data)
    assert response.status_code == 400
    descriptions = " | ".join(item["description"] for item in response.json())
    assert "attribute[national_code]: شماره ملی معتبر نیست" in descriptions
    assert "attribute[mobile]: شماره تلفن همراه معتبر نیست" in descriptions
    assert "attribute[first_name]: فقط حروف" in descriptions
    assert "attribute[request_text]: متن درخواست دست‌کم ۱۰ نویسه باشد." in descriptions
    assert "attribute[officer]: متصدی انتخاب‌شده معتبر نیست." in descriptions
    assert "attribute[visit_date]" in descriptions
    assert ServiceRequest.objects.count() == 2


def test_missing_required_attributes(client, world, key):
    response = client.post(f"{BASE}/requests.json", {"api_key": key, "service_code": "10012135000"})
    assert response.status_code == 400
    descriptions = " | ".join(item["description"] for item in response.json())
    for name in (
        "national_code",
        "first_name",
        "last_name",
        "mobile",
        "request_text",
        "officer",
        "visit_date",
    ):
        assert f"attribute[{name}]" in descriptions, name


def test_unknown_or_missing_service_code_is_400(client, world, key):
    assert client.post(f"{BASE}/requests.json", {"api_key": key}).status_code == 400
    response = client.post(f"{BASE}/requests.json", good_post(key, service_code="99999999999"))
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("service_code")


def test_good_post_creates_one_request_for_the_unit(client, world, key, django_capture_on_commit_callbacks):
    data = good_post(key, **{"attribute[officer]": str(world["officer"].pk)})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/requests.json", data)
    assert response.status_code == 200, response.content
    body = response.json()
    assert len(body) == 1
    created = ServiceRequest.objects.exclude(pk__in=[world["request_a"].pk, world["request_b"].pk])
    assert created.count() == 1
    req = created.get()
    assert body[0]["service_request_id"] == req.public_id != req.tracking_code
    # Stored through the wizard's validators: canonical digits, Persian letters.
    assert (req.national_code, req.mobile, req.email) == (NATIONAL_CODE, "09127654321", "z@example.com")
    assert (req.first_name, req.last_name, req.unit, req.officer) == (
        "زهرا",
        "محمدی",
        world["unit_a"],
        world["officer"],
    )
    assert req.visit_date.isoformat() == "2026-11-20"
    assert req.due_date is not None
    assert RequestEvent.objects.filter(request=req, kind="submitted").count() == 1
    # The citizen gets the tracking code by SMS.
    assert SmsMessage.objects.filter(request=req, recipient="09127654321").count() == 1
    # Visible to unit A's staff, not to unit B's.
    from desk import scoping

    assert scoping.visible_requests(world["staff_a"]).filter(pk=req.pk).exists()
    assert not scoping.visible_requests(world["staff_b"]).filter(pk=req.pk).exists()
    assert Open311Key.objects.get().last_used_at is not None


def test_attributes_override_standard_fields_and_jalali_visit_date(client, world, key):
    data = good_post(
        key,
        **{
            "attribute[officer]": str(world["officer"].pk),
            "attribute[request_text]": "متن کامل درخواست از ویژگی",
            "attribute[visit_date]": "۱۴۰۵/۰۸/۲۹",
        },
    )
    response = client.post(f"{BASE}/requests.json", data)
    assert response.status_code == 200, response.content
    req = ServiceRequest.objects.get(public_id=response.json()[0]["service_request_id"])
    assert req.request_text == "متن کامل درخواست از ویژگی"
    assert req.visit_date.isoformat() == "2026-11-20"


def assert_no_personal_data(text, req):
    for secret in (
        req.national_code,
        req.mobile,
        req.first_name,
        req.last_name,
        req.tracking_code,
        req.request_text,
        "یادداشت داخلی محرمانه",
    ):
        assert secret not in text, secret


def test_get_request_by_public_id_shows_no_personal_data(client, world):
    req = world["request_a"]
    services.transition(
        req,
        "in_review",
        world["staff_a"],
        public_note="بررسی آغاز شد.",
        internal_note="یادداشت داخلی محرمانه",
    )
    response = client.get(f"{BASE}/requests/{req.public_id}.json")
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert_no_personal_data(text, req)
    (data,) = json.loads(text)
    assert data["service_request_id"] == req.public_id
    assert data["status"] == "open"
    assert data["status_notes"] == "بررسی آغاز شد."
    assert data["service_code"] == "10012135000"
    assert data["agency_responsible"] == "واحد الف"
    assert data["address"] == "کرمان، بلوار جمهوری، ساختمان سازمان"
    assert data["lat"] is None and data["long"] is None
    assert data["updated_datetime"] >= data["requested_datetime"]


def test_tracking_code_is_not_an_id(client, world):
    req = world["request_a"]
    assert client.get(f"{BASE}/requests/{req.tracking_code}.json").status_code == 404


def test_get_requests_filters(client, world):
    req_a, req_b = world["request_a"], world["request_b"]
    services.transition(req_b, "closed", world["staff_b"])

    def ids(params):
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 200, response.content
        assert_no_personal_data(response.content.decode(), req_a)
        return {row["service_request_id"] for row in response.json()}

    assert ids({}) == {req_a.public_id, req_b.public_id}
    assert ids({"status": "open"}) == {req_a.public_id}
    assert ids({"status": "closed"}) == {req_b.public_id}
    assert ids({"service_code": "10012135001"}) == {req_b.public_id}
    assert ids({"service_request_id": f"{req_b.public_id},nothere"}) == {req_b.public_id}
    assert ids({"start_date": "2000-01-01T00:00:00Z", "end_date": "2001-01-01T00:00:00Z"}) == set()
    for bad in ({"status": "lost"}, {"start_date": "yesterday"}, {"service_code": "abc"}):
        response = client.get(f"{BASE}/requests.json", bad)
        assert response.status_code == 400, bad
        assert response.json()[0]["code"] == 400


def test_open311_key_stores_only_a_digest(world):
    instance, plaintext = Open311Key.create_key("x")
    assert plaintext not in instance.key_hash
    assert Open311Key.authenticate(plaintext) == instance
    assert Open311Key.authenticate(plaintext + "x") is None


def test_keys_in_the_admin_shown_once_and_revoked(client, world):
    client.force_login(world["superuser"])
    assert client.get("/admin/open311-keys/").status_code == 200
    response = client.post("/admin/open311-keys/new/", {"name": "سامانه ۱۳۷"})
    assert response.status_code == 200
    instance = Open311Key.objects.get(name="سامانه ۱۳۷")
    html = response.content.decode()
    start = html.index('id="open311-key-value"')
    plaintext = html[start:].split('value="', 1)[1].split('"', 1)[0]
    assert plaintext.startswith("o311_") and Open311Key.authenticate(plaintext) == instance
    listing = client.get("/admin/open311-keys/").content.decode()
    assert instance.prefix in listing and plaintext not in listing
    response = client.post(f"/admin/open311-keys/delete/{instance.pk}/")
    assert response.status_code == 302
    instance.refresh_from_db()
    assert instance.revoked_at is not None
    assert Open311Key.authenticate(plaintext) is None


def test_desk_staff_cannot_manage_open311_keys(client, world):
    client.force_login(world["staff_a"])
    assert client.get("/admin/open311-keys/").status_code in (302, 403)
    client.post("/admin/open311-keys/new/", {"name": "x"})
    assert not Open311Key.objects.exists()


def test_nul_characters_are_refused_not_500(client, world, key):
    """PostgreSQL cannot store or compare a NUL: every way in answers 4xx."""
    assert client.get(f"{BASE}/requests/ab%00cd.json").status_code == 404
    assert client.get(f"{BASE}/services/100%0012135000.json").status_code == 404
    for params in ({"service_request_id": "a\x00b"}, {"service_code": "1\x00"}, {"start_date": "2026\x00"}):
        assert client.get(f"{BASE}/requests.json", params).status_code == 400, params
    data = good_post(key, **{"attribute[officer]": str(world["officer"].pk), "first_name": "زه\x00را"})
    assert client.post(f"{BASE}/requests.json", data).status_code == 400


def valid_post(world, key):
    return good_post(key, **{"attribute[officer]": str(world["officer"].pk)})


def test_a_replayed_post_with_the_same_idempotency_key_creates_one_request(client, world, key):
    data = valid_post(world, key)
    first = client.post(f"{BASE}/requests.json", data, headers={"Idempotency-Key": "order-1405-0001"})
    again = client.post(f"{BASE}/requests.json", data, headers={"Idempotency-Key": "order-1405-0001"})
    other = client.post(f"{BASE}/requests.json", data, headers={"Idempotency-Key": "order-1405-0002"})
    assert first.status_code == again.status_code == other.status_code == 200
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    assert other.json()[0]["service_request_id"] != first.json()[0]["service_request_id"]
    new = ServiceRequest.objects.exclude(pk__in=[world["request_a"].pk, world["request_b"].pk])
    assert new.count() == 2
    # Another sender's key with the same header value is another request.
    second_key = Open311Key.create_key("سامانه ۱۳۷")[1]
    theirs = client.post(
        f"{BASE}/requests.json", valid_post(world, second_key), headers={"Idempotency-Key": "order-1405-0001"}
    )
    assert theirs.json()[0]["service_request_id"] != first.json()[0]["service_request_id"]


def test_a_malformed_idempotency_key_is_400(client, world, key):
    response = client.post(
        f"{BASE}/requests.json", valid_post(world, key), headers={"Idempotency-Key": "x" * 201}
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()[0]["description"]
    assert not ServiceRequest.objects.exclude(pk__in=[world["request_a"].pk, world["request_b"].pk]).exists()


def test_posts_are_rate_limited_per_api_key(client, world, key, settings):
    settings.OPEN311_POST_RATE = "2/600"
    for _ in range(2):
        assert client.post(f"{BASE}/requests.json", valid_post(world, key)).status_code == 200
    response = client.post(f"{BASE}/requests.json", valid_post(world, key))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "حد مجاز" in response.json()[0]["description"]
    new = ServiceRequest.objects.exclude(pk__in=[world["request_a"].pk, world["request_b"].pk])
    assert new.count() == 2  # nothing stored for the refused call
    other_key = Open311Key.create_key("سامانه ۱۳۷")[1]
    assert client.post(f"{BASE}/requests.json", valid_post(world, other_key)).status_code == 200


@pytest.mark.parametrize(
    "value",
    [
        "2026-01-01T00:00:00+20:00",
        "2026-01-01T00:00:00-16:30",
        "2026-01-01T00:00:00+16:00",
        "2026-01-01T00:00:00+99:99",
        "2026-01-01T00:00:00+2000",
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+14:00",
    ],
)
@pytest.mark.parametrize("name", ["start_date", "end_date"])
def test_dates_beyond_any_time_zone_or_calendar_are_a_clear_400(client, world, name, value):
    """A UTC offset outside ±15:59 (or a date at the calendar's edge) is the sender's
    mistake: GeoReport's error list with a message naming the parameter, never a 500."""
    response = client.get(f"{BASE}/requests.json", {name: value})
    assert response.status_code == 400, response.content
    body = response.json()
    assert body[0]["code"] == 400
    assert name in body[0]["description"]


@pytest.mark.parametrize(
    "value", ["9999-12-31", "0001-01-01", "2026-01-01T00:00:00+15:59", "2026-01-01T00:00:00-15:59"]
)
@pytest.mark.parametrize("name", ["start_date", "end_date"])
def test_dates_at_the_edges_answer_without_a_server_error(client, world, name, value):
    response = client.get(f"{BASE}/requests.json", {name: value})
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert name in response.json()[0]["description"]
