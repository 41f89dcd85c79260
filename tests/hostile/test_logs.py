"""The log never holds a citizen's national code, mobile, name or a traceback of
their input, whatever they send (what the configured handlers emit is read)."""

import json

import pytest

from portal.logging import mask_personal_data
from tests.hostile.payloads import NUL, TEXT
from tests.intake.conftest import VALID_CITIZEN
from tests.intake.helpers import BASE, fill_to_review, step

# What the citizen typed, in every form a log could show it: whole, in part,
# JSON-escaped (PostgreSQL's CONTEXT line writes names as \\uXXXX).
SECRETS = ["0499370899", "04993708", "09121234567", "9121234", "علي", "كريمی", "آزادی"]
SECRETS += [json.dumps(name)[1:-1] for name in ("علی", "کریمی", "آزادی")]


def assert_clean(log):
    assert "Traceback" not in log, log[:2000]
    for secret in SECRETS:
        assert secret not in log, f"{secret!r} in the log"


STEP_FIELDS = {
    2: ["request_text", "service_id"],
    4: list(VALID_CITIZEN),
    5: ["visit_date", "visit_description"],
}


@pytest.mark.parametrize("number", sorted(STEP_FIELDS))
def test_hostile_wizard_input_leaves_no_personal_data_in_the_log(
    client,
    intake_page,
    service,
    officer,
    emitted_log,
    number,
):
    fill_to_review(client, service, officer)
    client.raise_request_exception = False
    base = {
        2: {
            "unit": str(service.unit_id),
            "service": service.service_id,
            "service_id": service.service_id,
            "request_text": "درخواست بررسی عملکرد دهیاری روستای ۱۲ را دارم.",
        },
        4: VALID_CITIZEN,
        5: {"officer": str(officer.pk), "visit_date": "۱۴۰۵/۰۹/۰۳", "visit_description": "آزادی"},
    }[number]
    for field in STEP_FIELDS[number]:
        for value in (f"{base[field]}{NUL}", TEXT["control_chars"], TEXT["bidi_override"]):
            # Every other field carries the citizen's real data.
            response = client.post(step(number), {"action": "next", **VALID_CITIZEN, **base, field: value})
            assert response.status_code < 500, (field, value)
    client.get(BASE)
    assert_clean(emitted_log.getvalue())


def test_a_database_error_keeps_the_values_out_of_the_log():
    """PostgreSQL's errors quote the statement and the data (LINE, DETAIL, CONTEXT):
    should one ever reach the log, those lines are hidden."""
    text = (
        "django.db.utils.DataError: unsupported Unicode escape sequence\n"
        'LINE 1: UPDATE "intake_draft" SET "data" =  E\'{"4": {"national_code": "04993...\n'
        "                                            ^\n"
        "DETAIL:  \\u0000 cannot be converted to text.\n"
        'CONTEXT:  JSON data, line 1: ..."first_name": "\\u0639\\u0644\\u06cc\\u0000...\n'
    )
    masked = mask_personal_data(text)
    assert "DataError: unsupported Unicode escape sequence" in masked
    for secret in ("04993", "\\u0639", "national_code", "UPDATE"):
        assert secret not in masked
