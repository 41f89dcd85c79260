"""Query budgets of the citizen pages (issue 7): the dashboard, the service list, a
service page, search and the tracking lookup each stay within a fixed number of
queries, and that number does not move when the data grows tenfold (units,
services, each service's facets, stored requests and a request's history).

Measured as in production: the page cache off (every request renders), the
fragment caches (varied on the content version) on. Each page is measured on its first
request after the content changed (what a publish costs: the fragments are rendered
again) and on the next one (the steady state)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from intake.models import RequestEvent, ServiceRequest
from portal import content_version
from services.models import ServiceOfficer
from tests.factories import (
    OfficerFactory,
    OrgUnitFactory,
    ServiceFAQFactory,
    ServiceInquiryFactory,
    ServicePageFactory,
    ServiceWorkflowStepFactory,
)
from tests.intake.requests import make_request

# Queries per page: (first request after a change, the next ones).
BUDGETS = {
    "dashboard": (16, 6),
    "service list": (16, 7),
    "service page": (23, 8),  # next ones: Wagtail's routing only; its body from the fragment
    "search": (13, 4),
    "tracking lookup": (14, 6),  # next ones: the request with its events, the service's workflow steps
}


@pytest.fixture(autouse=True)
def production_like(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.SEARCH_CACHE_SECONDS = 0
    settings.FOLLOWUP_LOOKUP_RATE = "0/1"
    cache.clear()
    yield
    cache.clear()


class Catalog:
    """A catalog grown in steps: `grow(n)` adds n times the base amount of everything."""

    def __init__(self, home, service_index):
        self.home = home
        self.index = service_index
        self.units = []
        self.service = None
        self.request = None

    def grow(self, factor):
        new_units = [OrgUnitFactory(name=f"دفتر دهیاری {len(self.units) + n}") for n in range(2 * factor)]
        self.units += new_units
        for n in range(5 * factor):
            unit = new_units[n % len(new_units)]
            page = ServicePageFactory(parent=self.index, unit=unit, title=f"صدور مجوز دهیاری {unit.pk}-{n}")
            if self.service is None:
                self.service = page
            make_request(page)
        self._grow_facets(self.service, factor)
        self.request = self.request or ServiceRequest.objects.first()
        for n in range(2 * factor):
            RequestEvent.objects.create(
                request=self.request,
                kind=RequestEvent.Kind.STATUS,
                status=ServiceRequest.Status.IN_REVIEW,
                note=f"بررسی {n}",
            )

    def _grow_facets(self, page, factor):
        start = page.faqs.count()
        for n in range(start, start + 2 * factor):
            ServiceFAQFactory(page=page, sort_order=n)
            ServiceWorkflowStepFactory(page=page, sort_order=n)
            ServiceInquiryFactory(page=page, sort_order=n)
            officer = OfficerFactory(unit=page.unit)
            ServiceOfficer.objects.create(page=page, officer=officer, responsibility="پاسخگویی", sort_order=n)


def count(call):
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code in (200, 302), response.status_code
    return len(queries)


def measure(catalog):
    """{page: (first, next)} query counts, for a new visitor (no cookies yet)."""
    client = Client()
    pages = {
        "dashboard": lambda: client.get(catalog.home.url),
        "service list": lambda: client.get(catalog.index.url),
        "service page": lambda: client.get(catalog.service.url),
        "search": lambda: client.get("/search/", {"query": "دهیاری"}),
    }
    code = catalog.request.tracking_code

    def lookup():
        response = client.post("/track/", {"code": code})
        assert response.status_code == 302
        return client.get(response["Location"])

    pages["tracking lookup"] = lookup
    results = {}
    for name, call in pages.items():
        content_version.bump()  # as after a publish: every page starts cold
        results[name] = (count(call), count(call))
    return results


@pytest.mark.django_db
def test_query_budgets_hold_when_the_data_grows_tenfold(home, service_index):
    catalog = Catalog(home, service_index)
    catalog.grow(1)
    measure(catalog)  # once per process: content types, templates
    small = measure(catalog)
    catalog.grow(9)  # ten times the units, services, facets, requests and events
    assert ServiceRequest.objects.count() == 50
    large = measure(catalog)
    report = {name: (small[name], large[name], BUDGETS[name]) for name in BUDGETS}
    for name, (before, after, budget) in report.items():
        assert after == before, (name, report)
        assert after[0] <= budget[0] and after[1] <= budget[1], (name, report)
