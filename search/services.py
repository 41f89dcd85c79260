"""What the search pages ask of the catalog: full-text search, autocomplete and the
service-ID shortcut. Only live, public pages in the active language are ever found.

What is the same for every visitor of a generation (the active locale's id, the private
sections, the unit list, the autocomplete index, the request's site) is kept in memory
by `search.cache.remembered` and rebuilt after any change to public content."""

import copy
import re

from django.db.models import Q
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.search.backends import get_search_backend
from wagtail.search.query import Fuzzy

from portal.persian import canonical_digits, search_key
from services.models import OrgUnit, ServicePage

from .cache import generation, remembered
from .fulltext import FullTextIndex, Hit, text_words, tsvector_words
from .suggest import SuggestionIndex

AUTOCOMPLETE_LIMIT = 10
SERVICE_ID_RE = re.compile(r"^\d{11}$")


def _token(request):
    return generation(request)


def active_locale_id(token):
    language = translation.get_language()
    return remembered(token, ("locale", language), lambda: Locale.get_active().pk)


def _private_sections(token):
    """(path, depth) of every page under a view restriction: it and its descendants
    are private (as PageQuerySet.private_q)."""
    return remembered(
        token,
        "private",
        lambda: list(PageViewRestriction.objects.values_list("page__path", "page__depth")),
    )


def visible_pages(model=Page, request=None):
    """Live, public pages of the active language: the only pages search may show."""
    token = _token(request)
    private = Q()
    for path, depth in _private_sections(token):
        private |= Q(path__startswith=path, depth__gte=depth)
    queryset = model.objects.live().filter(locale_id=active_locale_id(token))
    return queryset.exclude(private) if private else queryset


def site_for(request):
    """The request's Wagtail site, looked up once per host and generation (Wagtail
    caches it on the request, so settings and page URLs use it too)."""
    if request is None or hasattr(request, "_wagtail_site"):
        return Site.find_for_request(request)
    key = ("site", request._get_raw_host(), request.get_port())
    request._wagtail_site = remembered(_token(request), key, lambda: Site._find_for_request(request))
    return request._wagtail_site


def site_settings_models():
    """Every registered per-site settings model (PortalSettings, DashboardMenu, …)."""
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.contrib.settings.registry import registry

    return [model for model in registry if issubclass(model, BaseSiteSetting)]


def prepare_request(request):
    """Put on the request what every page around the results needs and what is the
    same for every visitor of a generation: the site, the site settings (a copy each,
    where Wagtail's `for_request` looks for them) and `request.content_generation`,
    the token the dashboard menu keys its cache on."""
    token = _token(request)
    request.content_generation = token
    site = site_for(request)
    if site is None:
        return
    for model in site_settings_models():
        attr = model.get_cache_attr_name()
        if not hasattr(request, attr):
            key = ("setting", model._meta.label, site.pk)
            instance = copy.copy(remembered(token, key, lambda model=model: model.for_site(site)))
            instance._request = request
            setattr(request, attr, instance)


def service_for_id(query, request=None):
    """The live, public service whose 11-digit ID was typed (any digit script), or None."""
    digits = canonical_digits(query)
    if not SERVICE_ID_RE.match(digits):
        return None
    return visible_pages(ServicePage, request).filter(service_id=digits).first()


def search_pages(query, unit_id=None, request=None):
    """Pages matching the query, best first; services only when a unit is chosen.

    Full text first; on PostgreSQL, when that finds nothing, a trigram (Fuzzy) retry
    over the same normalised text catches typos."""
    if unit_id:
        queryset = visible_pages(ServicePage, request).filter(unit_id=unit_id)
    else:
        queryset = visible_pages(request=request)
    queryset = queryset.only("id")  # with_details fetches what is shown, for one page of results
    results = queryset.search(query)
    backend = get_search_backend()
    if getattr(backend, "supports_fuzzy", False) and not results.count():
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
    """The result page's pages, services with their unit and summary, other pages as
    their specific objects, in a fixed number of queries and only the columns shown."""
    pages = list(pages)
    ids = [page.pk for page in pages]
    services = {
        service.pk: service
        for service in ServicePage.objects.filter(pk__in=ids)
        .select_related("unit")
        .only(*PAGE_FIELDS, "service_id", "summary", "unit__name")
    }
    others = {
        page.pk: page
        for page in Page.objects.filter(pk__in=[pk for pk in ids if pk not in services]).specific()
    }
    return [services.get(page.pk) or others.get(page.pk, page) for page in pages]


def units_with_services(request=None):
    """The units with at least one live service, for the unit filter (a unit whose
    services are all private still shows: unit names are public)."""
    token = _token(request)

    def build():
        return list(
            OrgUnit.objects.filter(
                locale_id=active_locale_id(token), pk__in=ServicePage.objects.live().values("unit_id")
            )
            .order_by("sort_order", "name")
            .only("pk", "name")
        )

    return remembered(token, ("units", translation.get_language()), build)


def unit_options(request, selected=None):
    """The unit filter's <option> elements (after «همه واحدها»), rendered once per
    generation; the chosen unit marked selected."""
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    def build():
        return [
            (
                unit.pk,
                format_html('<option value="{}">{}</option>', unit.pk, unit.name),
                format_html('<option value="{}" selected>{}</option>', unit.pk, unit.name),
            )
            for unit in units_with_services(request)
        ]

    options = remembered(_token(request), ("unit options", translation.get_language()), build)
    return mark_safe("".join(chosen if pk == selected else plain for pk, plain, chosen in options))  # noqa: S308


def _page_urls(request):
    """{page id: URL} of the visible pages, computed once per generation for both
    in-memory indexes."""
    site = site_for(request)
    key = ("urls", translation.get_language(), site.pk if site else None)

    def build():
        pages = visible_pages(request=request).only("id", "url_path", "locale_id")
        return {page.pk: page.get_url(request) for page in pages}

    return remembered(_token(request), key, build)


def _suggestion_index(request, services_only):
    token = _token(request)
    site = site_for(request)
    key = ("suggest", translation.get_language(), site.pk if site else None)

    def build():
        services = {
            service.pk: service
            for service in visible_pages(ServicePage, request)
            .select_related("unit")
            .only("id", "service_id", "unit__name")
        }
        urls = _page_urls(request)
        entries = []
        for page in visible_pages(request=request).only("id", "title").order_by("id"):
            service = services.get(page.pk)
            text = page.title if service is None else f"{page.title} {service.service_id}"
            entries.append(
                (
                    search_key(text),
                    service is not None,
                    {
                        "title": page.title,
                        "url": urls.get(page.pk),
                        "kind": "page" if service is None else "service",
                        "service_id": None if service is None else service.service_id,
                        "unit": service.unit.name if service is not None and service.unit_id else None,
                    },
                )
            )
        return SuggestionIndex(entries)

    return remembered(token, key, build)


def autocomplete(query, request=None, services_only=False, limit=AUTOCOMPLETE_LIMIT):
    """At most `limit` suggestions whose normalised title (or service ID) starts with
    the typed words: [{"title", "url", "kind", "service_id", "unit"}].

    Answered from an in-memory prefix index of the visible pages' normalised titles and
    service IDs (search.suggest), built once per content generation."""
    return _suggestion_index(request, services_only).suggest(query, services_only=services_only, limit=limit)


def _rank_weights():
    """PostgreSQL ts_rank weights by letter, as Wagtail's database backend sets them."""
    from modelsearch.backends.database.postgres import weights

    boosts = [boost for boost, _letter in weights.determine_boosts_weights()]
    low = min(boosts)
    if low <= 0:
        boosts = [boost - (low if low else -0.1) for boost in boosts]
    values = [boost / max(boosts) for boost in boosts]  # A, B, C, D
    return dict(zip("ABCD", values, strict=True)), weights


def uses_database_backend():
    """True when search runs on this project's database backend (not Elasticsearch):
    then the search page answers from memory (search.fulltext), over the same rows."""
    return type(get_search_backend()).__module__ == "search.backends.database"


def _fulltext_index(request):
    token = _token(request)
    site = site_for(request)
    key = ("fulltext", translation.get_language(), site.pk if site else None)

    def build():
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection
        from modelsearch.conf import get_app_config
        from wagtail.models import get_page_models

        pages = list(
            visible_pages(request=request)
            .only("id", "title", "content_type_id", "search_description")
            .order_by("id")
        )
        services = {
            service.pk: service
            for service in visible_pages(ServicePage, request)
            .select_related("unit")
            .only("id", "service_id", "summary", "unit_id", "unit__name")
        }
        content_types = {
            ct.pk: model for model, ct in ContentType.objects.get_for_models(*get_page_models()).items()
        }
        summaries = {}
        for ct_id, model in content_types.items():
            if model is ServicePage or "summary" not in {field.name for field in model._meta.concrete_fields}:
                continue
            ids = [page.pk for page in pages if page.content_type_id == ct_id]
            if ids:
                summaries.update(model.objects.filter(pk__in=ids).values_list("pk", "summary"))
        entry_model = get_app_config().get_model("IndexEntry")
        entries = {
            (int(object_id), ct_id): (title, body, norm)
            for object_id, ct_id, title, body, norm in entry_model.objects.filter(
                content_type_id__in=list(content_types)
            ).values_list("object_id", "content_type_id", "title", "body", "title_norm")
        }
        urls = _page_urls(request)
        letters, weights = _rank_weights()
        title_letter = weights.get_weight(2) if weights.BOOSTS_WEIGHTS else "B"
        postgres = connection.vendor == "postgresql"
        documents = []
        for page in pages:
            entry = entries.get((page.pk, page.content_type_id))
            if entry is None:
                continue  # not indexed (yet): the database backend would not find it either
            title, body, norm = entry
            if postgres:
                title_words, body_words = tsvector_words(title, letters), tsvector_words(body, letters)
            else:
                title_words = text_words(title, letters[title_letter])
                body_words = text_words(body, letters["D"])
            service = services.get(page.pk)
            hit = Hit(
                page.pk,
                page.title,
                urls.get(page.pk),
                service_id=service.service_id if service else None,
                unit=service.unit if service else None,
                summary=service.summary if service else summaries.get(page.pk, ""),
                search_description=page.search_description,
            )
            documents.append((hit, service.unit_id if service else None, title_words, body_words, norm))
        return FullTextIndex(documents)

    return remembered(token, key, build)


def _as_hits(pages, request):
    hits = []
    for page in with_details(pages):
        service = isinstance(page, ServicePage)
        hits.append(
            Hit(
                page.pk,
                page.title,
                page.get_url(request),
                service_id=page.service_id if service else None,
                unit=page.unit if service else None,
                summary=getattr(page, "summary", ""),
                search_description=page.search_description,
            )
        )
    return hits


class _DatabaseHits:
    """The database backend's results as a sequence of hits (for the paginator)."""

    def __init__(self, results, request):
        self.results, self.request = results, request

    def __len__(self):
        return self.results.count()

    def count(self):
        return len(self)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return _as_hits(self.results[index], self.request)
        return _as_hits(self.results[index : index + 1], self.request)[0]


def search_hits(query, unit_id=None, request=None):
    """The results of a search as hits (title, url, service_id, unit, summary,
    search_description), best first: from memory on the database backend, where a
    query that finds nothing is retried by the database (the PostgreSQL typo retry);
    from the backend otherwise (Elasticsearch), and for signed-in users (editors see
    the database as it is, like the response cache they bypass)."""
    signed_in = request is not None and request.user.is_authenticated
    if uses_database_backend() and not signed_in:
        hits = _fulltext_index(request).search(query, unit_id)
        if hits or not getattr(get_search_backend(), "supports_fuzzy", False):
            return hits
    return _DatabaseHits(search_pages(query, unit_id, request), request)
