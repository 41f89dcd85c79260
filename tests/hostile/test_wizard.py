"""Hostile values in every field of every wizard step: never a 5xx, never a refused
value in the draft, only bounded and cleaned data stored, Persian messages only.

One test per (step, field) sends every case of the corpus in turn to the same
draft and collects what went wrong, so a failure lists every bad case at once."""

import json
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.models import Draft, ServiceRequest
from tests.hostile.payloads import NUL, RAW_FORM_VALUES, TEXT, raw_form_body
from tests.intake.conftest import VALID_CITIZEN
from tests.intake.helpers import BASE, fill_to_review, step

PERSIAN = re.compile(r"[\u0600-\u06FF]")
# No stored string may be longer than the longest field (request text, 2000).
LONGEST_FIELD = 2000


def valid_values(service, officer):
    return {
        0: {
            "unit": str(service.unit_id),
            "service": service.service_id,
            "service_id": service.service_id,
            "agree": "on",
        },
        2: {
            "action": "next",
            "unit": str(service.unit_id),
            "service": service.service_id,
            "service_id": service.service_id,
            "request_text": "درخواست بررسی عملکرد دهیاری روستای ۱۲ را دارم.",
        },
        4: {"action": "next", **VALID_CITIZEN},
        5: {
            "action": "next",
            "officer": str(officer.pk),
            "visit_date": "۱۴۰۵/۰۹/۰۳",
            "previous_visit_result": "",
            "visit_description": "مراجعه حضوری در روز ۳ آذر",
        },
    }


FIELDS = [
    (0, "unit"),
    (0, "service"),
    (0, "service_id"),
    (0, "agree"),
    (0, "action"),
    (2, "unit"),
    (2, "service"),
    (2, "service_id"),
    (2, "request_text"),
    (2, "action"),
    (4, "national_code"),
    (4, "first_name"),
    (4, "last_name"),
    (4, "mobile"),
    (4, "landline"),
    (4, "email"),
    (4, "address"),
    (4, "action"),
    (5, "officer"),
    (5, "visit_date"),
    (5, "previous_visit_result"),
    (5, "visit_description"),
    (5, "action"),
    (6, "action"),
]


def url_of(number):
    return BASE if number == 0 else step(number)


def bad_characters(text):
    """Control characters (other than newline and tab), lone surrogates, NUL."""
    return [
        ch for ch in text if (unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\n\t") or ch == "\ufffe"
    ]


def stored_problems(draft):
    problems = []
    for key, values in draft.data.items():
        if not isinstance(values, dict):
            continue
        for name, value in values.items():
            if not isinstance(value, str):
                continue
            if bad_characters(value):
                problems.append(f"{key}.{name} holds control characters")
            if len(value) > LONGEST_FIELD:
                problems.append(f"{key}.{name} holds {len(value)} characters")
    if len(json.dumps(draft.data)) > 20_000:
        problems.append("the draft grew past its bound")
    return problems


def english_errors(form):
    return [str(e) for errors in form.errors.values() for e in errors if not PERSIAN.search(str(e))]


def send(client, number, data, field, case, raw=None):
    if raw is not None:
        body = raw_form_body(data, field, raw)
        return client.post(url_of(number), body, content_type="application/x-www-form-urlencoded")
    return client.post(url_of(number), {**data, field: case})


@pytest.mark.parametrize(("number", "field"), FIELDS, ids=[f"step{n}-{f}" for n, f in FIELDS])
def test_hostile_values_in_every_wizard_field(client, intake_page, service, officer, number, field):
    fill_to_review(client, service, officer)
    draft = Draft.objects.get()
    valid = valid_values(service, officer).get(number, {"action": "next"})
    failures = []
    cases = [(name, value, None) for name, value in TEXT.items()]
    cases += [(name, None, raw) for name, raw in RAW_FORM_VALUES.items()]
    for name, value, raw in cases:
        response = send(client, number, valid, field, value, raw)
        if response.status_code >= 500:
            failures.append(f"{name}: {response.status_code}")
            continue
        draft.refresh_from_db()
        failures += [f"{name}: {problem}" for problem in stored_problems(draft)]
        form = response.context.get("form") if response.status_code == 200 and response.context else None
        if form is not None and form.is_bound:
            if field in form.errors and field in draft.data.get(str(number), {}):
                failures.append(f"{name}: the refused {field} was stored")
            failures += [f"{name}: English message {message!r}" for message in english_errors(form)]
        # Nothing submitted from a step that is not the review.
        if number != 6 and ServiceRequest.objects.exists():
            failures.append(f"{name}: a request was written")
    assert not failures, "\n".join(failures)


def test_a_refused_value_never_reaches_the_draft(client, intake_page, service, officer):
    fill_to_review(client, service, officer)
    data = valid_values(service, officer)[2]
    response = client.post(step(2), {**data, "request_text": "b" * (2 * 1024 * 1024)})
    assert response.status_code == 200
    assert "request_text" in response.context["form"].errors
    draft = Draft.objects.get()
    assert "request_text" not in draft.data["2"]
    assert len(json.dumps(draft.data)) < 5_000
    assert 2 not in draft.completed


def test_nul_in_a_citizen_field_is_refused_in_persian_and_not_stored(client, intake_page, service, officer):
    fill_to_review(client, service, officer)
    response = client.post(step(4), {"action": "next", **VALID_CITIZEN, "first_name": f"علی{NUL}"})
    assert response.status_code == 200
    errors = response.context["form"].errors["first_name"]
    assert all(PERSIAN.search(str(e)) for e in errors), errors
    stored = Draft.objects.get().data["4"]
    assert "first_name" not in stored
    # The fields that did validate are kept, cleaned.
    assert stored["national_code"] == "0499370899"


@pytest.mark.parametrize(
    "text", [TEXT["zwnj_only"], TEXT["rlm_only"], TEXT["invisible_mix"], "ا" + " " * 30 + "ب"]
)
def test_request_text_of_invisible_characters_is_too_short(client, intake_page, service, officer, text):
    fill_to_review(client, service, officer)
    data = valid_values(service, officer)[2]
    response = client.post(step(2), {**data, "request_text": text})
    assert response.status_code == 200
    assert response.context["form"].errors["request_text"] == ["متن درخواست دست‌کم ۱۰ نویسه باشد."]


@pytest.mark.parametrize("name", [TEXT["zwnj_only"], "\u200c \u200c"])
def test_a_name_of_invisible_characters_is_refused(client, intake_page, service, officer, name):
    fill_to_review(client, service, officer)
    response = client.post(step(4), {"action": "next", **VALID_CITIZEN, "last_name": name})
    assert response.status_code == 200
    assert "last_name" in response.context["form"].errors


def test_free_text_keeps_words_and_drops_control_characters(client, intake_page, service, officer):
    fill_to_review(client, service, officer)
    data = valid_values(service, officer)[2]
    typed = "درخواست\x01 بررسی\x1b[31m می‌خواهم\u2060 لطفاً\nپیگیری کنید"
    response = client.post(step(2), {**data, "request_text": typed})
    assert response.status_code == 302
    stored = Draft.objects.get().data["2"]["request_text"]
    assert stored == "درخواست بررسی[31m می‌خواهم لطفاً\nپیگیری کنید"


# Where a table is not enough: any text at all in every free field of steps 2, 4, 5.
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
SHAPED = st.one_of(
    ANY_TEXT,
    st.from_regex(r"\A[0-9۰-۹٠-٩ +\-]{0,20}\Z"),
    st.builds(lambda a, b: a + NUL + b, ANY_TEXT, ANY_TEXT),
)
FREE_FIELDS = {
    2: ["request_text", "service_id"],
    4: ["national_code", "first_name", "last_name", "mobile", "landline", "email", "address"],
    5: ["visit_date", "visit_description", "previous_visit_result", "officer"],
}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_text_in_any_free_field(client, intake_page, service, officer, data):
    if not Draft.objects.exists():
        fill_to_review(client, service, officer)
    number = data.draw(st.sampled_from(sorted(FREE_FIELDS)), label="step")
    typed = {field: data.draw(SHAPED, label=field) for field in FREE_FIELDS[number]}
    response = client.post(step(number), {**valid_values(service, officer)[number], **typed})
    assert response.status_code < 500
    draft = Draft.objects.get()
    assert not stored_problems(draft)
    form = response.context["form"] if response.status_code == 200 else None
    if form is not None:
        for field in form.errors:
            assert field not in draft.data.get(str(number), {})
        assert not english_errors(form)
