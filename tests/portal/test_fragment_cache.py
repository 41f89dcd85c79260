"""Template fragments ({% wagtailcache %} / {% wagtailpagecache %} varied on the content
version): a page the page cache does not serve (page cache off, an editor signed in) is
rendered without reading what a kept fragment holds; any change to public content (the
page, an officer, a document, a setting) shows at once; previews are never kept; and
no fragment opens or closes inside an HTML tag."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from home.models import PortalSettings
from services.models import ServiceDocument, ServiceOfficer
from tests.factories import OfficerFactory, OrgUnitFactory, ServicePageFactory

CACHE_TAG = re.compile(r"{%\s*(?:end)?(?:cache|wagtailcache|wagtailpagecache)\b[^%]*%}")
TEMPLATE_CODE = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)


@pytest.fixture(autouse=True)
def fragments(settings):
    settings.PAGE_CACHE_SECONDS = 0  # whole pages rendered every time
    settings.FRAGMENT_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service(service_index):
    unit = OrgUnitFactory(name="دفتر ارزیابی عملکرد")
    page = ServicePageFactory(parent=service_index, unit=unit, title="صدور مجوز دهیاری")
    officer = OfficerFactory(unit=unit, full_name="مریم احمدی", position="کارشناس")
    ServiceOfficer.objects.create(page=page, officer=officer, responsibility="پاسخ‌گویی")
    return page


def render(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_kept_service_page_reads_none_of_its_facets(client, service, settings):
    first, _queries = render(client, service.url)
    second, kept_queries = render(client, service.url)
    assert second == first
    assert "مریم احمدی" in second
    settings.FRAGMENT_CACHE_SECONDS = 0  # nothing kept from now on
    cache.clear()
    third, rendered_queries = render(client, service.url)
    assert third == first
    # The facets' rows (inquiries, steps, officers, FAQs, rules, documents), the unit,
    # the parent page and the dashboard menu are not read when the fragments are kept.
    assert kept_queries <= rendered_queries - 8


def test_without_fragments_every_render_reads_the_facets(client, service, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    render(client, service.url)
    _html, second_queries = render(client, service.url)
    _html, third_queries = render(client, service.url)
    assert third_queries == second_queries >= 8


def test_an_officer_or_page_edit_shows_at_once(client, service):
    render(client, service.url)
    officer = ServiceOfficer.objects.get(page=service).officer
    officer.full_name = "زهرا کریمی"
    officer.save()
    html, _queries = render(client, service.url)
    assert "زهرا کریمی" in html and "مریم احمدی" not in html

    service.title = "صدور مجوز تاسیس دهیاری"
    service.save_revision().publish()
    assert "صدور مجوز تاسیس دهیاری" in render(client, service.url)[0]


def test_a_replaced_document_shows_its_new_address_at_once(client, service):
    document = get_document_model().objects.create(
        title="فرم", file=ContentFile(b"%PDF-1.4", name="form-a.pdf")
    )
    ServiceDocument.objects.create(page=service, document=document, title="فرم درخواست")
    assert "form-a" in render(client, service.url)[0]
    document.file = ContentFile(b"%PDF-1.4 v2", name="form-b.pdf")
    document.save()
    html, _queries = render(client, service.url)
    assert "form-b" in html and "form-a" not in html


def test_a_preview_is_never_kept(client, service):
    render(client, service.url)
    service.title = "عنوان پیش‌نویس"
    service.save_revision()
    editor = get_user_model().objects.create_superuser("editor", "editor@example.invalid", "pass")
    client.force_login(editor)
    preview = client.get(f"/admin/pages/{service.pk}/view_draft/")
    assert "عنوان پیش‌نویس" in preview.content.decode()
    client.logout()
    assert "عنوان پیش‌نویس" not in render(client, service.url)[0]


def test_the_frame_follows_the_portal_settings_and_keeps_the_search_box_personal(client, service):
    """The portal settings are kept per content version: the organisation's name
    changed shows on the next page at once; what a citizen typed in the search box is
    never kept for the next visitor."""
    render(client, service.url)
    site_settings = PortalSettings.for_site(service.get_site())
    site_settings.organisation_name = "استانداری نمونه"
    site_settings.save()
    html, _queries = render(client, service.url)
    assert html.count("استانداری نمونه") >= 2  # header and footer
    search = client.get("/search/?query=مجوز").content.decode()
    assert 'type="search"' in search and 'value="مجوز"' in search
    assert "استانداری نمونه" in search
    again = client.get("/search/?query=دهیاری").content.decode()
    assert 'value="دهیاری"' in again and 'value="مجوز"' not in again


def test_the_menu_marks_the_current_page_on_each_page(client, service):
    from home.models import DashboardMenu, DashboardMenuItem

    menu = DashboardMenu.for_site(service.get_site())
    DashboardMenuItem.objects.create(
        menu=menu, label="لیست خدمات", link_page=service.get_parent(), sort_order=1
    )
    DashboardMenuItem.objects.create(menu=menu, label="پیگیری درخواست", link_url="/track/", sort_order=2)
    for _ in range(2):  # rendered, then from the fragment
        home = render(client, "/")[0]
        assert 'aria-current="page"' not in home
        page = render(client, service.url)[0]
        assert 'aria-current="page">لیست خدمات</a>' in page
        assert page.count('aria-current="page"') == 1


def test_no_fragment_opens_or_closes_inside_an_html_tag():
    """A fragment kept for everyone must hold whole elements' tags: one that closes in
    the middle of an <input> would keep half a tag and serve it with another's value."""
    root = Path(django_settings.BASE_DIR) / "templates"
    checked = 0
    for path in root.rglob("*.html"):
        text = path.read_text()
        for match in CACHE_TAG.finditer(text):
            before = TEMPLATE_CODE.sub("", text[: match.start()])
            assert before.rfind("<") < before.rfind(">") or "<" not in before, (
                f"{path.relative_to(root)}: {match.group()} inside an HTML tag"
            )
            checked += 1
    assert checked >= 6  # base.html, the dashboard, the service list and a service page
