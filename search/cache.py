"""The anonymous response cache of the search pages.

Search and autocomplete responses for visitors who are not signed in are kept in
Django's cache for SEARCH_CACHE_SECONDS (default 60; 0 turns it off), keyed by the
content version (portal.content_version), the language and the full path: a publish,
an unpublish or any other change to public content starts a new version, so no cached
answer outlives it. Signed-in users (editors) always get a fresh answer."""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from portal import content_version


def cache_seconds():
    return int(getattr(settings, "SEARCH_CACHE_SECONDS", 60))


def cached_for_anonymous(view):
    """Serve a view's 200 responses from the cache for visitors who are not signed in."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = cache_seconds()
        version = content_version.for_request(request)
        if seconds <= 0 or version is None or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"search:response:{version}:{request.LANGUAGE_CODE}:{path}"
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
