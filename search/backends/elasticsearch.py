"""Wagtail's Elasticsearch backend for the installed client's major version, with
index analysers that understand Persian.

Every analyser maps ZWNJ to a space, then lowercase, decimal_digit (Persian and
Arabic-Indic digits to ASCII), arabic_normalization, persian_normalization and
Persian stop words; the edge-n-gram analyser behind autocomplete gets the same
chain before its n-grams. Queries are folded by `search_key` before they leave,
as on the database backends.
"""

import copy
import functools
from importlib import import_module
from importlib.metadata import version

from modelsearch.query import SearchQuery
from modelsearch.utils import deep_update

from portal.persian import search_key

PERSIAN_FILTERS = [
    "lowercase",
    "decimal_digit",
    "arabic_normalization",
    "persian_normalization",
    "persian_stop",
]
PERSIAN_ANALYSIS = {
    "char_filter": {"zwnj_to_space": {"type": "mapping", "mappings": ["\\u200C=>\\u0020"]}},
    "filter": {"persian_stop": {"type": "stop", "stopwords": "_persian_"}},
    "analyzer": {
        "persian": {
            "type": "custom",
            "tokenizer": "standard",
            "char_filter": ["zwnj_to_space"],
            "filter": PERSIAN_FILTERS,
        },
        "ngram_analyzer": {
            "type": "custom",
            "tokenizer": "standard",
            "char_filter": ["zwnj_to_space"],
            "filter": [*PERSIAN_FILTERS, "ngram"],
        },
        "edgengram_analyzer": {
            "type": "custom",
            "tokenizer": "standard",
            "char_filter": ["zwnj_to_space"],
            "filter": [*PERSIAN_FILTERS, "edgengram"],
        },
    },
}
PERSIAN_ANALYSIS["analyzer"]["default"] = PERSIAN_ANALYSIS["analyzer"]["persian"]


def client_major_version():
    return int(version("elasticsearch").split(".")[0])


def persian_index_settings(base_settings):
    """Wagtail's index settings with the Persian analysers merged in."""
    return deep_update(copy.deepcopy(base_settings), {"settings": {"analysis": PERSIAN_ANALYSIS}})


@functools.cache
def backend_class(major):
    base_module = import_module(f"modelsearch.backends.elasticsearch{major}")
    base = base_module.SearchBackend

    class Mapping(base.mapping_class):
        # Autocomplete queries are analysed with the same chain (not "standard").
        edgengram_analyzer_config = {"analyzer": "edgengram_analyzer", "search_analyzer": "persian"}

    class Backend(base):
        mapping_class = Mapping
        settings = persian_index_settings(base.settings)

        def search(self, query, model_or_queryset, **kwargs):
            if not isinstance(query, SearchQuery):
                query = search_key(query)
            return super().search(query, model_or_queryset, **kwargs)

        def autocomplete(self, query, model_or_queryset, **kwargs):
            if not isinstance(query, SearchQuery):
                query = search_key(query)
            return super().autocomplete(query, model_or_queryset, **kwargs)

    Backend.__name__ = Backend.__qualname__ = f"PersianElasticsearch{major}SearchBackend"
    return Backend


def SearchBackend(params):  # noqa: N802 (modelsearch looks this name up)
    return backend_class(client_major_version())(params)
