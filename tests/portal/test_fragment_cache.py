"""{% contentcache %} (portal.templatetags.contentcache): a service page's body is kept
per content generation, so a page the page cache does not serve is rendered without
the facets' queries; any change to public content (the page, an officer, a document)
shows at once, and previews are never kept."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from services.models import ServiceDocument, ServiceOfficer
from tests.factories import OfficerFactory, OrgUnitFactory, ServicePageFactory


@pytest.fixture(autouse=True)
def fragments(settings):
    settings.PAGE_CACHE_SECONDS = 0  # whole pages rendered every time
    settings.FRAGMENT_CACHE_SECONDS = 600
    settings.PAGE_CACHE_PREPARE = "search.services.prepare_request"
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


def render(client, page):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_body_is_rendered_once_per_generation(client, service, settings):
    first, _queries = render(client, service)  # the body is kept, the route remembered
    render(client, service)  # the page itself remembered
    second, kept_queries = render(client, service)
    assert second == first
    assert "مریم احمدی" in second
    settings.FRAGMENT_CACHE_SECONDS = 0
    third, rendered_queries = render(client, service)
    assert third == first
    # The facets' rows (inquiries, steps, officers, FAQs, rules, documents), the unit
    # and the parent page are not read when the body is kept.
    assert kept_queries <= rendered_queries - 8


def test_without_the_fragment_cache_every_render_reads_the_facets(client, service, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    render(client, service)  # the route is remembered from now on
    render(client, service)  # and the page itself
    _html, second_queries = render(client, service)
    _html, third_queries = render(client, service)
    assert third_queries == second_queries >= 8


def test_an_officer_or_page_edit_shows_at_once(client, service):
    render(client, service)
    officer = ServiceOfficer.objects.get(page=service).officer
    officer.full_name = "زهرا کریمی"
    officer.save()
    html, _queries = render(client, service)
    assert "زهرا کریمی" in html and "مریم احمدی" not in html

    service.title = "صدور مجوز تاسیس دهیاری"
    service.save_revision().publish()
    assert "صدور مجوز تاسیس دهیاری" in render(client, service)[0]


def test_a_replaced_document_shows_its_new_address_at_once(client, service):
    document = get_document_model().objects.create(
        title="فرم", file=ContentFile(b"%PDF-1.4", name="form-a.pdf")
    )
    ServiceDocument.objects.create(page=service, document=document, title="فرم درخواست")
    service.save_revision().publish()
    assert "form-a" in render(client, service)[0]
    document.file = ContentFile(b"%PDF-1.4 v2", name="form-b.pdf")
    document.save()
    html, _queries = render(client, service)
    assert "form-b" in html and "form-a" not in html


def test_a_preview_is_never_kept(client, service):
    render(client, service)
    service.title = "عنوان پیش‌نویس"
    service.save_revision()
    editor = get_user_model().objects.create_superuser("editor", "editor@example.invalid", "pass")
    client.force_login(editor)
    preview = client.get(f"/admin/pages/{service.pk}/view_draft/")
    assert "عنوان پیش‌نویس" in preview.content.decode()
    client.logout()
    assert "عنوان پیش‌نویس" not in render(client, service)[0]


def test_no_generation_on_the_request_renders_afresh(rf):
    template = Template('{% load contentcache %}{% contentcache "x" n %}{{ n }}{% endcontentcache %}')
    request = rf.get("/")
    assert template.render(Context({"request": request, "n": 1})) == "1"
    assert template.render(Context({"request": request, "n": 2})) == "2"
    request.content_generation = "g1"
    assert template.render(Context({"request": request, "n": 3, "m": 0})) == "3"


def test_the_name_must_be_quoted():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load contentcache %}{% contentcache name %}{% endcontentcache %}")


def test_local_fragments_are_kept_in_memory_per_generation(rf):
    """`local`: kept in this process's memory (not Django's cache), per generation."""
    template = Template('{% load contentcache %}{% contentcache "x" local %}{{ n }}{% endcontentcache %}')
    request = rf.get("/")
    request.content_generation = "local-g1"
    assert template.render(Context({"request": request, "n": 1})) == "1"
    cache.clear()
    assert template.render(Context({"request": request, "n": 2})) == "1"  # kept, not in the cache
    request.content_generation = "local-g2"  # any change to public content
    assert template.render(Context({"request": request, "n": 3})) == "3"


def test_the_frame_of_every_page_follows_the_portal_settings(client, service):
    """The head, header and footer of the base template are kept per generation: the
    portal's name changed in the site settings shows on the next page at once, and
    the dashboard menu marks the current page on each page."""
    from home.models import PortalSettings

    html, _queries = render(client, service)
    site_settings = PortalSettings.for_site(service.get_site())
    site_settings.organisation_name = "استانداری نمونه"
    site_settings.save()
    html, _queries = render(client, service)
    assert html.count("استانداری نمونه") >= 2  # header and footer
    search = client.get("/search/?query=مجوز").content.decode()
    assert 'type="search"' in search and 'value="مجوز"' in search
    assert "استانداری نمونه" in search
