"""The public page cache: whole pages as an anonymous visitor gets them, kept in
Django's cache (Redis with REDIS_URL) under the content version.

Built only on Django's cache API, the way Django's own per-site cache works, with the
rules a public service needs:

- Only pages Wagtail's page view serves, for a GET or HEAD without a session cookie,
  a messages cookie or an Authorization header (nobody signed in, no wizard or
  follow-up under way, no message waiting), not a preview.
- Stored only when the response is a plain 200 that is the same for everyone: no
  cookie set, no CSRF token used (every form that posts), no CSP nonce used, nothing
  written to the session, and `Cache-Control` without `private`, `no-cache` or
  `no-store` (the wizard, the receipt and the tracking pages say no-store).
- The key holds the content version (`portal.content_version`), read in the same
  round trip as the page: a publish, or any edit of public content, shows at once in
  every process; nothing has to be deleted.
- Stored and served pages carry `Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE`
  (60 s by default), so nginx or a CDN in front may keep them briefly too; the pages
  that must never be kept say no-store themselves.

PAGE_CACHE_SECONDS bounds how long an entry lives in Django's cache (0 turns the cache
off). Ground floor: imports nothing of ours but the content version.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from wagtail.views import serve

from . import content_version

HEADER = "X-Page-Cache"
PERSONAL_CACHE_CONTROL = ("private", "no-cache", "no-store")

logger = logging.getLogger(__name__)


def cache_seconds():
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0))


def public_max_age():
    return int(getattr(settings, "PAGE_CACHE_MAX_AGE", 60))


def page_key(request):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", "")
    return f"page:{request.get_host()}:{language}:{request.method == 'HEAD'}:{path}"


class PageCacheMiddleware:
    """Serves and stores anonymous Wagtail pages (see the module docstring). Sits after
    the session, locale and CSRF middleware, before the message middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "page_cache_key", None)
        if key is not None and response.get(HEADER) != "hit" and self.storable(request, response):
            self.mark_public(response)
            entry = (request.content_version, response.content, response["Content-Type"])
            try:
                cache.set(key, entry, cache_seconds())
            except Exception:
                logger.exception("page cache: the page could not be stored")
            response[HEADER] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not serve or not self.cacheable_request(request):
            return None
        key = page_key(request)
        try:
            found = cache.get_many([content_version.KEY, key])
        except Exception:
            logger.exception("page cache: the cache could not be read")
            return None
        version = found.get(content_version.KEY)
        entry = found.get(key)
        if version is not None and entry is not None and entry[0] == version:
            return self.cached_response(entry)
        if version is None:
            version = content_version.for_request(request)
            if version is None:
                return None
        request.content_version = version
        request.page_cache_key = key
        return None

    def cacheable_request(self, request):
        """A GET or HEAD by a visitor with no session and no waiting message."""
        if cache_seconds() <= 0 or request.method not in ("GET", "HEAD"):
            return False
        if getattr(request, "is_preview", False) or "HTTP_AUTHORIZATION" in request.META:
            return False
        cookies = request.COOKIES
        messages_cookie = getattr(settings, "MESSAGE_COOKIE_NAME", "messages")
        return not cookies.get(settings.SESSION_COOKIE_NAME) and not cookies.get(messages_cookie)

    def storable(self, request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if getattr(request, "is_preview", False) or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        if getattr(request, "csp_nonce", None):  # django-csp: true once the nonce was used
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in PERSONAL_CACHE_CONTROL):
            return False
        return not response.has_header("Set-Cookie") and "cookie" not in response.get("Vary", "").lower()

    def mark_public(self, response):
        patch_cache_control(response, public=True, max_age=public_max_age())

    def cached_response(self, entry):
        _version, content, content_type = entry
        response = HttpResponse(content, content_type=content_type)
        self.mark_public(response)
        response[HEADER] = "hit"
        return response
