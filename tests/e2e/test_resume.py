"""«ذخیره و ادامه در زمانی دیگر» in real browsers: a citizen stops on step 3 with a
file, confirms a mobile with the SMS code, and opens the SMS's link in a fresh
browser, which goes on at step 4 with the text and the file kept (issue 19)."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from intake import sms
from tests.e2e.test_wizard import SERVICE, UNIT, next_step, small_pdf


@pytest.fixture
def demo(transactional_db, settings):
    settings.SMS_BACKEND = "intake.sms.MemoryBackend"
    sms.outbox.clear()
    call_command("load_demo", "--no-index", verbosity=0)
    yield
    sms.outbox.clear()


def test_a_draft_goes_on_in_a_fresh_browser(page, browser, live_server, demo, outside_requests, tmp_path):
    page.goto(live_server.url + "/request/")
    page.get_by_label("واحد سازمانی").select_option(label=UNIT)
    page.get_by_label("نوع خدمت").select_option(label=SERVICE)
    page.get_by_label("قوانین و آیتم ها را مطالعه نموده ام و موافقم").check()
    next_step(page)
    next_step(page)
    page.get_by_label("متن درخواست").fill("لطفاً عملکرد دهیاری روستای ۱۲ را بررسی کنید.")
    next_step(page)
    page.get_by_label("فایل پیوست ۱").set_input_files(str(small_pdf(tmp_path)))
    next_step(page, "ذخیره و ادامه در زمانی دیگر")

    expect(page.get_by_role("heading", level=1)).to_have_text("ذخیره و ادامه در زمانی دیگر")
    page.get_by_label("تلفن همراه").fill("۰۹۱۲۱۲۳۴۵۶۷")
    next_step(page, "ارسال کد تایید")
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group(0)
    page.get_by_label("کد تایید پیامک‌شده").fill(code)
    next_step(page, "دریافت پیوند ادامه")
    expect(page.get_by_role("status")).to_contain_text("پیوند ادامه ثبت درخواست به شماره")
    link = re.search(r"https?://\S+/request/resume/\S+/", sms.outbox[-1][1]).group(0)

    fresh = browser.new_context(locale="fa-IR", viewport={"width": 360, "height": 780})
    try:
        other = fresh.new_page()
        other.goto(link)
        next_step(other, "ادامه ثبت درخواست")
        stepper = other.get_by_role("navigation", name="مراحل ثبت درخواست")
        expect(stepper.locator('[aria-current="step"]')).to_contain_text("مشخصات ارباب رجوع")
        other.goto(live_server.url + "/request/step/3/")
        expect(other.get_by_text("نامه.pdf").first).to_be_visible()
        other.goto(live_server.url + "/request/step/2/")
        # Kept as stored: canonical digits (the Farsi-digits font still shows ۱۲).
        expect(other.get_by_label("متن درخواست")).to_have_value(re.compile(r"روستای 12 را بررسی کنید"))

        # Used once: the same link, opened again, says so.
        other.goto(link)
        expect(other.get_by_role("alert")).to_contain_text("پیش‌تر یک بار به کار رفته است")
    finally:
        fresh.close()
    assert not outside_requests
