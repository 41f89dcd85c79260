"""The public page cache: whole Wagtail pages, as anonymous visitors see them,
kept in Django's cache (Redis when REDIS_URL is set, local memory otherwise).

A response is stored only when nothing about it can be personal:

- the request is a GET by a visitor who is not signed in, with no flash message
  waiting, served by Wagtail's page view (`wagtail.views.serve`), not a preview;
- the response is a plain 200 without cookies, without `Cache-Control: private`,
  `no-cache` or `no-store` (the wizard, the receipt and the tracking pages say
  no-store), and rendering it did not read the session, ask for a CSRF token (every
  page with a form that posts) or use the Content Security Policy nonce.

Every entry carries the content generation it was rendered for: a token that
changes whenever public content changes (pages published, unpublished, moved or
deleted, units, officers, site settings, the dashboard menu, view restrictions). An
entry of another generation is never served, so a publish shows at once in every
worker. Where the token comes from:

- PAGE_CACHE_SHARED (on when the cache is Redis, shared by every process): from the
  cache itself, key `pagecache:generation`, fetched in the same round trip as the
  page (`get_many`), so a hit costs one Redis call and no database query. The
  content signals set a new random token at once and again after the commit
  (`bump_shared_generation`, called by search.cache.invalidate); a token missing
  from the cache (evicted, flushed) is replaced by a new one, which only makes
  every entry a miss;
- otherwise (local memory, one cache per process): from the database, read once per
  request by the function PAGE_CACHE_GENERATION names (search.cache.generation), so
  this ground-floor module imports nothing of ours.

An address whose page answered `Cache-Control: no-store` (the wizard, the receipt, the
tracking pages) is remembered for the generation (`routes`): the next visits skip the
lookup, a round trip to the cache that could never hit.

PAGE_CACHE_SECONDS bounds how long an entry lives (0 turns the cache off), and so
how long a page could stay stale if the cache was unreachable at the very moment of
a publish.

PAGE_CACHE_PREPARE names a function (search.services.prepare_request) that puts the
site, the site settings and the dashboard menu's token on the request, read at most
once per generation per process. It runs before Wagtail's page view, whose routing
is then remembered per generation as well (`routes`), and, for the views of the
apps in PAGE_CACHE_PREPARE_APPS, when their page is rendered (the context processor
`prepared`): a POST that only redirects needs none of it.
"""

import copy
import functools
import hashlib
import logging
import secrets
import threading

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.module_loading import import_string

HEADER = "X-Page-Cache"
GENERATION_KEY = "pagecache:generation"
_PERSONAL_CACHE_CONTROL = ("private", "no-cache", "no-store")

logger = logging.getLogger(__name__)


def cache_seconds():
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0))


def shared_generation():
    """True when the generation is kept in the (shared) cache, see the module docstring."""
    return bool(getattr(settings, "PAGE_CACHE_SHARED", False))


def bump_shared_generation():
    """A new generation in the shared cache: every page stored so far becomes a miss.
    Never fails the change that called it: an unreachable cache is logged (its
    entries then live at most PAGE_CACHE_SECONDS)."""
    if not shared_generation():
        return
    try:
        cache.set(GENERATION_KEY, secrets.token_hex(8), None)
    except Exception:
        logger.exception("page cache: the new content generation could not be stored")


def _current_shared_generation(found):
    token = found.get(GENERATION_KEY)
    if token is None:  # evicted or flushed: start a new generation
        cache.add(GENERATION_KEY, secrets.token_hex(8), None)
        token = cache.get(GENERATION_KEY)
    return token


@functools.cache
def _imported(dotted):
    return import_string(dotted)


def _hook(name):
    dotted = getattr(settings, name, "")
    return _imported(dotted) if dotted else None


# Values the same for every visitor of a content generation, kept in this process's
# memory (search's indexes and lists, the follow-up page's workflow steps, …).
_remember_lock = threading.RLock()  # a build may read another remembered value
_memory = {}  # token -> {key: value}; at most MEMORY_GENERATIONS tokens kept
MEMORY_GENERATIONS = 2


def remembered(token, key, build):
    """`build()` computed at most once per generation in this process (per key);
    every time when there is no generation (`token` None)."""
    if token is None:
        return build()
    values = _memory.get(token)
    if values is not None and key in values:
        return values[key]
    with _remember_lock:
        values = _memory.get(token)
        if values is None:
            while len(_memory) >= MEMORY_GENERATIONS:
                _memory.pop(next(iter(_memory)))
            values = _memory[token] = {}
        if key in values:
            return values[key]
        value = values[key] = build()
        return value


def forget_remembered():
    """Drop every remembered value (public content changed in this process)."""
    with _remember_lock:
        _memory.clear()


def content_generation(request):
    """The request's content generation (PAGE_CACHE_GENERATION), or None without one."""
    generation = _hook("PAGE_CACHE_GENERATION")
    return generation(request) if generation is not None else None


def _page_path(view_args, view_kwargs):
    """The path argument of Wagtail's page view (positional in wagtail.urls)."""
    return view_args[0] if view_args else view_kwargs.get("path", "")


class RouteMemory:
    """Per process: (site, language, path) -> (page model, pk, path components the tree
    walk consumed, no view restriction), and the page objects themselves as read from
    the database, for the current generation only (any change to public content, a
    publish or a draft saved included, starts a new one)."""

    MAX_ENTRIES = 5000

    def __init__(self):
        self._lock = threading.Lock()
        self._token = None
        self._values = {}
        self._pages = {}

    def get(self, token, key):
        if token != self._token:
            return None
        return self._values.get(key)

    def put(self, token, key, value):
        with self._lock:
            if token != self._token or len(self._values) >= self.MAX_ENTRIES:
                self._token, self._values, self._pages = token, {}, {}
            self._values[key] = value

    def marked_token(self, key):
        """The generation `key` was put under when it is in this memory, else None:
        tells, without the request's own token, whether that token is worth fetching."""
        token = self._token
        return token if key in self._values else None

    def page(self, token, model, pk):
        """The page (a copy of it: each request may set attributes on its own) as read
        once in this generation, or None when it no longer exists."""
        page = self._pages.get(pk) if token == self._token else None
        if page is None:
            page = model.objects.filter(pk=pk).first()
            if page is None:
                return None
            with self._lock:
                if token == self._token and len(self._pages) < self.MAX_ENTRIES:
                    self._pages[pk] = page
        return copy.copy(page)


routes = RouteMemory()


class PublicPageCacheMiddleware:
    """Serves and stores anonymous Wagtail page responses (see the module docstring).

    Sits after the authentication and staff-session middleware and before the
    message middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def wagtail_serve(self):
        from wagtail.views import serve

        return serve

    @property
    def generation(self):
        return _hook("PAGE_CACHE_GENERATION")

    @property
    def prepare(self):
        return _hook("PAGE_CACHE_PREPARE")

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key is not None and not getattr(response, "_from_page_cache", False):
            self._remember_no_store(request, response)
            session = getattr(request, "session", None)
            view_read_session = getattr(session, "accessed", False)
            if session is not None:  # Vary: Cookie as before for the session middleware
                session.accessed = view_read_session or getattr(
                    request, "_page_cache_session_accessed", False
                )
            if not view_read_session and self._storable(request, response):
                entry = (request._page_cache_token, response.content, response["Content-Type"])
                cache.set(key, entry, cache_seconds())
                response[HEADER] = "miss"
        return response

    def _excluded_path(self, request):
        prefixes = getattr(settings, "STAFF_PROTECTED_PATH_PREFIXES", ("/admin/", "/django-admin/"))
        return request.path_info.startswith(tuple(prefixes))

    def process_view(self, request, view_func, view_args, view_kwargs):
        if self._excluded_path(request):
            return None
        is_page = view_func is self.wagtail_serve
        if is_page and not self._said_no_store(request) and self._cacheable_request(request):
            cached = self._lookup(request)
            if cached is not None:
                return cached
        prepare = self.prepare
        if prepare is None:
            return None
        if not is_page:
            if self._renders_citizen_page(view_func):
                request._page_cache_prepare = prepare  # run by `prepared` if a page renders
            return None
        prepare(request)
        generation = self.generation
        if generation is None:
            return None
        return self._serve_remembered_route(request, _page_path(view_args, view_kwargs), generation(request))

    @staticmethod
    def _no_store_key(request):
        return ("no-store", request.get_host(), request.path_info)

    def _remember_no_store(self, request, response):
        """A page that answered `Cache-Control: no-store` (the wizard, the receipt, the
        tracking pages) is never stored: remembered for the generation, so the next
        visits to its address skip the cache lookup (a round trip to Redis)."""
        generation = self.generation
        if generation is not None and "no-store" in response.get("Cache-Control", "").lower():
            routes.put(generation(request), self._no_store_key(request), True)

    def _said_no_store(self, request):
        key = self._no_store_key(request)
        token = routes.marked_token(key)
        if token is None:
            return False
        generation = self.generation
        return generation is not None and generation(request) == token

    def _lookup(self, request):
        """The stored response when there is one of the current generation; otherwise
        None, with the key and the generation kept on the request for storing."""
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        language = getattr(request, "LANGUAGE_CODE", "")
        key = f"pagecache:{request.get_host()}:{language}:{path}"
        if shared_generation():
            found = cache.get_many([GENERATION_KEY, key])
            token = _current_shared_generation(found)
            entry = found.get(key)
        else:
            generation = self.generation
            token = generation(request) if generation is not None else ""
            entry = cache.get(key)
        if entry is not None and entry[0] == token:
            _token, content, content_type = entry
            response = HttpResponse(content, content_type=content_type)
            response[HEADER] = "hit"
            response._from_page_cache = True
            return response
        request._page_cache_key, request._page_cache_token = key, token
        return None

    def _serve_remembered_route(self, request, path, token):
        """Wagtail's page view with the route remembered per generation (see `routes`):
        the page read once per generation instead of the locale, the tree walk, the
        page and, for a page without view restrictions, the two restriction queries
        on every request. None: let Wagtail's
        own view serve it (first visit of a path, restricted pages, aliases)."""
        from wagtail import hooks
        from wagtail.models import Site
        from wagtail.views import serve_chain
        from wagtail.wagtail_hooks import check_view_restrictions

        site = Site.find_for_request(request)
        if site is None:
            return None
        key = (site.pk, translation.get_language(), path)
        entry = routes.get(token, key)
        if entry is None:
            result = self._route(request, path)  # Wagtail's lookup; kept on the request
            if result is not None:
                page = result[0]
                public = page.alias_of_id is None and not page.get_view_restrictions().exists()
                routes.put(
                    token, key, (page.specific_class, page.pk, page.depth - site.root_page.depth, public)
                )
            return None
        model, pk, consumed, public = entry
        if not public:
            return None
        page = routes.page(token, model, pk)
        if page is None:
            return None
        components = [component for component in path.split("/") if component]
        try:
            page, args, kwargs = request._wagtail_route_for_request = page.route(
                request, components[consumed:]
            )
        except Http404:
            return None
        chain = serve_chain
        for fn in reversed(hooks.get_hooks("on_serve_page")):
            if fn is not check_view_restrictions:  # no restriction on this page or above
                chain = fn(chain)
        for fn in hooks.get_hooks("before_serve_page"):
            result = fn(page, request, args, kwargs)
            if isinstance(result, HttpResponseBase):
                return result
        return chain(page, request, args, kwargs)

    def _route(self, request, path):
        from wagtail.models import Page

        return Page.route_for_request(request, path)

    def _renders_citizen_page(self, view_func):
        """A view of one of PAGE_CACHE_PREPARE_APPS (the citizen pages around the base
        template); other views (APIs, health checks) skip it."""
        view = getattr(view_func, "view_class", view_func)
        app = getattr(view, "__module__", "").split(".", 1)[0]
        return app in getattr(settings, "PAGE_CACHE_PREPARE_APPS", ())

    def _cacheable_request(self, request):
        if cache_seconds() <= 0 or request.method != "GET" or getattr(request, "is_preview", False):
            return False
        if request.COOKIES.get(getattr(settings, "MESSAGE_COOKIE_NAME", "messages")):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        session = getattr(request, "session", None)
        if session is not None:
            if settings.SESSION_COOKIE_NAME in request.COOKIES and "_messages" in session:
                return False
            # From here on, a read of the session is the page's own (see __call__).
            request._page_cache_session_accessed = session.accessed
            session.accessed = False
        return True

    def _storable(self, request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if getattr(request, "is_preview", False) or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        if isinstance(getattr(request, "_csp_nonce", None), str):
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in _PERSONAL_CACHE_CONTROL):
            return False
        return not response.has_header("Set-Cookie") and "cookie" not in response.get("Vary", "").lower()


def prepared(request):
    """Context processor: PAGE_CACHE_PREPARE for the page of an app view about to be
    rendered (see the module docstring); once per request."""
    prepare = getattr(request, "_page_cache_prepare", None)
    if prepare is not None:
        request._page_cache_prepare = None
        prepare(request)
    return {}
