"""Elasticsearch: the settings built here are checked always; the integration test
talks to a real cluster only when ELASTICSEARCH_URL is set."""

import importlib
import os
import uuid

import pytest
from django.test import override_settings
from wagtail.search.backends import get_search_backend

ES_URL = os.environ.get("ELASTICSEARCH_URL")
PERSIAN_CHAIN = [
    "lowercase",
    "decimal_digit",
    "arabic_normalization",
    "persian_normalization",
    "persian_stop",
]


def test_settings_choose_elasticsearch_only_when_url_is_set(monkeypatch):
    import portal.settings.base as base

    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    assert importlib.reload(base).WAGTAILSEARCH_BACKENDS == {
        "default": {"BACKEND": "search.backends.database"}
    }
    monkeypatch.setenv("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
    backends = importlib.reload(base).WAGTAILSEARCH_BACKENDS
    assert backends["default"]["BACKEND"] == "search.backends.elasticsearch"
    assert backends["default"]["URLS"] == ["http://127.0.0.1:9200"]
    monkeypatch.delenv("ELASTICSEARCH_URL")
    importlib.reload(base)


def test_backend_matches_the_installed_client_and_builds_persian_analysers():
    from importlib.metadata import version

    major = int(version("elasticsearch").split(".")[0])
    # Building the backend makes a client object but sends nothing.
    with override_settings(
        WAGTAILSEARCH_BACKENDS={
            "default": {"BACKEND": "search.backends.elasticsearch", "URLS": ["http://127.0.0.1:9"]}
        }
    ):
        backend = get_search_backend()
    assert type(backend).__name__ == f"PersianElasticsearch{major}SearchBackend"
    assert type(backend).__mro__[1].__module__ == f"modelsearch.backends.elasticsearch{major}"

    analysis = backend.settings["settings"]["analysis"]
    assert analysis["char_filter"]["zwnj_to_space"] == {"type": "mapping", "mappings": ["\\u200C=>\\u0020"]}
    assert analysis["filter"]["persian_stop"] == {"type": "stop", "stopwords": "_persian_"}
    for name in ("default", "persian"):
        assert analysis["analyzer"][name]["char_filter"] == ["zwnj_to_space"]
        assert analysis["analyzer"][name]["filter"] == PERSIAN_CHAIN
    for name, gram in (("edgengram_analyzer", "edgengram"), ("ngram_analyzer", "ngram")):
        assert analysis["analyzer"][name]["char_filter"] == ["zwnj_to_space"]
        assert analysis["analyzer"][name]["filter"] == [*PERSIAN_CHAIN, gram]
    # Wagtail's own n-gram filters are kept.
    assert analysis["filter"]["edgengram"]["type"] == "edge_ngram"
    assert backend.mapping_class.edgengram_analyzer_config["search_analyzer"] == "persian"


@pytest.mark.skipif(not ES_URL, reason="ELASTICSEARCH_URL is not set: no Elasticsearch to test against")
@pytest.mark.django_db
def test_elasticsearch_finds_persian_variants(service_index):
    from services.models import ServicePage
    from tests.factories import ServicePageFactory

    params = {"BACKEND": "search.backends.elasticsearch", "URLS": [ES_URL]}
    params["INDEX_PREFIX"] = f"test_{uuid.uuid4().hex[:8]}_"
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": params}):
        backend = get_search_backend()
        index = backend.get_index_for_model(ServicePage)
        try:
            ServicePageFactory(parent=service_index, title="صدور کارت ملی")
            ServicePageFactory(parent=service_index, title="تمدید گذرنامه\u200cی دانشجویی")
            ServicePageFactory(parent=service_index, title="گزارش سال ۱۴۰۳")
            from django.core.management import call_command

            call_command("update_index", stdout=open(os.devnull, "w"))  # noqa: SIM115
            index.refresh()
            live = ServicePage.objects.live()
            assert [p.title for p in backend.search("كارت ملي", live)] == ["صدور کارت ملی"]
            assert [p.title for p in backend.search("1403", live)] == ["گزارش سال ۱۴۰۳"]
            assert [p.title for p in backend.search("گذرنامه", live)] == ["تمدید گذرنامه\u200cی دانشجویی"]
            assert [p.title for p in backend.autocomplete("كار", live)] == ["صدور کارت ملی"]
        finally:
            for idx in backend.all_indexes():
                idx.delete()
