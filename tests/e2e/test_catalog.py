"""A citizen on a phone browses the dashboard, the service list and a service."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.labels import FACET_LABELS as FACETS
from tests.test_load_demo import MENU_LABELS


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--no-index", verbosity=0)


def test_dashboard_list_and_service_facets(page, live_server, demo, outside_requests):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    menu = page.get_by_role("navigation", name="داشبورد شهروندان")
    # On a phone the menu is collapsed; the citizen opens it.
    expect(menu.get_by_role("link", name="لیست خدمات")).to_be_hidden()
    menu.get_by_text("داشبورد شهروندان").click()
    links = menu.get_by_role("link")
    expect(links).to_have_text(MENU_LABELS)
    expect(page.get_by_text("نسخه ۱.۰.۰")).to_be_visible()

    menu.get_by_role("link", name="لیست خدمات").click()
    expect(page.get_by_role("heading", level=1, name="لیست خدمات")).to_be_visible()
    # Filter by unit without JavaScript semantics: a plain GET form.
    page.get_by_label("واحد سازمانی").select_option(label="دفتر برنامه ریزی و مدیریت توسعه روستایی")
    page.get_by_role("button", name="نمایش").click()
    expect(page.get_by_role("link", name="درجه بندی دهیاری های کشور")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("نظارت و ارزیابی"))).to_have_count(0)
    page.get_by_label("واحد سازمانی").select_option(label="همه واحدها")
    page.get_by_role("button", name="نمایش").click()

    page.get_by_role("link", name="نظارت و ارزیابی عملکرد شهرداریها و دهیاریهای کشور").click()
    expect(page.get_by_text("۱۰۰۱۲۱۳۵۰۰۰").first).to_be_visible()
    facet_nav = page.get_by_role("navigation", name="جنبه‌های خدمت")
    for facet in FACETS:
        facet_nav.get_by_role("link", name=facet, exact=True).click()
        heading = page.get_by_role("heading", level=2, name=facet, exact=True)
        expect(heading).to_be_visible()
        expect(heading).to_be_in_viewport()
    page.get_by_text("مدت زمان انجام").first.click()  # a FAQ disclosure opens
    expect(page.get_by_text("روز کاری پس از تکمیل مدارک").first).to_be_visible()
    expect(page.get_by_role("link", name="ثبت درخواست", exact=True)).to_have_attribute(
        "href", "/request/?service=10012135000"
    )
    # The page is usable on a 390 px phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert outside_requests == []


def test_keyboard_alone_skip_link_menu_and_service_list(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="پرش به محتوای اصلی")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.goto(live_server.url + "/")
    summary = page.locator("summary", has_text="داشبورد شهروندان")
    for _ in range(10):  # skip link, brand, search box, search button, then the menu
        page.keyboard.press("Tab")
        if summary.evaluate("element => element === document.activeElement"):
            break
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")  # opens the collapsed menu
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="لیست خدمات")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="لیست خدمات")).to_be_visible()


def test_pages_fit_a_360px_phone(page, live_server, demo, outside_requests):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in (
        "/",
        "/services/",
        "/services/dehyari-establishment/",
        "/info/",
        "/info/request-guide/",
        "/rules/",
        "/rules/dehyari-law/",
        "/faq/",
        "/required-forms/",
        "/map-request/",
        "/statisticians/",
        "/rules-form/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        expect(page.locator("h1")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        # Vazirmatn is served by the portal itself and actually used.
        assert page.evaluate("document.fonts.check('16px Vazirmatn')"), path
    assert outside_requests == []
