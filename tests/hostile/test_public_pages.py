"""Hostile values in the public pages' parameters and forms: search, autocomplete
and the editors' form pages. Never a 5xx; a form page stores nothing it refused,
and only cleaned values when it accepts."""

import json
import re
from urllib.parse import quote

import pytest
from wagtail.contrib.forms.models import FormSubmission

from cms_pages.models import FormField, FormPage
from tests.hostile.payloads import NUL, RAW_FORM_VALUES, TEXT, raw_form_body

PERSIAN = re.compile(r"[\u0600-\u06FF]")
NUMBERS = {
    "huge_digits": "9" * 400,
    "superscript": "²",
    "fraction": "½",
    "persian_huge": "۹" * 40,
    "negative": "-5",
    "zero": "0",
    "float": "1.5",
    "exponent": "1e309",
}
SEARCH_VALUES = {**TEXT, **NUMBERS}


def get_raw(client, path, name, raw):
    return client.get(f"{path}?{name}={raw}")


@pytest.fixture
def search_world(home, service):
    return service


@pytest.mark.parametrize("param", ["query", "unit", "page"])
def test_search_parameters(client, search_world, param):
    failures = []
    for case, value in SEARCH_VALUES.items():
        response = client.get("/search/", {"query": "نظارت", param: value})
        if response.status_code >= 500:
            failures.append(f"{case}: {response.status_code}")
    for case, raw in RAW_FORM_VALUES.items():
        response = client.get(f"/search/?query=%D9%86&{param}={raw}")
        if response.status_code >= 500:
            failures.append(f"{case}: {response.status_code}")
    assert not failures, failures


@pytest.mark.parametrize("param", ["query", "kind"])
def test_autocomplete_parameters(client, search_world, param):
    failures = []
    for case, value in SEARCH_VALUES.items():
        response = client.get("/search/autocomplete/", {"query": "نظ", param: value})
        if response.status_code >= 500:
            failures.append(f"{case}: {response.status_code}")
            continue
        body = json.loads(response.content)
        if NUL in json.dumps(body, ensure_ascii=False) or NUL in body["query"]:
            failures.append(f"{case}: NUL echoed")
    for case, raw in RAW_FORM_VALUES.items():
        if get_raw(client, "/search/autocomplete/", param, raw).status_code >= 500:
            failures.append(f"{case}: 5xx")
    assert not failures, failures


def test_a_unit_number_too_big_for_the_database_finds_nothing(client, search_world):
    response = client.get("/search/", {"query": "نظارت", "unit": "9" * 40})
    assert response.status_code == 200


# Form pages -------------------------------------------------------------------

FORM_FIELDS = [
    ("نام", "singleline", ""),
    ("شرح", "multiline", ""),
    ("ایمیل", "email", ""),
    ("تعداد", "number", ""),
    ("نشانی وب", "url", ""),
    ("تاریخ", "date", ""),
    ("زمان", "datetime", ""),
    ("گزینه", "dropdown", "الف\nب"),
    ("چند گزینه", "checkboxes", "الف\nب"),
    ("یکی", "radio", "الف\nب"),
]


@pytest.fixture
def form_page(home):
    page = FormPage(title="فرم درخواست نقشه", slug="map-request")
    home.add_child(instance=page)
    for order, (label, kind, choices) in enumerate(FORM_FIELDS):
        FormField.objects.create(
            page=page, sort_order=order, label=label, field_type=kind, required=False, choices=choices
        )
    page.save_revision().publish()
    return page


def form_names(page):
    return {field.clean_name: field.field_type for field in page.get_form_fields()}


def test_hostile_values_in_every_form_page_field(client, form_page):
    url = form_page.url
    names = form_names(form_page)
    failures = []
    for name, kind in names.items():
        cases = [(case, value, None) for case, value in TEXT.items()]
        cases += [(case, None, raw) for case, raw in RAW_FORM_VALUES.items()]
        for case, value, raw in cases:
            before = FormSubmission.objects.count()
            if raw is None:
                response = client.post(url, {name: value})
            else:
                response = client.post(
                    url, raw_form_body({}, name, raw), content_type="application/x-www-form-urlencoded"
                )
            label = f"{kind}/{case}"
            if response.status_code >= 500:
                failures.append(f"{label}: {response.status_code}")
                continue
            stored = (
                FormSubmission.objects.order_by("-pk").first()
                if FormSubmission.objects.count() > before
                else None
            )
            form = response.context.get("form") if response.context else None
            refused = form is not None and form.is_bound and name in form.errors
            if refused:
                if stored is not None:
                    failures.append(f"{label}: a refused value was stored")
                english = [str(e) for e in form.errors[name] if not PERSIAN.search(str(e))]
                if english:
                    failures.append(f"{label}: English message {english}")
            if stored is not None:
                text = json.dumps(stored.form_data, ensure_ascii=False)
                if NUL in text or "\\u0000" in text:
                    failures.append(f"{label}: NUL stored")
                if len(text) > 20_000:
                    failures.append(f"{label}: {len(text)} characters stored")
    assert not failures, "\n".join(failures)


def test_a_form_page_refuses_a_nul_in_persian_and_stores_nothing(client, form_page):
    name = next(name for name, kind in form_names(form_page).items() if kind == "singleline")
    response = client.post(form_page.url, {name: f"علی{NUL}"})
    assert response.status_code == 200
    assert not FormSubmission.objects.exists()
    errors = response.context["form"].errors
    assert errors and all(PERSIAN.search(str(e)) for field in errors.values() for e in field), errors


def test_a_percent_encoded_query_string_with_a_lone_surrogate(client, search_world):
    assert client.get("/search/?query=" + quote("نظارت") + "%ED%A0%80").status_code < 500
