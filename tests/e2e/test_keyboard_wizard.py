"""Keyboard only: a citizen completes the whole wizard without a pointer.

Every control is reached with Tab (so it is in the tab order, visible focus in a
sensible order), buttons are pressed with Enter, the checkbox is ticked with
Space, text is typed, and a <select> is changed with the arrow keys while it has
focus. The page is never clicked. A wrong national code on step 4 shows the
error summary, which takes focus; its link leads (Enter) to the field.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from intake.models import ServiceRequest
from portal.persian import to_persian_digits
from tests.e2e.keyboard import press_button, tab_to, type_into

SERVICE_ID = "10012135000"
SERVICE = "نظارت و ارزیابی عملکرد شهرداریها و دهیاریهای کشور"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--no-index", verbosity=0)


def test_wizard_from_dashboard_to_receipt_with_the_keyboard_alone(page, live_server, demo, outside_requests):
    clicks = []
    page.expose_function("reportPointer", lambda kind: clicks.append(kind))
    page.add_init_script(
        """document.addEventListener('pointerdown', e => window.reportPointer(e.pointerType || 'mouse'), true);"""
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # From the dashboard menu: the collapsed menu opens with Enter, the link follows with Enter.
    page.goto(live_server.url + "/")
    summary = page.locator("summary", has_text="داشبورد شهروندان")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    link = page.get_by_role("navigation", name="داشبورد شهروندان").get_by_role(
        "link", name="ثبت درخواست ارباب رجوع"
    )
    tab_to(page, link)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/request/$"))

    # Choose the service by its ID: leaving the field (Tab) selects the unit and the service.
    type_into(page, page.get_by_label("شناسه خدمت"), SERVICE_ID)
    page.keyboard.press("Tab")
    expect(page.get_by_label("نوع خدمت")).to_have_value(SERVICE_ID)
    expect(page.get_by_label("نوع خدمت").locator("option:checked")).to_have_text(SERVICE)
    agree = page.get_by_label("قوانین و آیتم ها را مطالعه نموده ام و موافقم")
    tab_to(page, agree)
    page.keyboard.press("Space")
    expect(agree).to_be_checked()
    press_button(page, "تایید و ادامه")

    # 1. Intro.
    stepper = page.get_by_role("navigation", name="مراحل ثبت درخواست")
    expect(stepper.locator('[aria-current="step"]')).to_contain_text("پیش مقدمه سامانه")
    press_button(page, "تایید و ادامه")

    # 2. Request text.
    expect(stepper.locator('[aria-current="step"]')).to_contain_text("مشخصات درخواست")
    type_into(page, page.get_by_label("متن درخواست"), "لطفاً عملکرد دهیاری روستای ۱۲ را بررسی کنید.")
    press_button(page, "تایید و ادامه")

    # 3. Attachments are optional.
    expect(stepper.locator('[aria-current="step"]')).to_contain_text("ضمائم درخواست")
    press_button(page, "تایید و ادامه")

    # 4. Citizen details, first with a wrong national code.
    expect(stepper.locator('[aria-current="step"]')).to_contain_text("مشخصات ارباب رجوع")
    type_into(page, page.get_by_label("شماره ملی"), "۱۱۱۱۱۱۱۱۱۱")
    type_into(page, page.get_by_label(re.compile(r"^نام( \*)?$")), "علی")
    type_into(page, page.get_by_label("نام خانوادگی"), "رضایی")
    type_into(page, page.get_by_label("تلفن همراه"), "۰۹۱۲۱۲۳۴۵۶۷")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in a text field submits: the default action is «next»
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("شماره ملی معتبر نیست")
    expect(alert).to_be_focused()
    tab_to(page, alert.get_by_role("link", name=re.compile("شماره ملی")))
    page.keyboard.press("Enter")
    national_code = page.get_by_label("شماره ملی")
    expect(national_code).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("۰۴۹۹۳۷۰۸۹۹")
    press_button(page, "تایید و ادامه")

    # 5. Visit: the officer with the arrow keys, the Jalali date typed.
    expect(stepper.locator('[aria-current="step"]')).to_contain_text("مراجعه")
    officer = page.get_by_label("نام و نام خانوادگی متصدی")
    tab_to(page, officer)
    page.keyboard.press("ArrowDown")
    expect(officer).not_to_have_value("")
    expect(page.locator("#officer-position")).not_to_be_empty()
    type_into(page, page.get_by_label("تاریخ مراجعه"), "۱۴۰۵/۰۹/۰۳")
    type_into(page, page.get_by_label("شرح مراجعه"), "مراجعه حضوری")
    expect(page.get_by_label("تاریخ مراجعه")).to_have_value("۱۴۰۵/۰۹/۰۳")
    press_button(page, "تایید نهایی")

    # 6. Review and submit.
    expect(page.get_by_text("۰۴۹۹۳۷۰۸۹۹")).to_be_visible()
    press_button(page, "ثبت نهایی درخواست")

    # The receipt.
    expect(page.get_by_text("کد پیگیری شما")).to_be_visible()
    request_obj = ServiceRequest.objects.get()
    expect(page.locator("#tracking-code")).to_have_text(to_persian_digits(request_obj.tracking_code))
    assert request_obj.national_code == "0499370899" and request_obj.service_code == SERVICE_ID
    assert request_obj.visit_description == "مراجعه حضوری"
    pdf_link = page.get_by_role("link", name="دریافت رسید (PDF)")
    tab_to(page, pdf_link)
    assert clicks == [], "the page was clicked"
    assert errors == []
    assert outside_requests == []
