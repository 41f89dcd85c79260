"""What the search pages ask of the catalog: full-text search, autocomplete and the
service-ID shortcut, all answered by the search backend (WAGTAILSEARCH_BACKENDS) over
live, public pages in the active language."""

import re

from django.core.cache import cache
from django.db.models import Q
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction
from wagtail.search.backends import get_search_backend
from wagtail.search.query import Fuzzy

from portal import content_version
from portal.persian import canonical_digits, search_key
from services.models import OrgUnit, ServicePage

AUTOCOMPLETE_LIMIT = 10
SERVICE_ID_RE = re.compile(r"^\d{11}$")
VISIBILITY_SECONDS = 3600


def visibility(request=None):
    """(the active locale's id, (path, depth) of every view-restricted page): what every
    search query filters on. The same for every visitor, so kept in Django's cache under
    the content version and the language (locales and view restrictions bump it), and
    read once per request (`request.search_visibility`)."""
    if request is not None and hasattr(request, "search_visibility"):
        return request.search_visibility

    def build():
        restricted = PageViewRestriction.objects.values_list("page__path", "page__depth")
        return Locale.get_active().pk, sorted(set(restricted))

    version = content_version.for_request(request)
    if version is None:
        value = build()
    else:
        key = f"search:visibility:{version}:{translation.get_language()}"
        value = cache.get_or_set(key, build, VISIBILITY_SECONDS)
    if request is not None:
        request.search_visibility = value
    return value


def visible_pages(model=Page, request=None):
    """Live, public pages of the active language: the only pages search may show. A
    restricted page and its descendants are private (as Wagtail's `public()`)."""
    locale_id, restricted = visibility(request)
    private = Q()
    for path, depth in restricted:
        private |= Q(path__startswith=path, depth__gte=depth)
    queryset = model.objects.live().filter(locale_id=locale_id)
    return queryset.exclude(private) if private else queryset


def service_for_id(query, request=None):
    """The live, public service whose 11-digit ID was typed (any digit script), or None."""
    digits = canonical_digits(query)
    if not SERVICE_ID_RE.match(digits):
        return None
    return visible_pages(ServicePage, request).filter(service_id=digits).first()


def search_pages(query, unit_id=None, request=None):
    """Pages matching the query, best first; services of that unit only when one is
    chosen. Results hold the pages' ids only: `with_details` fetches what is shown.

    On PostgreSQL a query that finds nothing is retried as a trigram (Fuzzy) query over
    the same normalised text, which catches typos."""
    if unit_id:
        queryset = visible_pages(ServicePage, request).filter(unit_id=unit_id)
    else:
        queryset = visible_pages(Page, request)
    queryset = queryset.only("id")
    results = queryset.search(query)
    if getattr(get_search_backend(), "supports_fuzzy", False) and not results.count():
        key = search_key(query)
        if key:
            results = queryset.search(Fuzzy(key, unaccent=True))
    return results


PAGE_FIELDS = (
    "id",
    "title",
    "url_path",
    "path",
    "depth",
    "locale_id",
    "content_type_id",
    "search_description",
)


def with_details(pages):
    """The given pages in the same order, services with their unit and summary, other
    pages as their specific objects: a fixed number of queries, only the columns shown."""
    ids = [page.pk for page in pages]
    services = {
        service.pk: service
        for service in ServicePage.objects.filter(pk__in=ids)
        .select_related("unit")
        .only(*PAGE_FIELDS, "service_id", "summary", "unit__name")
    }
    others = [pk for pk in ids if pk not in services]
    specific = {page.pk: page for page in Page.objects.filter(pk__in=others).specific()} if others else {}
    return [services.get(pk) or specific[pk] for pk in ids if pk in services or pk in specific]


def units_with_services(request=None):
    """The units with at least one live service, for the unit filter (a unit whose
    services are all private still shows: unit names are public). Lazy."""
    return (
        OrgUnit.objects.filter(
            locale_id=visibility(request)[0], pk__in=ServicePage.objects.live().values("unit_id")
        )
        .order_by("sort_order", "name")
        .only("pk", "name")
    )


def suggestion(page, request):
    service = isinstance(page, ServicePage)
    return {
        "title": page.title,
        "url": page.get_url(request),
        "kind": "service" if service else "page",
        "service_id": page.service_id if service else None,
        "unit": page.unit.name if service and page.unit_id else None,
    }


def autocomplete(query, request=None, services_only=False, limit=AUTOCOMPLETE_LIMIT):
    """At most `limit` suggestions whose normalised title (or service ID) starts with the
    typed words, from the backend's autocomplete: [{"title", "url", "kind",
    "service_id", "unit"}]."""
    queryset = visible_pages(ServicePage if services_only else Page, request).only("id")
    pages = list(queryset.autocomplete(query)[:limit])
    return [suggestion(page, request) for page in with_details(pages)]
