"""The follow-up pages on a 360 px phone (issue 17): nothing wider than the screen,
radios their own size, codes and numbers on one line, a compact survey; the history
as cards on a phone and a table on a wide screen."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from intake import sms
from intake.models import ServiceRequest
from portal.persian import to_persian_digits
from services.models import ServicePage
from tests.e2e.citizen import answer_citizen_details
from tests.intake.requests import NATIONAL_CODE, answer, make_request

PHONE = {"width": 360, "height": 780}
WIDE = {"width": 1280, "height": 900}
SURVEY_MAX_HEIGHT = 4500


@pytest.fixture
def answered(transactional_db, settings):
    call_command("load_demo", "--no-index", verbosity=0)
    settings.SMS_BACKEND = "intake.sms.MemoryBackend"
    sms.outbox.clear()
    service = ServicePage.objects.live().filter(workflow_steps__isnull=False).distinct().first()
    request_obj = make_request(service)
    answer(request_obj)
    return ServiceRequest.objects.get(pk=request_obj.pk)


def guards(page, where):
    """The page's width, radios and one-line values at the current viewport."""
    page.wait_for_load_state()
    found = page.evaluate(
        """() => ({
          scroll: document.documentElement.scrollWidth,
          viewport: window.innerWidth,
          wideRadios: [...document.querySelectorAll('input[type=radio], input[type=checkbox]')]
            .filter(e => e.getBoundingClientRect().width > 32).length,
          wrapped: [...document.querySelectorAll('main .ltr')]
            .filter(e => new Set([...e.getClientRects()].map(r => Math.round(r.top))).size > 1)
            .map(e => e.textContent),
        })"""
    )
    assert found["scroll"] <= found["viewport"], (where, found)
    assert found["wideRadios"] == 0, (where, found)
    assert found["wrapped"] == [], (where, found)


def test_follow_up_on_a_phone(page, live_server, answered, outside_requests):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/track/")
    guards(page, "lookup")
    page.get_by_label("کد پیگیری خود را وارد نمایید :").fill("۱۲۳۴")
    page.get_by_role("main").get_by_role("button", name="جستجو").click()
    expect(page.get_by_role("alert").get_by_role("link")).to_have_text(
        "کد پیگیری ۱۶ رقم است؛ رقم‌ها را دوباره بررسی کنید."
    )
    guards(page, "lookup with an error")

    page.get_by_label("کد پیگیری خود را وارد نمایید :").fill(to_persian_digits(answered.tracking_code))
    page.get_by_role("main").get_by_role("button", name="جستجو").click()
    code = page.locator("#tracking-code .code-groups")
    expect(code.locator("span")).to_have_count(4)
    assert code.evaluate("e => new Set([...e.getClientRects()].map(r => Math.round(r.top))).size") == 1
    expect(page.locator('[aria-current="step"]')).to_have_count(0)  # answered: nothing current
    guards(page, "status")

    page.get_by_role("link", name="تایید هویت").click()
    page.get_by_label("کد ملی").fill(NATIONAL_CODE)
    page.get_by_role("button", name="تایید", exact=True).click()
    page.get_by_role("link", name="مشاهده پاسخ رسمی").click()
    expect(page.get_by_role("heading", name="پاسخ رسمی", exact=True)).to_be_visible()
    guards(page, "response")
    page.get_by_role("link", name="بازگشت به پیگیری درخواست").click()

    page.get_by_role("link", name="تکمیل فرم نظرسنجی").click()
    expect(page.get_by_role("heading", name="فرم ثبت مشخصات شهروند")).to_be_visible()
    guards(page, "citizen details")
    page.get_by_role("button", name="ثبت مشخصات شهروند").click()
    expect(page.get_by_role("alert").get_by_role("link")).to_have_count(4)
    guards(page, "citizen details with errors")
    answer_citizen_details(page)

    groups = page.get_by_role("main").locator("fieldset")
    expect(groups).to_have_count(16)
    guards(page, "survey")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= SURVEY_MAX_HEIGHT, height
    for index in range(16):
        if index != 6:
            groups.nth(index).get_by_label("متوسط", exact=True).check()
    page.get_by_role("button", name="ثبت فرم پرسش نامه").click()
    link = page.get_by_role("alert").get_by_role("link")
    expect(link).to_have_text("برای پرسش ۷ یک گزینه انتخاب کنید.")
    assert link.get_attribute("href") == "#id_q7_0"
    guards(page, "survey with an error")
    groups.nth(6).get_by_label("متوسط", exact=True).check()
    page.get_by_role("button", name="ثبت فرم پرسش نامه").click()
    expect(page.get_by_text("پاسخ‌های شما ثبت شد.")).to_be_visible()
    assert outside_requests == []


def test_history_is_cards_on_a_phone_and_a_table_on_a_wide_screen(page, live_server, answered):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/track/history/")
    page.get_by_label("کد ملی").fill(NATIONAL_CODE)
    page.get_by_label("تلفن همراه").fill(answered.mobile)
    page.get_by_role("button", name="ارسال کد تایید").click()
    page.get_by_label("کد تایید پیامک‌شده").fill("۰۰۰۰۰۰")
    page.get_by_role("button", name="تایید کد").click()
    expect(page.get_by_role("alert").get_by_role("link")).to_contain_text("کد تایید نادرست یا منقضی است")
    guards(page, "history code refused")
    code = re.search(r"\d{6}", [text for _, text in sms.outbox if "کد تایید" in text][-1]).group(0)
    page.get_by_label("کد تایید پیامک‌شده").fill(to_persian_digits(code))
    page.get_by_role("button", name="تایید کد").click()
    expect(page.locator(".request-card")).to_have_count(1)
    expect(page.get_by_role("table")).to_be_hidden()
    guards(page, "history list")
    page.set_viewport_size(WIDE)
    expect(page.get_by_role("table")).to_be_visible()
    expect(page.locator(".request-card")).to_be_hidden()
    page.get_by_role("table").get_by_role("button", name=re.compile("پیگیری")).click()
    expect(page.locator("#current-status")).to_have_text("پاسخ داده شده")
