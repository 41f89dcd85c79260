"""Caching of the public search responses, kept current by a generation token.

Anonymous search and autocomplete responses are cached for SEARCH_CACHE_SECONDS
(default 60; 0 turns caching off) under a key that includes a generation token.
Saving or deleting any page, unit or page view restriction (publish, unpublish,
move, privacy change) replaces the token, so every cached response is dropped at
once. With the default local-memory cache each gunicorn worker has its own token:
set REDIS_URL so that all workers share it; without it a worker that did not see
the change serves its cached responses for at most SEARCH_CACHE_SECONDS.
"""

import functools
import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

GENERATION_KEY = "search:generation"


def generation():
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(GENERATION_KEY, token, None)
        token = cache.get(GENERATION_KEY, token)
    return token


def invalidate(**kwargs):
    """Signal receiver: drop every cached search response."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


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
        key = f"search:response:{generation()}:{request.LANGUAGE_CODE}:{path}"
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
