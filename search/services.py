"""What the search pages ask of the catalog: full-text search, autocomplete and the
service-ID shortcut. Only live, public pages in the active language are ever found."""

import re

from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend
from wagtail.search.query import Fuzzy

from portal.persian import canonical_digits, search_key
from services.models import OrgUnit, ServicePage

AUTOCOMPLETE_LIMIT = 10
SERVICE_ID_RE = re.compile(r"^\d{11}$")


def visible_pages(model=Page):
    """Live, public pages of the active language: the only pages search may show."""
    return model.objects.live().public().filter(locale=Locale.get_active())


def service_for_id(query):
    """The live, public service whose 11-digit ID was typed (any digit script), or None."""
    digits = canonical_digits(query)
    if not SERVICE_ID_RE.match(digits):
        return None
    return visible_pages(ServicePage).filter(service_id=digits).first()


def search_pages(query, unit_id=None):
    """Pages matching the query, best first; services only when a unit is chosen.

    Full text first; on PostgreSQL, when that finds nothing, a trigram (Fuzzy) retry
    over the same normalised text catches typos."""
    queryset = visible_pages(ServicePage).filter(unit_id=unit_id) if unit_id else visible_pages()
    results = queryset.search(query)
    backend = get_search_backend()
    if getattr(backend, "supports_fuzzy", False) and not results.count():
        key = search_key(query)
        if key:
            results = queryset.search(Fuzzy(key, unaccent=True))
    return results


def with_details(pages):
    """The result page's pages as their specific objects, services with their unit,
    in a fixed number of queries."""
    pages = list(pages)
    services = {
        service.pk: service
        for service in ServicePage.objects.filter(pk__in=[page.pk for page in pages]).select_related("unit")
    }
    others = {
        page.pk: page
        for page in Page.objects.filter(
            pk__in=[page.pk for page in pages if page.pk not in services]
        ).specific()
    }
    return [services.get(page.pk) or others.get(page.pk, page) for page in pages]


def units_with_services():
    """The units with at least one live service, for the unit filter (a unit whose
    services are all private still shows: unit names are public)."""
    return OrgUnit.objects.filter(
        locale=Locale.get_active(), pk__in=ServicePage.objects.live().values("unit_id")
    ).order_by("sort_order", "name")


def autocomplete(query, request=None, services_only=False, limit=AUTOCOMPLETE_LIMIT):
    """At most `limit` suggestions whose normalised title (or service ID) starts with
    the typed words: [{"title", "url", "kind", "service_id", "unit"}]."""
    queryset = visible_pages(ServicePage) if services_only else visible_pages()
    pages = with_details(queryset.autocomplete(query)[:limit])
    suggestions = []
    for page in pages:
        is_service = isinstance(page, ServicePage)
        suggestions.append(
            {
                "title": page.title,
                "url": page.get_url(request),
                "kind": "service" if is_service else "page",
                "service_id": page.service_id if is_service else None,
                "unit": page.unit.name if is_service else None,
            }
        )
    return suggestions
