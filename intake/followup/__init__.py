"""Follow-up: the citizen's pages under /track/ (forms, views, urls, queries)."""
