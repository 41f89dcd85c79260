"""The portal's shell as a citizen meets it: the dashboard's first tasks, the menu
marking one place, one search box on the search page with results labelled by kind,
and a 404 in Persian with ways back."""

import re

import pytest
from wagtail.models import Site

from home.models import DashboardMenu, DashboardMenuItem, PortalSettings
from home.templatetags.dashboard import current_index
from portal.persian import to_persian_digits
from tests.factories import (
    InfoPackageIndexPageFactory,
    InfoPackagePageFactory,
    OrgUnitFactory,
    ServicePageFactory,
)

CURRENT = re.compile(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>')


@pytest.fixture(autouse=True)
def fresh_cache(uncached):
    """Every test here reads freshly rendered pages (tests/conftest.py)."""


@pytest.fixture
def menu(home, service_index):
    site = Site.objects.get(is_default_site=True)
    menu = DashboardMenu.for_site(site)
    items = [
        ("لیست خدمات", service_index, ""),
        ("ثبت درخواست ارباب رجوع", None, "/request/"),
        ("نظرسنجی و پیگیری درخواست", None, "/track/"),
        ("مشاهده مراحل گردش کار", None, "/track/workflow/"),
        ("مشاهده سوابق درخواست ها", None, "/track/history/"),
    ]
    for order, (label, page, url) in enumerate(items):
        DashboardMenuItem.objects.create(
            menu=menu, sort_order=order, label=label, link_page=page, link_url=url
        )
    return menu


@pytest.fixture
def service(service_index):
    unit = OrgUnitFactory(name="دفتر برنامه ریزی و مدیریت توسعه روستایی")
    return ServicePageFactory(
        parent=service_index, unit=unit, title="درجه بندی دهیاری های کشور", service_id="10012132000"
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/track/workflow/", "مشاهده مراحل گردش کار"),  # not also «پیگیری» at /track/
        ("/track/", "نظرسنجی و پیگیری درخواست"),
        ("/track/status/", "نظرسنجی و پیگیری درخواست"),
        ("/track/history/", "مشاهده سوابق درخواست ها"),
        ("/request/step/2/", "ثبت درخواست ارباب رجوع"),
    ],
)
def test_the_menu_marks_exactly_one_item_current(client, menu, path, expected):
    html = client.get(path, follow=True).content.decode()
    assert [label for _url, label in CURRENT.findall(html)] == [expected]


def test_a_service_page_marks_the_service_list_only(client, menu, service):
    html = client.get(service.url).content.decode()
    assert [label for _url, label in CURRENT.findall(html)] == ["لیست خدمات"]
    assert CURRENT.findall(client.get("/").content.decode()) == []  # the dashboard is no item


def test_current_index_rules():
    urls = ["/", "/track/", "/track/workflow/", "/track/workflow/", "https://example.org/track/", "/services"]
    assert current_index("/", urls) == 0  # the dashboard only on itself
    assert current_index("/track/workflow/step/", urls) == 2  # the longest, and the first of two
    assert current_index("/trackers/", urls) is None  # a folder, not a prefix of letters
    assert current_index("/services/x/", urls) == 5  # an address without its slash
    assert current_index("/elsewhere/", urls) is None
    assert current_index("/track/", ["/track/?a=b"]) == 0  # an item with a query string


def test_dashboard_starts_with_request_and_tracking_buttons_then_the_heads_message(client, home, menu):
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.head_message = "پیام آزمایشی رئیس"
    settings.save()
    html = client.get(home.url).content.decode()
    main = html[html.index('<main id="main"') :]
    request_button = re.search(r'<a class="button button--primary" href="/request/">ثبت درخواست</a>', main)
    track_button = re.search(r'<a class="button" href="/track/">پیگیری درخواست</a>', main)
    assert request_button and track_button
    assert request_button.start() < track_button.start() < main.index("پیام آزمایشی رئیس")
    # Outside the menu, which a phone shows folded: the buttons are in the page itself.
    assert html.index('class="dashboard"') < html.index('<main id="main"')


def test_search_page_has_one_search_box(client, home, service):
    html = client.get("/search/", {"query": "دهیاری"}).content.decode()
    assert html.count('role="search"') == 1
    assert html.count('type="search"') == 1
    assert 'id="site-search-input"' not in html  # the header's box gives way to the page's
    assert 'id="search-query"' in html and "data-autocomplete-url" in html
    # Every other page keeps the header's box.
    assert 'id="site-search-input"' in client.get(home.url).content.decode()


def test_search_results_are_labelled_by_kind_with_persian_digits(client, home, service):
    packages = InfoPackageIndexPageFactory(parent=home, title="بسته‌های اطلاع رسانی")
    InfoPackagePageFactory(parent=packages, title="بسته اطلاع رسانی دهیاری")
    response = client.get("/search/", {"query": "دهیاری"})
    html = response.content.decode()
    cards = re.findall(r'<li class="card">(.*?)</li>', html, re.S)
    kinds = {
        re.search(r"<h2><a [^>]*>([^<]+)</a></h2>", card).group(1): re.search(
            r'<span class="tag">([^<]+)</span>', card
        ).group(1)
        for card in cards
    }
    assert kinds["درجه بندی دهیاری های کشور"] == "خدمت"
    assert kinds["بسته اطلاع رسانی دهیاری"] == "صفحه"
    count = response.context["result_count"]
    assert count >= 2 and f"{to_persian_digits(count)} نتیجه برای «دهیاری»" in html
    assert '<bdi dir="ltr" class="ltr">۱۰۰۱۲۱۳۲۰۰۰</bdi>' in html


def test_404_in_persian_with_ways_back(client, home, service_index):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>صفحه پیدا نشد</h1>" in html
    assert "<title>صفحه پیدا نشد |" in html
    main = html[html.index('<main id="main"') :]
    assert '<a href="/">داشبورد شهروندان</a>' in main
    assert f'<a href="{service_index.url}">لیست خدمات</a>' in main
    assert '<a href="/search/">جستجو در خدمات و صفحه‌ها</a>' in main
    assert "Not Found" not in html


def test_404_without_a_service_list_still_offers_the_dashboard_and_search(client, home):
    html = client.get("/no-such-page/").content.decode()
    assert "لیست خدمات" not in html
    assert '<a href="/search/">' in html


def test_error_pages_render_without_the_database():
    from django.template import loader

    for name, heading in (("500.html", "خطای سامانه"), ("503.html", "سامانه موقتاً در دسترس نیست")):
        html = loader.get_template(name).render()
        assert f"<h1>{heading}</h1>" in html
        assert '<a href="/">بازگشت به داشبورد شهروندان</a>' in html
