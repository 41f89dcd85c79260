"""What search keeps between requests, and how it is kept current: the content generation.

The generation is a token that changes after every change to public content (pages,
sites, locales, view restrictions, units, site settings, the dashboard menu: see
`search.apps`). It has two parts:

- the value of the single `search.models.Generation` row, bumped once per committed
  transaction that changed content. Every process reads it (one primary-key query)
  once per search request, so a publish in any worker, the admin or a management
  command reaches every gunicorn worker at once, without a shared cache;
- a per-process counter bumped immediately by the signal, so the process (and a test
  inside one transaction) sees its own change before the commit.

The public page cache keeps its own copy of the token in the shared cache when there is
one (`portal.cache.bump_shared_generation`, called here at once and after the commit),
so a cached page is served without any database query.

Two things are keyed by the token:

- `remembered(token, key, build)`: values kept in this process's memory (the
  autocomplete index, the unit list, the links of the empty state, the request's site),
  built at most once per generation and dropped as soon as the token changes;
- `cached_for_anonymous`: anonymous search and autocomplete responses in Django's cache
  for SEARCH_CACHE_SECONDS (default 60; 0 turns that cache off).
"""

import functools
import hashlib
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpResponse

from portal.cache import bump_shared_generation, forget_remembered, remembered

__all__ = ["cached_for_anonymous", "generation", "invalidate", "remembered"]

_lock = threading.Lock()
_local = {"counter": 0}


def _stored_generation():
    from .models import Generation

    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(f"SELECT value FROM {Generation._meta.db_table} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else 0


def generation(request=None):
    """The current content generation (read once per request when one is given)."""
    if request is not None:
        token = getattr(request, "_search_generation", None)
        if token is None:
            token = request._search_generation = generation()
        return token
    return f"{_stored_generation()}.{_local['counter']}"


def _bump_stored_generation():
    from django.db.models import F

    from .models import Generation

    if not Generation.objects.filter(pk=1).update(value=F("value") + 1):
        Generation.objects.get_or_create(pk=1, defaults={"value": 1})
    bump_shared_generation()


def _bump_pending(connection):
    return any(func is _bump_stored_generation for _sids, func, *_rest in connection.run_on_commit)


def invalidate(sender=None, using=None, **kwargs):
    """Signal receiver: a piece of public content changed; everything keyed by the
    generation is dropped in this process now and in every process after the commit."""
    with _lock:
        _local["counter"] += 1
    forget_remembered()
    bump_shared_generation()  # the page cache's token, at once and again after the commit
    alias = DEFAULT_DB_ALIAS
    connection = transaction.get_connection(alias)
    if connection.in_atomic_block and _bump_pending(connection):
        return  # one bump per transaction is enough
    transaction.on_commit(_bump_stored_generation, using=alias)


def invalidate_unless_created(sender=None, created=False, **kwargs):
    if not created:
        invalidate(sender=sender, **kwargs)


def index_task_finished(sender=None, task_result=None, **kwargs):
    """django-tasks signal receiver: a background task of the search index (modelsearch's
    re-index of a saved page, run later by `manage.py db_worker` in production) has
    finished, so the index rows search reads from memory changed after the page's own
    signal: drop what is kept, in every process."""
    func = getattr(getattr(task_result, "task", None), "func", None)
    if getattr(func, "__module__", "").startswith("modelsearch"):
        invalidate()


def cache_seconds():
    return int(getattr(settings, "SEARCH_CACHE_SECONDS", 60))


def cached_for_anonymous(view):
    """Serve a view's 200 responses from the cache for visitors who are not signed in
    (editors see the userbar and fresh results)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = cache_seconds()
        if seconds <= 0 or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"search:response:{generation(request)}:{request.LANGUAGE_CODE}:{path}"
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code == 200:
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    return wrapper
