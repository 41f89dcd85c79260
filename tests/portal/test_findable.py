"""Being findable: /sitemap.xml lists the live, public pages of the site in each of its
languages and nothing a crawler should not visit; /robots.txt points to it and keeps
crawlers out of the admin, the wizard, the follow-up and the search results. Neither
is kept stale by the page cache or broken by the Content Security Policy."""

import re
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from wagtail.models import Locale, PageViewRestriction

from intake.models import IntakePage, TrackPage
from portal.pagecache import HEADER
from tests.factories import OrgUnitFactory, ServicePageFactory

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_paths(client, **headers):
    response = client.get("/sitemap.xml", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own sitemap
    return [re.sub(r"^https?://[^/]+", "", loc.text) for loc in root.findall("sm:url/sm:loc", NS)]


@pytest.fixture
def catalog(home, service_index):
    unit = OrgUnitFactory(name="دفتر آمار")
    public = ServicePageFactory(
        parent=service_index, unit=unit, slug="statistics", title="ارائه داده های آماری"
    )
    draft = ServicePageFactory(parent=service_index, unit=unit, slug="draft-service", title="خدمت پیش‌نویس")
    draft.unpublish()
    private = ServicePageFactory(parent=service_index, unit=unit, slug="staff-only", title="خدمت داخلی")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    for model, slug in ((IntakePage, "request"), (TrackPage, "track")):
        home.add_child(instance=model(title=slug, slug=slug))
    return {"public": public}


def test_sitemap_lists_live_public_pages_only(client, home, service_index, catalog):
    paths = sitemap_paths(client)
    assert paths[:2] == ["/", service_index.url]
    assert catalog["public"].url in paths
    assert "/services/draft-service/" not in paths  # unpublished
    assert "/services/staff-only/" not in paths  # private
    assert "/request/" not in paths and "/track/" not in paths  # the wizard and tracking


def test_sitemap_has_both_languages_when_the_site_is_translated(client, home, service_index, catalog):
    english = Locale.objects.create(language_code="en")
    service_en = catalog["public"].copy_for_translation(english, copy_parents=True)
    service_en.title = "Statistical data"
    service_en.save_revision().publish()  # its parents are copied as live aliases
    paths = sitemap_paths(client)
    assert "/services/statistics/" in paths
    assert "/en/services/statistics/" in paths
    assert "/en/" in paths
    # A crawler asking in English still gets the Persian pages at their own addresses.
    assert "/services/statistics/" in sitemap_paths(client, HTTP_ACCEPT_LANGUAGE="en")


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/request/", "/track/", "/search/", "/en/request/", "/en/track/"):
        assert f"Disallow: {path}" in lines, path
    assert "Disallow: /" not in lines  # the rest of the site stays open
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert client.head("/robots.txt").status_code == 200
    assert client.post("/robots.txt").status_code == 405


@pytest.mark.parametrize("url", ["/sitemap.xml", "/robots.txt"])
def test_page_cache_and_csp_leave_them_alone(client, home, settings, url):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert HEADER not in second  # not a Wagtail page: never kept or served by the page cache
    assert "public" in second["Cache-Control"] and "max-age=3600" in second["Cache-Control"]
    assert "default-src 'self'" in second["Content-Security-Policy"]  # the header does no harm
    cache.clear()


def test_a_newly_published_service_is_in_the_next_sitemap(client, home, service_index, settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    assert "/services/new-service/" not in sitemap_paths(client)
    ServicePageFactory(parent=service_index, unit=OrgUnitFactory(), slug="new-service")
    assert "/services/new-service/" in sitemap_paths(client)
    cache.clear()
