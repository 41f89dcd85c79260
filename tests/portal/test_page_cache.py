"""The public page cache (portal.cache): anonymous Wagtail pages are served from the
cache, a publish or any edit to public content shows at once, and nothing personal,
no form with a CSRF token, no preview and nothing for a signed-in user is ever kept."""

import os
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms_pages.models import FormField, FormPage
from home.models import PortalSettings
from portal.cache import GENERATION_KEY, HEADER
from tests.factories import OrgUnitFactory, ServicePageFactory

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


def redis_available():
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False


@pytest.fixture(autouse=True, params=["process", "shared"])
def page_cache(request, settings):
    """Every test twice: the generation from the database with a per-process cache
    (local memory), and the generation kept in a real, shared Redis cache."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_PREPARE = "search.services.prepare_request"
    settings.PAGE_CACHE_SHARED = request.param == "shared"
    if request.param == "shared":
        if not redis_available():
            pytest.skip(f"no Redis at {REDIS_URL}")
        settings.CACHES = {
            "default": {
                "BACKEND": "portal.rediscache.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            }
        }
    cache.clear()
    yield request.param
    cache.clear()


@pytest.fixture
def service(service_index):
    unit = OrgUnitFactory(name="دفتر ارزیابی عملکرد")
    return ServicePageFactory(parent=service_index, unit=unit, title="صدور مجوز دهیاری")


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response, response.content.decode()


def test_second_anonymous_visit_is_served_from_the_cache(client, service, page_cache):
    first, html = get(client, service.url)
    assert first[HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second, cached_html = get(client, service.url)
    assert second[HEADER] == "hit"
    assert cached_html == html
    # The content generation from the database, or nothing at all when the shared
    # cache keeps it.
    assert len(queries) == (0 if page_cache == "shared" else 1)
    # The headers the outer middleware add still come with a cached page.
    assert second["Content-Security-Policy"]
    assert second["Content-Type"].startswith("text/html")


def test_a_published_edit_shows_at_once(client, service):
    get(client, service.url)
    assert get(client, service.url)[0][HEADER] == "hit"
    service.title = "صدور مجوز تاسیس دهیاری"
    service.save_revision().publish()
    response, html = get(client, service.url)
    assert response[HEADER] == "miss"
    assert "صدور مجوز تاسیس دهیاری" in html
    # The service list and the dashboard show the new title too.
    assert "صدور مجوز تاسیس دهیاری" in get(client, service.get_parent().url)[1]


def test_an_unpublished_page_is_gone_at_once(client, service):
    get(client, service.url)
    service.unpublish()
    assert client.get(service.url).status_code == 404


def test_a_unit_or_settings_edit_shows_at_once(client, service, home):
    assert "دفتر ارزیابی عملکرد" in get(client, service.url)[1]
    unit = service.unit
    unit.name = "دفتر بازرسی و پاسخگویی"
    unit.save()
    assert "دفتر بازرسی و پاسخگویی" in get(client, service.url)[1]

    get(client, home.url)
    portal_settings = PortalSettings.for_site(home.get_site())
    portal_settings.portal_name = "سامانه تازه میز خدمت"
    portal_settings.save()
    assert "سامانه تازه میز خدمت" in get(client, home.url)[1]


def test_a_draft_never_reaches_visitors_and_a_preview_is_never_kept(client, service):
    get(client, service.url)
    service.title = "عنوان پیش‌نویس"
    service.save_revision()  # saved, not published
    assert "عنوان پیش‌نویس" not in get(client, service.url)[1]

    editor = get_user_model().objects.create_superuser("editor", "editor@example.invalid", "pass")
    client.force_login(editor)
    preview = client.get(f"/admin/pages/{service.pk}/view_draft/")
    assert preview.status_code == 200
    assert "عنوان پیش‌نویس" in preview.content.decode()
    assert HEADER not in preview
    client.logout()
    response, html = get(client, service.url)
    assert "عنوان پیش‌نویس" not in html
    assert response[HEADER] == "hit"  # still the anonymous copy, the preview was not kept


def test_signed_in_visitors_never_get_or_leave_a_cached_page(client, service):
    get(client, service.url)  # an anonymous copy is in the cache
    editor = get_user_model().objects.create_superuser("editor", "editor@example.invalid", "pass")
    client.force_login(editor)
    response, html = get(client, service.url)
    assert HEADER not in response  # rendered for them, not read from nor written to the cache
    assert "wagtail-userbar" in html  # the editor's own bar
    client.logout()
    cache.clear()
    get(client, service.url)
    response, html = get(client, service.url)
    assert response[HEADER] == "hit"
    assert "wagtail-userbar" not in html


def test_a_page_with_a_form_is_never_kept(client, home):
    form_page = FormPage(title="فرم درخواست نقشه", slug="map-form")
    home.add_child(instance=form_page)
    FormField.objects.create(page=form_page, label="نام", field_type="singleline", required=True)
    for _ in range(2):
        response, html = get(client, form_page.url)
        assert "csrfmiddlewaretoken" in html
        assert HEADER not in response
        assert "csrftoken" in response.cookies


def test_a_waiting_flash_message_skips_the_cache(client, service):
    get(client, service.url)
    client.cookies["messages"] = "something"
    response, _html = get(client, service.url)
    assert HEADER not in response


def test_cache_off_with_zero_seconds(client, service, settings):
    settings.PAGE_CACHE_SECONDS = 0
    get(client, service.url)
    assert HEADER not in get(client, service.url)[0]


def test_remembered_routes_keep_view_restrictions(client, service):
    assert get(client, service.url)[0][HEADER] == "miss"
    restriction = PageViewRestriction.objects.create(page=service, restriction_type=PageViewRestriction.LOGIN)
    for _ in range(2):  # routed by Wagtail, then from the remembered route
        response = client.get(service.url)
        assert response.status_code == 302
        assert "login" in response["Location"]
    restriction.delete()
    assert client.get(service.url).status_code == 200


def test_a_moved_page_answers_at_its_new_address_only(client, service, home):
    get(client, service.url)
    get(client, service.url)
    old_url = service.url
    service.move(home, pos="last-child")
    service.refresh_from_db()
    assert service.url != old_url
    moved = client.get(old_url)  # Wagtail's automatic redirect, never the old copy
    assert moved.status_code == 301
    assert moved["Location"] == service.url
    assert "صدور مجوز دهیاری" in get(client, service.url)[1]


def test_routed_pages_need_fewer_queries_once_remembered(client, service, settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request renders
    client.get(service.url)
    with CaptureQueriesContext(connection) as remembered:
        get(client, service.url)
    settings.PAGE_CACHE_PREPARE = ""  # Wagtail's own routing, site and settings every time
    with CaptureQueriesContext(connection) as plain:
        get(client, service.url)
    assert len(remembered) <= len(plain) - 6


def test_a_lost_generation_only_turns_pages_into_misses(client, service, page_cache):
    if page_cache != "shared":
        pytest.skip("the generation is kept in the cache only when it is shared")
    get(client, service.url)
    assert get(client, service.url)[0][HEADER] == "hit"
    cache.delete(GENERATION_KEY)  # evicted or flushed
    assert get(client, service.url)[0][HEADER] == "miss"
    assert cache.get(GENERATION_KEY)
    assert get(client, service.url)[0][HEADER] == "hit"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_generation_changes_again_after_the_commit(client, service, page_cache):
    """A page rendered between the change and its commit (still the old content) is
    stored under the token set by the signal; the token set after the commit drops it."""
    if page_cache != "shared":
        pytest.skip("the generation is kept in the cache only when it is shared")
    with transaction.atomic():
        service.title = "صدور مجوز تاسیس دهیاری"
        service.save_revision().publish()
        seen_by_signal = cache.get(GENERATION_KEY)
        assert seen_by_signal
    assert cache.get(GENERATION_KEY) != seen_by_signal


def test_one_redis_client_per_connection_pool(page_cache):
    if page_cache != "shared":
        pytest.skip("Redis only")
    client = cache._cache.get_client()
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client  # one server: one pool


def test_a_remembered_page_is_read_once_per_generation(client, service, settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request renders
    for _ in range(2):  # routed by Wagtail, then the page read and remembered
        get(client, service.url)
    with CaptureQueriesContext(connection) as queries:
        get(client, service.url)
    assert not [q for q in queries.captured_queries if 'FROM "wagtailcore_page"' in q["sql"]]
    service.title = "صدور مجوز تاسیس دهیاری"
    service.save_revision().publish()  # a new generation: read again
    for _ in range(3):
        assert "صدور مجوز تاسیس دهیاری" in get(client, service.url)[1]


def test_each_request_gets_its_own_copy_of_a_remembered_page(service):
    from portal.cache import RouteMemory

    memory = RouteMemory()
    memory.put("g1", ("site", "fa", "/x/"), ("model", service.pk, 1, True))
    first = memory.page("g1", type(service), service.pk)
    first.title = "changed by one request"
    second = memory.page("g1", type(service), service.pk)
    assert second is not first
    assert second.title == "صدور مجوز دهیاری"
    assert memory.page("g2", type(service), 0) is None


def test_an_address_that_said_no_store_skips_the_lookup_for_the_generation(client, service, home):
    """The wizard's pages answer no-store: once one has, its address is not looked up
    in the cache again (a round trip to Redis per wizard page) until content changes;
    other pages are looked up as before."""
    from unittest import mock

    from intake.models import IntakePage
    from portal.cache import PublicPageCacheMiddleware

    intake = IntakePage(title="ثبت درخواست ارباب رجوع", slug="request")
    home.add_child(instance=intake)
    intake.save_revision().publish()
    looked_up = []
    original = PublicPageCacheMiddleware._lookup

    def counting(self, request):
        looked_up.append(request.path)
        return original(self, request)

    with mock.patch.object(PublicPageCacheMiddleware, "_lookup", counting):
        for visit in ("miss", "hit", "hit"):
            response = client.get(intake.url)
            assert response.status_code == 200 and "no-store" in response["Cache-Control"]
            assert get(client, service.url)[0][HEADER] == visit
        assert looked_up.count(intake.url) == 1
        assert looked_up.count(service.url) == 3  # a cacheable page: looked up every time
        service.title = "صدور مجوز تاسیس دهیاری"
        service.save_revision().publish()  # a new generation
        assert client.get(intake.url).status_code == 200
    assert looked_up.count(intake.url) == 2
