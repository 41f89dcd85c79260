"""Wagtail's database search backend, made to understand Persian.

Indexed text is normalised by the search fields themselves (`search.fields`, applied to
every indexed model when the search app is ready); query strings are rebuilt by
`build_query` from the same normalisation, in the backend's public `search()` and
`autocomplete()`. On PostgreSQL the text-search configuration is `simple` (no English
stemming) and the unaccent/pg_trgm extensions (search migration 0001) back Wagtail's
`Fuzzy` query; on SQLite, FTS5 indexes the same normalised text. Other databases get
Wagtail's plain fallback backend.
"""

import functools

from django.db import connection
from modelsearch.backends.database import SearchBackend as default_database_backend
from modelsearch.query import SearchQuery

from .query import Prefix, build_query


def persian_query(query, operator=None):
    """A citizen's string as a query tree of its normalised words ("" when nothing
    searchable is left: the backend then finds nothing); query objects pass through."""
    if isinstance(query, SearchQuery):
        return query
    return build_query(query, operator) or ""


class PersianQueryMixin:
    """search() and autocomplete() take a string and search its normalised words."""

    def search(self, query, model_or_queryset, **kwargs):
        query = persian_query(query, kwargs.get("operator"))
        return super().search(query, model_or_queryset, **kwargs)

    def autocomplete(self, query, model_or_queryset, **kwargs):
        query = persian_query(query, kwargs.get("operator"))
        return super().autocomplete(query, model_or_queryset, **kwargs)


def _sqlite_backend():
    from modelsearch.backends.database.sqlite import sqlite
    from modelsearch.backends.database.sqlite.query import Lexeme, SearchQueryExpression

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
        query_compiler_class = QueryCompiler
        autocomplete_query_compiler_class = AutocompleteQueryCompiler

    return Backend


def _postgres_backend():
    from django.contrib.postgres.search import SearchQuery as TSQuery
    from modelsearch.backends.database.postgres import postgres
    from modelsearch.backends.database.postgres.query import Lexeme

    class PrefixMixin:
        def build_tsquery_content(self, query, config=None, invert=False):
            if isinstance(query, Prefix):
                lexeme = Lexeme(query.query_string, invert=invert, prefix=True)
                return TSQuery(lexeme, search_type="raw", config=config)
            return super().build_tsquery_content(query, config=config, invert=invert)

    class QueryCompiler(PrefixMixin, postgres.PostgresSearchQueryCompiler):
        pass

    class AutocompleteQueryCompiler(PrefixMixin, postgres.PostgresAutocompleteQueryCompiler):
        pass

    class Backend(PersianQueryMixin, postgres.PostgresSearchBackend):
        query_compiler_class = QueryCompiler
        autocomplete_query_compiler_class = AutocompleteQueryCompiler
        supports_fuzzy = True  # the typo retry (search.services.search_pages)

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
