"""Autocomplete from memory: the visible pages' titles (and service IDs) by prefix.

The backend's autocomplete costs several queries and a ranking over the whole index per
keystroke (with 5,000 services ~0.06x the trivial view against the 0.3x the portal
needs, docs/search.md), so each process keeps one small index of the visible pages'
normalised titles: for every prefix of every word, the pages whose title has a word
starting with it. It is built from the database when first asked for and again when
the content version (portal.content_version) changes; one index per process, for the
last (version, language, host) asked for. Without a content version (the cache is
unreachable) autocomplete asks the backend instead."""

import heapq
import threading

from django.utils import translation
from wagtail.models import Page

from portal import content_version
from portal.persian import search_key, search_words
from services.models import ServicePage

from . import services

_lock = threading.Lock()
_latest = [(None, None)]  # (key, index) of the one index kept: the last one built


class TitleIndex:
    """Suggestions in page-id order and {prefix: [positions of suggestions]}."""

    def __init__(self, entries):
        """entries: (text to match, suggestion dict) in page-id order."""
        self.suggestions = []
        self.prefixes = {}
        for position, (text, suggestion) in enumerate(entries):
            self.suggestions.append(suggestion)
            words = set(search_key(text).split())
            for prefix in {word[:end] for word in words for end in range(1, len(word) + 1)}:
                self.prefixes.setdefault(prefix, []).append(position)

    def suggest(self, query, services_only=False, limit=services.AUTOCOMPLETE_LIMIT):
        """The newest `limit` suggestions where every typed word (any of its forms, see
        portal.persian.search_words) starts a word of the title or service ID."""
        found = None
        for forms in search_words(query):
            word = set()
            for form in forms:
                terms = form.split()
                matches = set(self.prefixes.get(terms[0], ()))
                for term in terms[1:]:
                    matches.intersection_update(self.prefixes.get(term, ()))
                word |= matches
            found = word if found is None else found & word
            if not found:
                return []
        if not found:
            return []
        if services_only:
            found = [position for position in found if self.suggestions[position]["kind"] == "service"]
        return [self.suggestions[position] for position in heapq.nlargest(limit, found)]


def build(request):
    """The index of the pages search may show, with their URLs for this request's site."""
    pages = services.visible_pages(Page).only("id", "title", "url_path", "locale_id").order_by("id")
    details = {
        service.pk: service
        for service in services.visible_pages(ServicePage)
        .select_related("unit")
        .only("id", "service_id", "unit__name")
    }
    entries = []
    for page in pages:
        service = details.get(page.pk)
        suggestion = {
            "title": page.title,
            "url": page.get_url(request),
            "kind": "page" if service is None else "service",
            "service_id": None if service is None else service.service_id,
            "unit": service.unit.name if service is not None and service.unit_id else None,
        }
        text = page.title if service is None else f"{page.title} {service.service_id}"
        entries.append((text, suggestion))
    return TitleIndex(entries)


def title_index(request):
    """This process's index for the request's content version, language and host, or
    None without a content version."""
    version = content_version.for_request(request)
    if version is None:
        return None
    # The host names the site (its pages' URLs): no site lookup per keystroke.
    key = (version, translation.get_language(), request.get_host())
    latest_key, index = _latest[0]
    if latest_key != key:
        with _lock:  # one build per process when the version changes
            latest_key, index = _latest[0]
            if latest_key != key:
                index = build(request)
                _latest[0] = (key, index)
    return index


def autocomplete(query, request, services_only=False, limit=services.AUTOCOMPLETE_LIMIT):
    index = title_index(request)
    if index is None:
        return services.autocomplete(query, request, services_only=services_only, limit=limit)
    return index.suggest(query, services_only=services_only, limit=limit)
