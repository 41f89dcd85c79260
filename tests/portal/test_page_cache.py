"""The public page cache (portal.pagecache): anonymous Wagtail pages are served from the
cache, a publish or any edit to public content shows at once, and nothing personal,
no form with a CSRF token, no preview and nothing for a signed-in user is ever kept.

Every test runs twice: with the per-process local-memory cache and with a real Redis
(Django's RedisCache), where the content version is read in the same round trip."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms_pages.models import FormField, FormPage
from home.models import PortalSettings
from portal import content_version
from portal.pagecache import HEADER
from tests.factories import OrgUnitFactory, ServicePageFactory
from tests.intake.transactional import start_as_after_a_flush  # noqa: F401 (a fixture)
from tests.redis_check import redis_url, require_redis

REDIS_URL = redis_url(12)


@pytest.fixture(autouse=True, params=["locmem", "redis"])
def page_cache(request, settings):
    settings.PAGE_CACHE_SECONDS = 600
    if request.param == "redis":
        require_redis(REDIS_URL)
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
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


def test_second_anonymous_visit_is_served_from_the_cache(client, service):
    first, html = get(client, service.url)
    assert first[HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second, cached_html = get(client, service.url)
    assert second[HEADER] == "hit"
    assert cached_html == html
    assert len(queries) == 0  # the version comes from the cache with the page
    # The headers the outer middleware add still come with a cached page.
    assert second["Content-Security-Policy"]
    assert second["Content-Type"].startswith("text/html")
    # A reverse proxy or a CDN may keep it briefly too.
    for response in (first, second):
        assert "public" in response["Cache-Control"]
        assert "max-age=60" in response["Cache-Control"]


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


def test_a_restricted_page_is_never_served_from_the_cache(client, service):
    assert get(client, service.url)[0][HEADER] == "miss"
    restriction = PageViewRestriction.objects.create(page=service, restriction_type=PageViewRestriction.LOGIN)
    for _ in range(2):
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


def test_a_lost_version_only_turns_pages_into_misses(client, service):
    get(client, service.url)
    assert get(client, service.url)[0][HEADER] == "hit"
    cache.delete(content_version.KEY)  # evicted or flushed
    assert get(client, service.url)[0][HEADER] == "miss"
    assert cache.get(content_version.KEY)
    assert get(client, service.url)[0][HEADER] == "hit"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("start_as_after_a_flush")
def test_the_version_changes_again_after_the_commit(client, service):
    """A page rendered between the change and its commit (still the old content) is
    stored under the version set by the signal; the version set after the commit drops it."""
    with transaction.atomic():
        service.title = "صدور مجوز تاسیس دهیاری"
        service.save_revision().publish()
        seen_by_signal = cache.get(content_version.KEY)
        assert seen_by_signal
    assert cache.get(content_version.KEY) != seen_by_signal


def test_a_session_visitor_gets_a_fresh_page(client, service):
    """A citizen with a session (the wizard, the follow-up) is never served nor stored."""
    get(client, service.url)
    session = client.session
    session["anything"] = "x"
    session.save()
    client.cookies["sessionid"] = session.session_key
    response, _html = get(client, service.url)
    assert HEADER not in response


def test_an_api_client_with_credentials_is_never_served_a_kept_page(client, service):
    get(client, service.url)
    response, _html = get(client, service.url, HTTP_AUTHORIZATION="Bearer x")
    assert HEADER not in response


def test_a_no_store_page_is_never_kept(client, home):
    from intake.models import IntakePage

    intake = IntakePage(title="ثبت درخواست ارباب رجوع", slug="request")
    home.add_child(instance=intake)
    intake.save_revision().publish()
    for _ in range(2):
        response = client.get(intake.url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert HEADER not in response


def test_a_response_that_used_the_csp_nonce_or_wrote_the_session_is_never_kept(rf):
    from csp.middleware import CheckableLazyObject
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    from portal.pagecache import PageCacheMiddleware

    middleware = PageCacheMiddleware(lambda request: HttpResponse("x"))

    def request_for(nonce_used=False, session_written=False):
        request = rf.get("/")
        request.csp_nonce = CheckableLazyObject(lambda: "nonce")
        if nonce_used:
            str(request.csp_nonce)
        request.session = SessionStore()
        if session_written:
            request.session["x"] = 1
        return request

    assert middleware.storable(request_for(), HttpResponse("x"))
    assert not middleware.storable(request_for(nonce_used=True), HttpResponse("x"))
    assert not middleware.storable(request_for(session_written=True), HttpResponse("x"))
