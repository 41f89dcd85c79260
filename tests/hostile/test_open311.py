"""The hostile corpus against Open311 (desk.open311): every TEXT and RAW_FORM_VALUES
value in every POST field and GET parameter, DATES in every date. Never a 5xx; errors
in GeoReport's shape; a refused POST writes no request; an accepted one stores only
clean text."""

import re
from urllib.parse import quote

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from desk.models import Open311Key
from intake.models import ServiceRequest
from tests.desk import conftest as desk_fixtures
from tests.factories import OfficerFactory
from tests.hostile.conftest import assert_not_server_error
from tests.hostile.payloads import DATES, RAW_FORM_VALUES, TEXT, raw_form_body

pytestmark = pytest.mark.django_db
desk_world = desk_fixtures.desk_world  # the desk tests' two units, their users and requests
BASE = "/open311/v2"

ATTRIBUTES = [
    "request_text",
    "national_code",
    "first_name",
    "last_name",
    "mobile",
    "landline",
    "email",
    "address",
    "officer",
    "visit_date",
    "previous_visit_result",
    "visit_description",
]
POST_FIELDS = [
    "api_key",
    "service_code",
    "jurisdiction_id",
    "first_name",
    "last_name",
    "phone",
    "email",
    "description",
    "lat",
    "long",
    *[f"attribute[{name}]" for name in ATTRIBUTES],
]
GET_PARAMS = ["service_request_id", "start_date", "end_date", "service_code", "status", "jurisdiction_id"]
STORED_TEXT = [
    "request_text",
    "national_code",
    "first_name",
    "last_name",
    "mobile",
    "landline",
    "email",
    "address",
    "previous_visit_result",
    "visit_description",
]
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@pytest.fixture
def open311(client, desk_world, settings):
    settings.OPEN311_POST_RATE = "100000/60"
    unit = desk_world["unit_a"]
    officer = OfficerFactory(unit=unit, full_name="مریم احمدی", position="کارشناس")
    key = Open311Key.create_key("سامانه ۱۱۱")[1]
    valid = {
        "api_key": key,
        "service_code": "10012135000",
        "first_name": "زهرا",
        "last_name": "محمدی",
        "phone": "09127654321",
        "email": "z@example.com",
        "description": "درخواست پیگیری پروانه ساختمانی روستا",
        "attribute[national_code]": "0499370899",
        "attribute[visit_date]": "2026-11-20",
        "attribute[officer]": str(officer.pk),
    }
    client.valid = valid
    return client


def _post(client, data=None, raw=None):
    cache.clear()  # the catalog and the rate counters
    before = ServiceRequest.objects.count()
    if raw is not None:
        response = client.post(f"{BASE}/requests.json", raw, content_type="application/x-www-form-urlencoded")
    else:
        response = client.post(f"{BASE}/requests.json", data)
    return response, ServiceRequest.objects.count() - before


def _check(response, written, where):
    assert_not_server_error(response, where)
    if response.status_code != 200:
        assert written == 0, f"{where}: {response.status_code} but a request was written"
        body = response.json()
        assert isinstance(body, list) and body[0]["code"] == response.status_code, where
        assert body[0]["description"], where
        return
    assert written == 1, where
    req = ServiceRequest.objects.order_by("-pk").first()
    for name in STORED_TEXT:
        value = getattr(req, name)
        bad = FORBIDDEN.search(value)
        assert bad is None, f"{where}: {name} stored {bad.group()!r}"
        assert len(value) <= 5000, f"{where}: {name} stored {len(value)} characters"
    assert re.sub(r"[\s\u200c\u200d]", "", req.request_text), f"{where}: invisible request text stored"


@pytest.mark.parametrize("case", sorted(TEXT))
def test_text_in_every_post_field(open311, case):
    for field in POST_FIELDS:
        response, written = _post(open311, {**open311.valid, field: TEXT[case]})
        _check(response, written, f"{field}={case}")


@pytest.mark.parametrize("case", sorted(RAW_FORM_VALUES))
def test_raw_values_in_every_post_field(open311, case):
    for field in POST_FIELDS:
        body = raw_form_body(open311.valid, field, RAW_FORM_VALUES[case])
        response, written = _post(open311, raw=body)
        _check(response, written, f"{field}={case}")


@pytest.mark.parametrize("case", sorted(DATES))
def test_dates_as_the_visit_date(open311, case):
    response, written = _post(open311, {**open311.valid, "attribute[visit_date]": DATES[case]})
    _check(response, written, f"visit_date={case}")


@pytest.mark.parametrize("case", sorted(TEXT))
def test_text_as_the_idempotency_key(open311, case):
    value = TEXT[case][:10_000]
    try:
        response = open311.post(f"{BASE}/requests.json", open311.valid, headers={"Idempotency-Key": value})
    except (ValueError, UnicodeEncodeError):
        return  # the test client cannot even send it: neither can a real client
    assert_not_server_error(response, case)


@pytest.mark.parametrize("case", sorted(TEXT))
def test_text_in_every_get_parameter_and_path(open311, case):
    value = TEXT[case][:10_000]  # a longer URL never passes a front server
    for param in GET_PARAMS:
        response = open311.get(f"{BASE}/requests.json", {param: value})
        assert_not_server_error(response, f"{param}={case}")
        assert response.status_code in (200, 400), (param, case, response.status_code)
    for path in ("requests/{v}.json", "services/{v}.json"):
        response = open311.get(f"{BASE}/" + path.format(v=quote(value[:2000], safe="")))
        assert_not_server_error(response, f"{path}={case}")


@pytest.mark.parametrize("case", sorted(RAW_FORM_VALUES))
def test_raw_values_in_every_get_parameter(open311, case):
    for param in GET_PARAMS:
        response = open311.get(f"{BASE}/requests.json?{param}={RAW_FORM_VALUES[case]}")
        assert_not_server_error(response, f"{param}={case}")
        assert response.status_code in (200, 400), (param, case, response.status_code)


@pytest.mark.parametrize("case", sorted(DATES))
@pytest.mark.parametrize("param", ["start_date", "end_date"])
def test_dates_in_the_date_parameters(open311, param, case):
    response = open311.get(f"{BASE}/requests.json", {param: DATES[case]})
    assert_not_server_error(response, f"{param}={case}")
    assert response.status_code in (200, 400), (param, case, response.status_code)
    if response.status_code == 400:
        assert param in response.json()[0]["description"]


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    year=st.integers(min_value=1, max_value=9999),
    hours=st.integers(min_value=-23, max_value=23),
    minutes=st.integers(min_value=0, max_value=59),
    param=st.sampled_from(["start_date", "end_date"]),
)
def test_any_iso_moment_with_any_offset(open311, year, hours, minutes, param):
    """Every offset a parser accepts (±23:59) at any year: 200, or 400 naming the parameter."""
    sign = "-" if hours < 0 else "+"
    value = f"{year:04d}-06-15T12:00:00{sign}{abs(hours):02d}:{minutes:02d}"
    response = open311.get(f"{BASE}/requests.json", {param: value})
    assert response.status_code in (200, 400), (value, response.status_code)
    if abs(hours) >= 16:
        assert response.status_code == 400, value
    if response.status_code == 400:
        assert param in response.json()[0]["description"]
