"""The hostile corpus against the desk API (desk.api): every TEXT value in every JSON
string field and query parameter, every JSON_VALUES value in every JSON field, every
DATES value in every date parameter, plus bodies that are not JSON objects. Never a
5xx; a refused call writes nothing; an accepted one stores only the cleaned text."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import APIToken

from desk.text import NOTE_MAX, RESPONSE_TEXT_MAX, staff_text
from intake import services
from tests.desk import conftest as desk_fixtures
from tests.hostile.conftest import assert_not_server_error
from tests.hostile.desk_state import assert_clean_text, new_texts, snapshot
from tests.hostile.payloads import DATES, JSON_VALUES, TEXT
from tests.intake.requests import make_request

pytestmark = pytest.mark.django_db
desk_world = desk_fixtures.desk_world  # the desk tests' two units, their users and requests
BASE = "/api/desk"

RESPONSE_BODY = {"legal_grounds": "ماده ۱۰ قانون", "content": "پذیرفته شد.", "appeal": "دیوان عدالت اداری"}
# (endpoint, the request's starting status, a valid body, the string fields, each one's limit)
ACTIONS = {
    "transition": (
        "received",
        {"to_status": "in_review"},
        {"public_note": NOTE_MAX, "internal_note": NOTE_MAX},
    ),
    "notes": (
        "received",
        {"internal_note": "یادداشت"},
        {"public_note": NOTE_MAX, "internal_note": NOTE_MAX},
    ),
    "response": (
        "in_review",
        RESPONSE_BODY,
        {
            "legal_grounds": RESPONSE_TEXT_MAX,
            "content": RESPONSE_TEXT_MAX,
            "appeal": RESPONSE_TEXT_MAX,
            "notes": RESPONSE_TEXT_MAX,
            "public_note": NOTE_MAX,
            "internal_note": NOTE_MAX,
        },
    ),
}
JSON_FIELDS = {
    "transition": ["to_status", "public_note", "internal_note", "expected_status", "unit_id"],
    "notes": ["public_note", "internal_note"],
    "response": list(ACTIONS["response"][2]),
}
REQUIRED_TEXT = {"legal_grounds", "content", "appeal"}
# Bodies that are not what the API takes; JSON's \ud800 escape is a lone surrogate.
RAW_BODIES = {
    "lone_surrogate": '{"to_status": "in_review", "public_note": "\\ud800"}',
    "lone_surrogate_status": '{"to_status": "in_review\\udfff"}',
    "not_json": "to_status=in_review",
    "truncated": '{"to_status": "in_',
    "list": '["in_review"]',
    "string": '"in_review"',
    "number": "1e999",
    "nan": '{"to_status": "in_review", "unit_id": NaN}',
    "deep": "[" * 5000 + "]" * 5000,
    "duplicate_keys": '{"to_status": "in_review", "to_status": "closed"}',
    "invalid_utf8": b'{"to_status": "in_review", "public_note": "\xff\xfe"}',
    "empty": "",
}


@pytest.fixture
def api(client, desk_world):
    token = APIToken.create_token(user=desk_world["staff_a"], name="hostile")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    class Api:
        world = desk_world

        def get(self, path, data=None):
            return client.get(BASE + path, data or {}, **headers)

        def post(self, path, body):
            if not isinstance(body, str | bytes):
                body = json.dumps(body)
            return client.post(BASE + path, body, content_type="application/json", **headers)

        def fresh(self, status="received"):
            req = make_request(desk_world["service_a"])
            if status != "received":
                services.transition(req, status, desk_world["staff_a"])
            return req

    return Api()


def _check_write(response, before, after, limits, where):
    """A refused call wrote nothing; an accepted one wrote only clean, bounded text."""
    assert_not_server_error(response, where)
    if response.status_code >= 400:
        assert after == before, f"{where}: {response.status_code} but something was written"
        body = response.json()
        assert body.get("detail"), f"{where}: no message"
        return
    limit = max(limits.values())
    for text in new_texts(before, after):
        assert_clean_text(text, limit, where)


@pytest.mark.parametrize("case", sorted(TEXT))
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_text_in_every_string_field(api, action, case):
    status, valid, limits = ACTIONS[action]
    value = TEXT[case]
    for field, limit in limits.items():
        req = api.fresh(status)
        before = snapshot(req)
        response = api.post(f"/requests/{req.tracking_code}/{action}", {**valid, field: value})
        after = snapshot(req)
        where = f"{action}.{field}={case}"
        _check_write(response, before, after, limits, where)
        cleaned = staff_text(value)
        if response.status_code < 400:
            assert "\x00" not in value and len(value) <= limit, f"{where}: accepted a refused value"
            stored = new_texts(before, after)
            assert cleaned in stored or (not cleaned and field not in REQUIRED_TEXT), where
        elif "\x00" not in value and len(value) <= limit:
            # Refused only when nothing visible is left of a required or the only text.
            assert not cleaned, f"{where}: a valid value refused ({response.status_code})"


@pytest.mark.parametrize("case", sorted(JSON_VALUES))
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_json_values_in_every_field(api, action, case):
    status, valid, limits = ACTIONS[action]
    for field in JSON_FIELDS[action]:
        req = api.fresh(status)
        before = snapshot(req)
        response = api.post(f"/requests/{req.tracking_code}/{action}", {**valid, field: JSON_VALUES[case]})
        _check_write(response, before, snapshot(req), limits, f"{action}.{field}={case}")


@pytest.mark.parametrize("case", sorted(RAW_BODIES))
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_bodies_that_are_not_an_object(api, action, case):
    status, _valid, limits = ACTIONS[action]
    req = api.fresh(status)
    before = snapshot(req)
    response = api.post(f"/requests/{req.tracking_code}/{action}", RAW_BODIES[case])
    after = snapshot(req)
    assert_not_server_error(response, case)
    if case == "duplicate_keys" and response.status_code < 400:
        return  # JSON's last key wins: a plain move to «closed» or «in_review»
    assert 400 <= response.status_code < 500, f"{action} {case}: {response.status_code}"
    assert after == before, f"{action} {case}: written"


def test_a_refusal_does_not_echo_the_input(api):
    """422 names the field and the rule; it never sends back what was typed (a megabyte,
    or personal data pasted into a note)."""
    req = api.fresh()
    value = "ا" * 5000 + "SECRET-0499370899"
    response = api.post(f"/requests/{req.tracking_code}/notes", {"internal_note": value})
    assert response.status_code == 422
    assert "SECRET-0499370899" not in response.content.decode()
    assert response.json()["errors"][0]["loc"][-1] == "internal_note"


LIST_PARAMS = ["status", "unit", "service_code", "submitted_from", "submitted_to", "overdue"]
LIST_PARAMS += ["assigned_to_me", "q", "page", "page_size"]


@pytest.mark.parametrize("case", sorted(TEXT))
def test_text_in_every_query_parameter_and_path(api, case):
    value = TEXT[case][:10_000]  # a longer URL never passes a front server
    for param in LIST_PARAMS:
        response = api.get("/requests", {param: value})
        assert_not_server_error(response, f"{param}={case}")
        assert response.status_code in (200, 400, 422), f"{param}={case}: {response.status_code}"
    req = api.world["request_a"]
    for path in (
        "/requests/{v}",
        "/requests/{v}/events",
        f"/requests/{req.tracking_code}/attachments/{{v}}",
        "/requests/{v}/attachments/1",
    ):
        from urllib.parse import quote

        response = api.get(path.format(v=quote(value[:2000], safe="")))
        assert_not_server_error(response, f"{path}={case}")


@pytest.mark.parametrize("case", sorted(DATES))
@pytest.mark.parametrize("param", ["submitted_from", "submitted_to"])
def test_dates_in_the_date_filters(api, param, case):
    response = api.get("/requests", {param: DATES[case]})
    assert_not_server_error(response, f"{param}={case}")
    assert response.status_code in (200, 400, 422), response.status_code
    if response.status_code != 200:
        assert response.json()["detail"]


EDGE_DATES = ["0001-01-01", "1700-01-01", "9999-12-31", "0001/01/01", "9999/12/29", "1/1/1", "1405/12/30"]


@pytest.mark.parametrize("value", EDGE_DATES)
@pytest.mark.parametrize("param", ["submitted_from", "submitted_to"])
def test_dates_at_the_calendars_edges(api, param, value):
    response = api.get("/requests", {param: value})
    assert response.status_code in (200, 400), (param, value, response.status_code)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    body=st.dictionaries(
        st.sampled_from(["to_status", "public_note", "internal_note", "expected_status", "unit_id", "x"]),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(min_value=-(10**20), max_value=10**20),
            st.floats(allow_nan=False),
            st.text(max_size=50),
            st.lists(st.integers(), max_size=3),
        ),
        max_size=6,
    )
)
def test_any_transition_body(api, body):
    req = api.world["request_b_copy"] if "request_b_copy" in api.world else None
    if req is None:
        req = api.world["request_b_copy"] = api.fresh()
    before = snapshot(req)
    response = api.post(f"/requests/{req.tracking_code}/transition", body)
    after = snapshot(req)
    assert_not_server_error(response, repr(body))
    if response.status_code >= 400:
        assert after == before, repr(body)
    else:
        for text in new_texts(before, after):
            assert_clean_text(text, NOTE_MAX, repr(body))
