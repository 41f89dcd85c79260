"""The backend stores and queries the normalised search key, on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.test import override_settings
from modelsearch.conf import get_app_config
from wagtail.search.backends import get_search_backend

from search.backends.query import build_query
from services.models import ServicePage
from tests.factories import ServicePageFactory

pytestmark = pytest.mark.django_db


def test_default_backend_is_the_persian_database_backend():
    backend = get_search_backend()
    assert type(backend).__module__ == "search.backends.database"
    assert connection.vendor in {"sqlite", "postgresql"}


def test_index_holds_the_normalised_key(service_index):
    page = ServicePageFactory(parent=service_index, title="كارت ملي\u200cی ۱۴۰۳", summary="مُحَمَّد")
    IndexEntry = get_app_config().get_model("IndexEntry")
    entry = IndexEntry.objects.get(object_id=str(page.pk), content_type__model="servicepage")
    if connection.vendor == "sqlite":
        assert entry.title == "کارت ملی ی ملیی 1403"
        assert "محمد" in entry.body
        assert "کارت ملی ی ملیی 1403" in entry.autocomplete
    else:
        assert entry.title_text == "کارت ملی ی ملیی 1403"
        assert "محمد" in entry.body_text
        assert "'ملی'" in str(entry.title)  # the tsvector is built from the same key


def test_query_tree():
    assert repr(build_query("كارت ملي")) == "<And <Prefix 'کارت'> <Prefix 'ملی'>>"
    # A word's forms are alternatives; forms shorter than three letters match whole words only.
    assert (
        repr(build_query("آب\u200cها", operator="or"))
        == "<Or <Prefix 'ابها'> <PlainText 'اب' operator='and' boost=1>>"
    )
    assert (
        repr(build_query("a b", operator="or"))
        == "<Or <PlainText 'a' operator='and' boost=1> <PlainText 'b' operator='and' boost=1>>"
    )
    assert build_query("«»؟") is None


def test_search_of_only_punctuation_finds_nothing(service_index):
    ServicePageFactory(parent=service_index, title="صدور کارت ملی")
    assert list(ServicePage.objects.search("؟!")) == []


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="simple configuration and fuzzy retry are PostgreSQL's"
)
def test_postgres_uses_simple_configuration_and_fuzzy_retry(client, service_index):
    from search import services

    assert get_search_backend().config == "simple"
    ServicePageFactory(parent=service_index, title="نظارت و ارزیابی عملکرد شهرداریها")
    # "شهردارریها" (a typo) matches no word; the trigram retry finds it.
    titles = [page.title for page in services.search_pages("شهردارریها")]
    assert titles == ["نظارت و ارزیابی عملکرد شهرداریها"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm')")
        assert {row[0] for row in cursor.fetchall()} == {"unaccent", "pg_trgm"}


@override_settings(WAGTAILSEARCH_BACKENDS={"default": {"BACKEND": "search.backends.database"}})
def test_plain_english_still_works(service_index):
    ServicePageFactory(parent=service_index, title="Passport renewal")
    assert [p.title for p in ServicePage.objects.search("PASSPORT")] == ["Passport renewal"]
