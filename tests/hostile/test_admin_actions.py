"""The hostile corpus against the staff forms on a request's admin page (status change,
assignment, note, official response), the listing's filters and the reports' dates:
every TEXT and RAW_FORM_VALUES value in every field, DATES in every date parameter.
Never a 5xx; a refused form writes nothing; an accepted one stores only cleaned text."""

import pytest

from desk.text import NOTE_MAX, RESPONSE_TEXT_MAX, staff_text
from intake import services
from tests.desk import conftest as desk_fixtures
from tests.hostile.conftest import assert_not_server_error
from tests.hostile.desk_state import assert_clean_text, new_texts, snapshot
from tests.hostile.payloads import DATES, RAW_FORM_VALUES, TEXT, raw_form_body
from tests.intake.requests import make_request

pytestmark = pytest.mark.django_db
desk_world = desk_fixtures.desk_world  # the desk tests' two units, their users and requests

TEXT_LIMITS = {
    "status-public_note": NOTE_MAX,
    "status-internal_note": NOTE_MAX,
    "assign-internal_note": NOTE_MAX,
    "note-public_note": NOTE_MAX,
    "note-internal_note": NOTE_MAX,
    "response-legal_grounds": RESPONSE_TEXT_MAX,
    "response-content": RESPONSE_TEXT_MAX,
    "response-appeal": RESPONSE_TEXT_MAX,
    "response-notes": RESPONSE_TEXT_MAX,
    "response-internal_note": NOTE_MAX,
}
CHOICE_FIELDS = [
    "status-to_status",
    "status-unit",
    "status-expected_status",
    "assign-assignee",
    "assign-expected_assignee",
    "assign-expected_status",
    "note-expected_status",
    "response-expected_status",
]
REQUIRED = {"response-legal_grounds", "response-content", "response-appeal"}


@pytest.fixture
def staff(client, desk_world):
    client.force_login(desk_world["staff_a"])

    def fresh(action):
        req = make_request(desk_world["service_a"])
        if action == "response":
            services.transition(req, "in_review", desk_world["staff_a"])
        return req

    def valid(action, req):
        status = req.status
        return {
            "status": {"status-expected_status": status, "status-to_status": "in_review"},
            "assign": {
                "assign-expected_status": status,
                "assign-expected_assignee": "",
                "assign-assignee": str(desk_world["staff_a"].pk),
            },
            "note": {"note-expected_status": status, "note-internal_note": "یادداشت"},
            "response": {
                "response-expected_status": status,
                "response-legal_grounds": "ماده ۱۰ قانون",
                "response-content": "پذیرفته شد.",
                "response-appeal": "دیوان عدالت اداری",
            },
        }[action]

    def post(action, req, data=None, raw=None):
        url = f"/admin/requests/{req.pk}/action/{action}/"
        if raw is not None:
            return client.post(url, raw, content_type="application/x-www-form-urlencoded")
        return client.post(url, data)

    client.fresh, client.valid, client.act = fresh, valid, post
    return client


def _check(response, before, after, where, refused_value):
    assert_not_server_error(response, where)
    if response.status_code == 400 or refused_value:
        assert after == before, f"{where}: {response.status_code}, but written"
    for text in new_texts(before, after):
        assert_clean_text(text, RESPONSE_TEXT_MAX, where)


@pytest.mark.parametrize("case", sorted(TEXT))
def test_text_in_every_text_field(staff, case):
    """Each case in each text field, a fresh request per field (one world per case)."""
    value = TEXT[case]
    for field, limit in TEXT_LIMITS.items():
        action = field.split("-")[0]
        req = staff.fresh(action)
        before = snapshot(req)
        response = staff.act(action, req, {**staff.valid(action, req), field: value})
        after = snapshot(req)
        where = f"{field}={case}"
        refused = "\x00" in value or len(value.strip()) > limit
        _check(response, before, after, where, refused)
        if not refused and staff_text(value) and response.status_code == 302:
            assert after != before, f"{where}: a valid value was not written"
            stored = new_texts(before, after)
            assert any(staff_text(value) in text for text in stored), f"{where}: {stored!r}"
        if field in REQUIRED and not staff_text(value):
            assert response.status_code == 400 and after == before, where


@pytest.mark.parametrize("case", sorted(TEXT))
def test_text_in_every_choice_and_hidden_field(staff, case):
    for field in CHOICE_FIELDS:
        if field == "assign-expected_assignee" and not TEXT[case].strip():
            continue  # Django trims a text field: white space is the empty value, as sent
        action = field.split("-")[0]
        req = staff.fresh(action)
        before = snapshot(req)
        response = staff.act(action, req, {**staff.valid(action, req), field: TEXT[case]})
        after = snapshot(req)
        assert_not_server_error(response, f"{field}={case}")
        assert after == before, f"{field}={case}: {response.status_code}, written"


@pytest.mark.parametrize("case", sorted(RAW_FORM_VALUES))
def test_raw_values_in_every_field(staff, case):
    for field in [*TEXT_LIMITS, *CHOICE_FIELDS]:
        action = field.split("-")[0]
        req = staff.fresh(action)
        before = snapshot(req)
        body = raw_form_body(staff.valid(action, req), field, RAW_FORM_VALUES[case])
        response = staff.act(action, req, raw=body)
        after = snapshot(req)
        assert_not_server_error(response, f"{field}={case}")
        for text in new_texts(before, after):
            assert_clean_text(text, RESPONSE_TEXT_MAX, f"{field}={case}")
        if field in CHOICE_FIELDS:
            assert after == before, f"{field}={case}: written"


@pytest.mark.parametrize("action", ["status", "assign", "note", "response", "nothing", "do_status"])
def test_unknown_or_empty_posts(staff, action):
    req = staff.fresh("response")
    before = snapshot(req)
    for data in ({}, {f"{action}-expected_status": req.status}):
        response = staff.act(action, req, data)
        assert_not_server_error(response, action)
        assert response.status_code in (302, 400, 404), (action, response.status_code)
    assert snapshot(req) == before


LISTING_PARAMS = [
    "q",
    "status",
    "unit",
    "service",
    "submitted_from",
    "submitted_to",
    "overdue",
    "ordering",
    "p",
]


@pytest.mark.parametrize("case", sorted(TEXT))
def test_text_in_the_listing_and_report_parameters(staff, desk_world, case):
    value = TEXT[case][:10_000]  # a longer URL never passes a front server
    for param in LISTING_PARAMS:
        for export in ("", "csv"):
            query = {param: value, **({"export": export} if export else {})}
            response = staff.get("/admin/requests/", query)
            assert_not_server_error(response, f"listing {param}={case} {export}")
    staff.force_login(desk_world["manager"])
    for param in ("date_from", "date_to"):
        for path in ("/admin/desk-reports/", "/admin/desk-reports/export.xlsx"):
            response = staff.get(path, {param: value})
            assert_not_server_error(response, f"{path} {param}={case}")


@pytest.mark.parametrize("case", sorted(DATES))
def test_dates_in_every_date_parameter(staff, desk_world, case):
    value = DATES[case]
    for param in ("submitted_from", "submitted_to"):
        response = staff.get("/admin/requests/", {param: value})
        assert_not_server_error(response, f"listing {param}={case}")
    staff.force_login(desk_world["manager"])
    for param in ("date_from", "date_to"):
        for path in ("/admin/desk-reports/", "/admin/desk-reports/export.xlsx"):
            response = staff.get(path, {param: value})
            assert_not_server_error(response, f"{path} {param}={case}")
            assert response.status_code in (200, 400), (path, param, case, response.status_code)
