"""An editor's change shows at once to citizens, whether the page comes from the page
cache (an anonymous visitor) or is rendered from kept fragments (page cache off): each
content app watches its own models (home, services, cms_pages `AppConfig.ready()`)."""

import pytest
from django.core.cache import cache

from home.models import DashboardMenu, DashboardMenuItem, PortalSettings
from portal import content_version
from portal.pagecache import HEADER
from tests.factories import OrgUnitFactory, ServicePageFactory


@pytest.fixture(autouse=True, params=["page cache", "fragments"])
def kept(request, settings):
    settings.PAGE_CACHE_SECONDS = 600 if request.param == "page cache" else 0
    settings.FRAGMENT_CACHE_SECONDS = 600
    cache.clear()
    yield request.param
    cache.clear()


@pytest.fixture
def service(service_index):
    unit = OrgUnitFactory(name="دفتر ارزیابی عملکرد")
    return ServicePageFactory(parent=service_index, unit=unit, title="صدور مجوز دهیاری")


def visit(client, url, kept):
    """The page twice: the second comes from the page cache or from kept fragments."""
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    if kept == "page cache":
        assert response[HEADER] == "hit"
    return response.content.decode()


def test_a_renamed_unit_shows_at_once(client, service, kept):
    assert "دفتر ارزیابی عملکرد" in visit(client, service.url, kept)
    assert "دفتر ارزیابی عملکرد" in visit(client, service.get_parent().url, kept)
    unit = service.unit
    unit.name = "معاونت توسعه مدیریت"
    unit.save()
    for url in (service.url, service.get_parent().url):
        html = client.get(url).content.decode()
        assert "معاونت توسعه مدیریت" in html and "دفتر ارزیابی عملکرد" not in html


def test_a_menu_item_edit_shows_at_once(client, service, kept):
    menu = DashboardMenu.for_site(service.get_site())
    item = DashboardMenuItem.objects.create(
        menu=menu, label="پیگیری درخواست", link_url="/track/", sort_order=1
    )
    assert ">پیگیری درخواست</a>" in visit(client, "/", kept)
    item.label = "نظرسنجی و پیگیری درخواست"
    item.save()
    assert ">نظرسنجی و پیگیری درخواست</a>" in client.get("/").content.decode()
    DashboardMenuItem.objects.create(
        menu=menu, label="لیست خدمات", link_page=service.get_parent(), sort_order=2
    )
    assert ">لیست خدمات</a>" in client.get(service.url).content.decode()


def test_a_settings_edit_shows_at_once(client, service, kept):
    assert "نسخه ۱.۰.۰" in visit(client, service.url, kept)
    portal = PortalSettings.for_site(service.get_site())
    portal.version = "2.1.0"
    portal.head_message = "به سامانه میز خدمت خوش آمدید."
    portal.save()
    assert "نسخه ۲.۱.۰" in client.get(service.url).content.decode()
    assert "به سامانه میز خدمت خوش آمدید." in client.get("/").content.decode()


def test_settings_made_on_first_use_change_nothing(home):
    before = content_version.current()
    PortalSettings.for_site(home.get_site())  # the row is created with its defaults
    assert content_version.current() == before
