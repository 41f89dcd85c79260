"""Keyboard only: a day of each demo staff role in the admin, without a pointer
(issue 18). Every control is reached with Tab, links and buttons are followed with
Enter, a <select> changes with the arrow keys. The page is never clicked.

- the desk clerk signs in, opens «درخواست‌ها» from the menu, the «جدید» tab, the
  first request, moves it to «در حال بررسی» with a note, and goes on with
  «درخواست بعدی»;
- the manager opens «گزارش درخواست‌ها» from the menu and narrows it to a period;
- the editor changes a page and publishes it from the footer's menu.
"""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.models import Page

from intake.models import ServiceRequest
from tests.e2e.keyboard import press_button, tab_to, type_into

PASSWORDS = {"desk1": "desk1-demo-1405", "manager": "manager-demo-1405", "editor": "editor-demo-1405"}


@pytest.fixture
def demo(transactional_db):
    settings.DESK_DEMO_REQUESTS = True
    call_command("load_demo", "--no-index", "--demo-admin", verbosity=0)


@pytest.fixture
def keyboard_page(browser):
    """A desktop page that fails the test on any pointer event."""
    context = browser.new_context(locale="fa-IR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    pointers = []
    page.expose_function("reportPointer", lambda kind: pointers.append(kind))
    page.add_init_script("document.addEventListener('pointerdown', e => window.reportPointer(e.type), true);")
    yield page
    context.close()
    assert not pointers, f"the pointer was used: {pointers}"


def follow(page, link):
    tab_to(page, link)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def sign_in(page, base, username):
    page.goto(base + "/admin/login/")
    type_into(page, page.get_by_label("نام کاربری"), username)
    type_into(page, page.get_by_label("گذرواژه"), PASSWORDS[username])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/$"))


def menu_link(page, name):
    return page.locator("#wagtail-sidebar").get_by_role("link", name=name, exact=True)


def test_the_desk_clerk_works_with_the_keyboard(keyboard_page, live_server, demo):
    page = keyboard_page
    sign_in(page, live_server.url, "desk1")
    follow(page, menu_link(page, "درخواست‌ها"))
    follow(page, page.get_by_role("link", name=re.compile(r"^جدید")))
    expect(page).to_have_url(re.compile(r"view=new"))
    first = page.locator("table.listing tbody a[href*='/admin/requests/']").first
    follow(page, first)
    code = page.locator("#tracking-code").text_content()
    req = ServiceRequest.objects.get(
        tracking_code=re.sub(r"\D", "", code.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))
    )
    assert req.status == ServiceRequest.Status.RECEIVED

    status = page.get_by_label("وضعیت جدید")
    tab_to(page, status)
    while status.input_value() != ServiceRequest.Status.IN_REVIEW:
        page.keyboard.press("ArrowDown")
    panel = page.locator("#tab-status")
    type_into(page, panel.get_by_label("توضیح برای شهروند"), "پرونده در دست بررسی است.")
    press_button(page, "ثبت تغییر وضعیت", scope=panel)
    expect(page.locator("#current-status")).to_have_text("در حال بررسی")
    req.refresh_from_db()
    assert req.status == ServiceRequest.Status.IN_REVIEW

    follow(page, page.get_by_role("link", name="درخواست بعدی"))
    expect(page.locator("#tracking-code")).not_to_have_text(code)


def test_the_manager_reads_the_report_with_the_keyboard(keyboard_page, live_server, demo):
    page = keyboard_page
    sign_in(page, live_server.url, "manager")
    follow(page, menu_link(page, "گزارش درخواست‌ها"))
    type_into(page, page.get_by_label("از تاریخ ثبت"), "۱۴۰۵/۰۱/۰۱")
    press_button(page, "نمایش گزارش")
    expect(page.get_by_text(re.compile(r"دوره: از ۱۴۰۵/۰۱/۰۱"))).to_be_visible()


def test_the_editor_publishes_a_page_with_the_keyboard(keyboard_page, live_server, demo):
    page = keyboard_page
    faq = Page.objects.get(slug="faq")
    sign_in(page, live_server.url, "editor")
    page.goto(f"{live_server.url}/admin/pages/{faq.pk}/edit/")
    title = page.get_by_label(re.compile(r"^عنوان"))
    tab_to(page, title)
    page.keyboard.press("End")
    page.keyboard.type(" متداول")
    # The footer's menu is after every field of the page: a long way with Tab alone.
    more = page.get_by_role("button", name="اعمال بیشتر")
    tab_to(page, more, max_tabs=400)
    page.keyboard.press("Enter")
    publish = page.get_by_role("button", name="انتشار", exact=True)
    expect(publish).to_be_visible()
    tab_to(page, publish)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    faq.refresh_from_db()
    assert faq.title.endswith(" متداول") and faq.live
