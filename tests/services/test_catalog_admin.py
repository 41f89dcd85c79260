"""Editors: units and officers in the Persian admin (filters, search, export), translations."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Locale

from services.models import Officer, ServicePage
from tests.factories import OfficerFactory, OrgUnitFactory, ServicePageFactory


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_superuser("editor", "editor@example.invalid", "pass")
    client.force_login(user)
    return client


def test_officer_listing_filters_searches_and_exports(editor_client):
    rural = OrgUnitFactory(name="دفتر توسعه روستایی")
    stats = OrgUnitFactory(name="دفتر آمار")
    OfficerFactory(full_name="ابوالفضل یاری", position="ریاست سازمان", unit=rural)
    OfficerFactory(full_name="نرگس جعفری", position="کارشناس آمار", unit=stats, active=False)
    url = "/admin/snippets/services/officer/"

    listing = editor_client.get(url)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "ابوالفضل یاری" in html and "نرگس جعفری" in html
    assert 'lang="fa"' in html and 'dir="rtl"' in html  # the admin speaks Persian

    filtered = editor_client.get(url, {"unit": rural.pk}).content.decode()
    assert "ابوالفضل یاری" in filtered and "نرگس جعفری" not in filtered
    searched = editor_client.get(url, {"q": "جعفری"}).content.decode()
    assert "نرگس جعفری" in searched and "ابوالفضل یاری" not in searched

    export = editor_client.get(url, {"export": "csv"})
    assert export.status_code == 200
    rows = b"".join(export.streaming_content).decode("utf-8")
    assert "ابوالفضل یاری" in rows and "ریاست سازمان" in rows
    xlsx = editor_client.get("/admin/snippets/services/orgunit/", {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"  # an Excel (zip) file


def test_editor_gets_persian_error_for_a_missing_officer_name(editor_client):
    unit = OrgUnitFactory()
    response = editor_client.post(
        "/admin/snippets/services/officer/add/", {"full_name": "", "position": "کارشناس", "unit": unit.pk}
    )
    assert response.status_code == 200
    assert "این فیلد لازم است" in response.content.decode()
    assert not Officer.objects.exists()


def test_services_and_snippets_translate_to_english(service_index):
    english = Locale.objects.create(language_code="en")
    unit = OrgUnitFactory(name="دفتر آمار")
    unit_en = unit.copy_for_translation(english)
    unit_en.name = "Statistics Office"
    unit_en.save()
    page = ServicePageFactory(parent=service_index, unit=unit, service_id="10012136000")
    translated = page.copy_for_translation(english, copy_parents=True)
    translated.full_clean()  # same service ID in another language is not a duplicate
    assert translated.service_id == "10012136000"
    assert ServicePage.objects.filter(service_id="10012136000").count() == 2
    assert unit.get_translation(english).name == "Statistics Office"
