"""The shell and the catalog on a 360 px phone: the dashboard's first tasks without
opening the menu, pages no wider than the screen, service IDs on one line, radios and
checkboxes at their own size, one search box, and digits drawn in Persian."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

PHONE = {"width": 360, "height": 780}
PAGES = (
    "/",
    "/services/",
    "/services/municipal-evaluation/",
    "/search/?query=دهیاری",
    "/no-such-page/",
)
# Every left-to-right value (IDs, codes) on one line: one box, not two.
SPLIT_LTR_VALUES = """() => [...document.querySelectorAll('.ltr')]
  .filter(el => el.getClientRects().length > 1 || el.getBoundingClientRect().height > 40)
  .map(el => el.textContent)"""
WIDE_CHOICES = """() => {
  const box = document.createElement('div');
  box.innerHTML = '<input type="radio" name="probe"><input type="checkbox">';
  document.querySelector('main').append(box);
  return [...document.querySelectorAll('input[type=radio], input[type=checkbox]')]
    .map(el => el.getBoundingClientRect().width).filter(width => width > 32);
}"""
# Canvas widths of the ten digits in a font: Vazirmatn's Farsi-digits variant draws
# 0-9 as ۰-۹; the "Latin digits" face keeps them Latin.
DIGIT_WIDTHS = """async (family) => {
  await document.fonts.load(`16px "${family}"`, '0123456789');
  const context = document.createElement('canvas').getContext('2d');
  context.font = `16px "${family}"`;
  return [context.measureText('0123456789').width, context.measureText('۰۱۲۳۴۵۶۷۸۹').width];
}"""


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def test_shell_pages_on_a_phone(page, live_server, demo, outside_requests):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    # The two things most citizens come for, in view without opening the folded menu.
    menu_link = page.get_by_role("navigation", name="داشبورد شهروندان").get_by_role("link", name="لیست خدمات")
    expect(menu_link).to_be_hidden()
    start = page.get_by_role("link", name="ثبت درخواست", exact=True)
    follow_up = page.get_by_role("link", name="پیگیری درخواست", exact=True)
    expect(start).to_be_in_viewport()
    expect(follow_up).to_be_in_viewport()
    head = page.get_by_role("heading", name="پیام رئیس سازمان")
    assert follow_up.bounding_box()["y"] < head.bounding_box()["y"]

    for path in PAGES:
        page.goto(live_server.url + path)
        expect(page.locator("h1")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        assert page.evaluate(SPLIT_LTR_VALUES) == [], path
        assert page.evaluate(WIDE_CHOICES) == [], path
        assert page.get_by_role("search").count() == 1, path
    assert outside_requests == []


def test_digits_are_drawn_in_persian_except_where_they_must_stay_latin(page, live_server, demo):
    page.goto(live_server.url + "/services/public-meeting/")
    latin, persian = page.evaluate(DIGIT_WIDTHS, "Vazirmatn")
    assert latin == pytest.approx(persian)  # «10 روز کاری» typed by an editor reads ۱۰
    kept_latin, _persian = page.evaluate(DIGIT_WIDTHS, "Vazirmatn Latin digits")
    assert kept_latin != pytest.approx(latin)  # an email's digits stay as typed
    family = page.locator("bdi.ltr").first.evaluate("el => getComputedStyle(el).fontFamily")
    assert family.startswith('"Vazirmatn Latin digits"')
