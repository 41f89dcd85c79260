"""A citizen searches from the header: autocomplete suggestions, the service-ID
shortcut and the results page, in a real browser on a phone-sized screen."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

SEED_TITLE = "نظارت و ارزیابی عملکرد شهرداریها و دهیاریهای کشور"
SEARCH_LABEL = "جستجو در خدمات و صفحه‌ها"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def test_pick_an_autocomplete_suggestion_and_land_on_the_service(page, live_server, demo, outside_requests):
    page.goto(live_server.url + "/")
    box = page.get_by_role("combobox", name=SEARCH_LABEL)
    # An Arabic keyboard types ي; the suggestion list still finds the دهیاری services.
    box.press_sequentially("نظارت دهياري", delay=30)
    suggestions = page.get_by_role("listbox", name="پیشنهادها")
    option = suggestions.get_by_role("option", name=re.compile(SEED_TITLE))
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    option.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
    assert outside_requests == []


def test_keyboard_alone_picks_a_suggestion(page, live_server, demo):
    page.goto(live_server.url + "/")
    box = page.get_by_role("combobox", name=SEARCH_LABEL)
    box.focus()
    box.press_sequentially("۱۰۰۱۲۱۳۵", delay=30)  # Persian digits: three services start so
    expect(page.get_by_role("option")).to_have_count(3)
    box.press_sequentially("۰۰۰", delay=30)
    expect(page.get_by_role("option")).to_have_count(1)
    box.press("ArrowDown")
    expect(page.get_by_role("option", name=re.compile(SEED_TITLE))).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)


def test_typing_a_service_id_and_searching_opens_the_service(page, live_server, demo):
    page.goto(live_server.url + "/")
    box = page.get_by_role("combobox", name=SEARCH_LABEL)
    box.fill("۱۰۰۱۲۱۳۵۰۰۰")
    page.get_by_role("search").get_by_role("button", name="جستجو").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)


def test_results_page_and_no_result_state(page, live_server, demo):
    page.goto(live_server.url + "/search/?query=" + "دهياري")
    expect(page.get_by_role("heading", level=1)).to_have_text("جستجو")
    expect(page.get_by_role("link", name=SEED_TITLE)).to_be_visible()
    expect(page.get_by_text("۱۰۰۱۲۱۳۵۰۰۰")).to_be_visible()
    page.get_by_label("عبارت جستجو").fill("ققنوس")
    page.get_by_label("عبارت جستجو").press("Enter")
    expect(page.get_by_text("نتیجه‌ای یافت نشد", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="لیست خدمات").last).to_be_visible()
