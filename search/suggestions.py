"""Autocomplete from memory: the visible pages' titles (and service IDs) by prefix.

The backend's autocomplete costs several queries and a ranking over the whole index per
keystroke (with 5,000 services ~0.06x the trivial view against the 0.3x the portal
needs, docs/search.md), so each process keeps one small index of the visible pages'
normalised titles: for every prefix of every word, the pages whose title has a word
starting with it. It is built from the database when first asked for and again when
the content version (portal.content_version) changes; one index per process, for the
last (version, language, host) asked for. Without a content version (the cache is
unreachable) autocomplete asks the backend instead."""

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
        found = None  # positions, ascending
        for forms in search_words(query):
            word = [self.matching(form) for form in forms]
            word = word[0] if len(word) == 1 else sorted(set().union(*word))
            found = word if found is None else sorted(set(found).intersection(word))
            if not found:
                return []
        chosen = []
        for position in reversed(found or ()):
            suggestion = self.suggestions[position]
            if not services_only or suggestion["kind"] == "service":
                chosen.append(suggestion)
                if len(chosen) == limit:
                    break
        return chosen

    def matching(self, form):
        """Positions (ascending) of the titles where every term of the form starts a word."""
        terms = form.split()
        if len(terms) == 1:
            return self.prefixes.get(terms[0], [])
        return sorted(
            set(self.prefixes.get(terms[0], ())).intersection(*(self.prefixes.get(t, ()) for t in terms[1:]))
        )


def build(request):
    """The index of the pages search may show, with their URLs for this request's site."""
    pages = services.visible_pages(Page, request).only("id", "title", "url_path", "locale_id").order_by("id")
    details = {
        pk: (service_id, unit)
        for pk, service_id, unit in services.visible_pages(ServicePage, request).values_list(
            "id", "service_id", "unit__name"
        )
    }
    entries = []
    for page in pages:
        service_id, unit = details.get(page.pk, (None, None))
        service = page.pk in details
        suggestion = {
            "title": page.title,
            "url": page.get_url(request),
            "kind": "service" if service else "page",
            "service_id": service_id,
            "unit": unit,
        }
        entries.append((f"{page.title} {service_id}" if service else page.title, suggestion))
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
