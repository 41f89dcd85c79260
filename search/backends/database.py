"""Wagtail's database search backend, made to understand Persian.

Indexed text goes through `search_key` (the ObjectIndexer's prepare_value), and
query strings are rebuilt by `build_query` from the same normalisation. On
PostgreSQL the text-search configuration is `simple` (no English stemming) and
the unaccent/pg_trgm extensions (search migration 0001) back Wagtail's `Fuzzy`
query; on SQLite, FTS5 indexes the same normalised text. Other databases get
Wagtail's plain fallback backend.
"""

import functools
import types

from django.db import connection
from modelsearch.backends.database import SearchBackend as default_database_backend
from modelsearch.query import SearchQuery

from portal.persian import search_key

from .query import Prefix, build_query


class NormalisingIndexerMixin:
    def prepare_value(self, value):
        return search_key(super().prepare_value(value))


def with_indexer(add_items, indexer_class):
    """modelsearch's own `add_items`, building its rows with `indexer_class`.

    `add_items` looks `ObjectIndexer` up in its module's globals; this copy of the
    function (same code, same SQL) looks it up where it names ours. A test checks
    that the stored index text is normalised, so a rename upstream is caught."""
    namespace = {**add_items.__globals__, "ObjectIndexer": indexer_class}
    function = types.FunctionType(
        add_items.__code__, namespace, add_items.__name__, add_items.__defaults__, add_items.__closure__
    )
    return functools.update_wrapper(function, add_items)


class PersianQueryMixin:
    """search() and autocomplete() take a string and search its normalised words."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if not isinstance(query, SearchQuery):
            query = build_query(query, kwargs.get("operator")) or ""
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


def _sqlite_backend():
    from modelsearch.backends.database.sqlite import sqlite
    from modelsearch.backends.database.sqlite.query import Lexeme, SearchQueryExpression

    class Indexer(NormalisingIndexerMixin, sqlite.ObjectIndexer):
        pass

    class Index(sqlite.SQLiteIndex):
        add_items = with_indexer(sqlite.SQLiteIndex.add_items, Indexer)

    class PrefixMixin:
        def build_search_query_content(self, query, config=None):
            if isinstance(query, Prefix):
                return SearchQueryExpression(Lexeme(query.query_string, prefix=True), config=config)
            return super().build_search_query_content(query, config=config)

    class QueryCompiler(PrefixMixin, sqlite.SQLiteSearchQueryCompiler):
        pass

    class AutocompleteQueryCompiler(PrefixMixin, sqlite.SQLiteAutocompleteQueryCompiler):
        pass

    class Backend(PersianQueryMixin, sqlite.SQLiteSearchBackend):
        index_class = Index
        query_compiler_class = QueryCompiler
        autocomplete_query_compiler_class = AutocompleteQueryCompiler

    return Backend


def _postgres_backend():
    from django.contrib.postgres.search import SearchQuery as TSQuery
    from django.contrib.postgres.search import TrigramWordSimilarity
    from django.db.models import F, TextField, Value
    from modelsearch.backends.database.postgres import postgres
    from modelsearch.backends.database.postgres.query import Lexeme

    class Indexer(NormalisingIndexerMixin, postgres.ObjectIndexer):
        pass

    class Index(postgres.PostgresIndex):
        add_items = with_indexer(postgres.PostgresIndex.add_items, Indexer)

    class PrefixMixin:
        def build_tsquery_content(self, query, config=None, invert=False):
            if isinstance(query, Prefix):
                lexeme = Lexeme(query.query_string, invert=invert, prefix=True)
                return TSQuery(lexeme, search_type="raw", config=config)
            return super().build_tsquery_content(query, config=config, invert=invert)

    class QueryCompiler(PrefixMixin, postgres.PostgresSearchQueryCompiler):
        def _build_fuzzy_queryset(self, config, backend):
            """The typo retry compares the query with titles only: body texts are long,
            and comparing every one cost ~0.3-0.45 s with 5,000 services (titles ~0.06 s)."""
            query = Value(self.query.query_string, output_field=TextField())
            title = F("index_entries__title_text")
            if getattr(self.query, "unaccent", False):
                query, title = postgres.FUnaccent(query), postgres.FUnaccent(title)
            queryset = self.queryset.annotate(_fuzzy_similarity=TrigramWordSimilarity(query, title)).filter(
                _fuzzy_similarity__gte=backend.fuzzy_similarity_threshold
            )
            return queryset, F("_fuzzy_similarity")

    class AutocompleteQueryCompiler(PrefixMixin, postgres.PostgresAutocompleteQueryCompiler):
        pass

    class Backend(PersianQueryMixin, postgres.PostgresSearchBackend):
        index_class = Index
        query_compiler_class = QueryCompiler
        autocomplete_query_compiler_class = AutocompleteQueryCompiler
        supports_fuzzy = True

        def __init__(self, params):
            params = {"SEARCH_CONFIG": "simple", **params}
            super().__init__(params)

    return Backend


@functools.cache
def backend_class(vendor):
    if vendor == "postgresql":
        return _postgres_backend()
    if vendor == "sqlite":
        from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists

        if fts5_available() and fts_table_exists():
            return _sqlite_backend()
    return None


def SearchBackend(params):  # noqa: N802 (modelsearch looks this name up)
    """The backend for the default database's vendor, like Wagtail's own factory."""
    cls = backend_class(connection.vendor)
    if cls is None:
        return default_database_backend(params)
    return cls(params)
