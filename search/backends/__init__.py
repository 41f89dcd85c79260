"""Search backends that understand Persian (configured in WAGTAILSEARCH_BACKENDS).

`search.backends.database` wraps Wagtail's database backends (SQLite FTS5,
PostgreSQL full text); `search.backends.elasticsearch` wraps Wagtail's
Elasticsearch backend for the installed client. Both index and query through
`portal.persian.search_key`, so Arabic keyboards, either digit script,
diacritics and ZWNJ all meet in one form.
"""
