"""Objection (issue 19) in the back office and the desk API: the response form sets the
objection unit and period; the objection arrives at that unit with the original
response shown in full; the original request lists it; the API links both ways;
Open311 shows no link and no personal data."""

import json
import shutil

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import APIToken

from intake import holidays, services
from intake.models import OfficialResponse, ServiceRequest
from portal.persian import to_persian_digits

pytestmark = pytest.mark.django_db

TEXT = {"legal_grounds": "ماده ۱", "content": "درخواست پذیرفته نشد.", "appeal": "هیئت رسیدگی"}
OBJECTION = "به رد درخواست اعتراض دارم."


@pytest.fixture(autouse=True)
def _private_media():
    yield
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)


def act(client, req, data):
    payload = {f"response-{name}": value for name, value in data.items()}
    payload["response-expected_status"] = req.status
    return client.post(reverse("desk_requests:action", args=(req.pk, "response")), payload)


def detail(client, req):
    return client.get(reverse("desk_requests:detail", args=(req.pk,))).content.decode()


@pytest.fixture
def objected(desk_world):
    """request_a answered by unit A naming unit B for objections; the citizen objected."""
    req = desk_world["request_a"]
    services.transition(req, "in_review", desk_world["staff_a"])
    response = services.issue_response(
        req, desk_world["staff_a"], **TEXT, objection_unit=desk_world["unit_b"], objection_days=5
    )
    return response, services.file_objection(response, OBJECTION)


def test_the_response_form_offers_the_services_defaults(client, desk_world):
    service = desk_world["service_a"]
    service.objection_unit, service.objection_days = desk_world["unit_b"], 12
    service.save()
    req = desk_world["request_a"]
    services.transition(req, "in_review", desk_world["staff_a"])
    client.force_login(desk_world["staff_a"])
    page = detail(client, req)
    assert 'for="id_response-objection_unit"' in page and "مهلت اعتراض (روز کاری)" in page
    assert f'<option value="{desk_world["unit_b"].pk}" selected>' in page
    assert 'value="۱۲"' in page


def test_staff_set_the_unit_and_period_when_issuing(client, desk_world):
    req = desk_world["request_a"]
    services.transition(req, "in_review", desk_world["staff_a"])
    client.force_login(desk_world["staff_a"])
    data = {**TEXT, "objection_unit": desk_world["unit_b"].pk, "objection_days": "۴"}
    assert act(client, req, data).status_code == 302
    official = OfficialResponse.objects.get()
    assert official.objection_unit == desk_world["unit_b"]
    assert official.objection_deadline == holidays.due_date(official.created_at, 4)


@pytest.mark.parametrize(
    ("days", "message"),
    [("0", "دست‌کم ۱ روز"), ("91", "بیش از ۹۰ روز"), ("ده", "با عدد بنویسید")],
)
def test_a_bad_period_gets_a_persian_message_and_writes_nothing(client, desk_world, days, message):
    req = desk_world["request_a"]
    services.transition(req, "in_review", desk_world["staff_a"])
    client.force_login(desk_world["staff_a"])
    response = act(client, req, {**TEXT, "objection_days": days})
    assert response.status_code == 400 and message in response.content.decode()
    assert not OfficialResponse.objects.exists()


def test_the_objection_arrives_at_the_named_unit_with_the_original_response(client, desk_world, objected):
    response, objection = objected
    assert objection.unit == desk_world["unit_b"]
    client.force_login(desk_world["staff_b"])
    page = detail(client, objection)
    assert "پاسخ مورد اعتراض" in page
    assert "درخواست پذیرفته نشد." in page and to_persian_digits(response.number) in page
    # Unit B may not open request A itself: its code is shown, not linked.
    assert to_persian_digits(desk_world["request_a"].tracking_code) in page
    assert reverse("desk_requests:detail", args=(desk_world["request_a"].pk,)) not in page
    # The objection is in unit B's list, not in unit A's.
    listing = client.get(reverse("desk_requests:index")).content.decode()
    assert to_persian_digits(objection.tracking_code) in listing
    assert listing.count('class="w-status w-status--label desk-objection">اعتراض<') == 1  # its badge, once
    client.force_login(desk_world["staff_a"])
    assert client.get(reverse("desk_requests:detail", args=(objection.pk,))).status_code == 404


def test_the_original_request_lists_its_objections(client, desk_world, objected):
    _response, objection = objected
    client.force_login(desk_world["staff_a"])
    page = detail(client, desk_world["request_a"])
    assert "اعتراض‌ها به پاسخ" in page and to_persian_digits(objection.tracking_code) in page
    client.force_login(desk_world["manager"])  # sees every unit: the code is a link
    page = detail(client, desk_world["request_a"])
    assert reverse("desk_requests:detail", args=(objection.pk,)) in page


# The desk API ----------------------------------------------------------------------------


def api_client(client, user):
    token = APIToken.create_token(user=user, name="desk app")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(path):
        return client.get("/api/desk" + path, **headers)

    def post(path, payload):
        return client.post(
            "/api/desk" + path, json.dumps(payload), content_type="application/json", **headers
        )

    return get, post


def test_the_api_links_both_ways(client, desk_world, objected):
    response, objection = objected
    get, _post = api_client(client, desk_world["manager"])
    original = get(f"/requests/{desk_world['request_a'].tracking_code}").json()
    assert original["objections"] == [
        {"tracking_code": objection.tracking_code, "status": "received", "response_number": response.number}
    ]
    assert original["response"]["objection_unit_id"] == desk_world["unit_b"].pk
    assert original["response"]["objection_deadline"] == response.objection_deadline.isoformat()
    linked = get(f"/requests/{objection.tracking_code}").json()
    assert linked["objection_to"] == {
        "tracking_code": desk_world["request_a"].tracking_code,
        "status": "answered",
        "response_number": response.number,
    }
    assert linked["objections"] == []


def test_the_api_issues_with_an_objection_unit_and_period(client, desk_world):
    req = desk_world["request_a"]
    services.transition(req, "in_review", desk_world["staff_a"])
    _get, post = api_client(client, desk_world["staff_a"])
    reply = post(
        f"/requests/{req.tracking_code}/response",
        {**TEXT, "objection_unit_id": desk_world["unit_b"].pk, "objection_days": 3},
    )
    assert reply.status_code == 201
    assert reply.json()["objection_unit_name"] == "واحد ب"
    official = OfficialResponse.objects.get()
    assert official.objection_deadline == holidays.due_date(official.created_at, 3)


@pytest.mark.parametrize(
    ("extra", "status"),
    [({"objection_unit_id": 999_999}, 400), ({"objection_days": 0}, 422), ({"objection_days": 91}, 422)],
)
def test_the_api_refuses_a_bad_unit_or_period(client, desk_world, extra, status):
    req = desk_world["request_a"]
    services.transition(req, "in_review", desk_world["staff_a"])
    _get, post = api_client(client, desk_world["staff_a"])
    reply = post(f"/requests/{req.tracking_code}/response", {**TEXT, **extra})
    assert reply.status_code == status
    assert not OfficialResponse.objects.exists()
    assert ServiceRequest.objects.get(pk=req.pk).status == "in_review"


def test_open311_shows_the_objection_without_personal_data(client, desk_world, objected):
    _response, objection = objected
    reply = client.get(f"/open311/v2/requests/{objection.public_id}.json")
    assert reply.status_code == 200
    text = reply.content.decode()
    assert objection.national_code not in text and objection.mobile not in text and OBJECTION not in text
