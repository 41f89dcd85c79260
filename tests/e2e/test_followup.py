"""Browser test of the follow-up: a request submitted through the wizard, a staff
response issued through intake.services, and the citizen following it up."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect
from pypdf import PdfReader

from intake import services
from intake.models import ServiceRequest, SurveyResponse
from intake.sms import outbox
from portal.persian import to_persian_digits
from services.models import Officer, ServicePage
from tests.e2e.citizen import answer_citizen_details
from tests.intake.helpers import fill_to_review, step
from tests.intake.requests import default_signer

SERVICE_ID = "10012135000"


@pytest.fixture
def demo(transactional_db, settings):
    call_command("load_demo", "--no-index", verbosity=0)
    settings.FOLLOWUP_OTP_REQUIRED = True
    # The one-time code is only ever in what is sent (the SMS table keeps it masked).
    settings.SMS_BACKEND = "intake.sms.MemoryBackend"
    outbox.clear()


def test_citizen_follows_up_answers_the_survey_and_downloads_the_response(
    page, live_server, demo, outside_requests
):
    service = ServicePage.objects.get(service_id=SERVICE_ID)
    officer = (
        Officer.objects.filter(unit=service.unit, active=True).first()
        or Officer.objects.filter(unit=service.unit).first()
    )
    wizard = Client()
    fill_to_review(wizard, service, officer)
    assert wizard.post(step(6), {"action": "next"}).status_code == 302
    request_obj = ServiceRequest.objects.get()
    services.transition(
        request_obj, "in_review", None, public_note="کارشناس بررسی می‌کند", internal_note="سری-داخلی"
    )
    official = services.issue_response(
        request_obj,
        None,
        legal_grounds="ماده ۵ آیین‌نامه",
        content="با درخواست شما موافقت شد.",
        appeal="دیوان عدالت اداری، ظرف ۳۰ روز",
        notes="—",
        signer=default_signer(),
    )

    page.goto(live_server.url + "/")
    menu = page.get_by_role("navigation", name="داشبورد شهروندان")
    menu.get_by_text("داشبورد شهروندان").click()
    menu.get_by_role("link", name="نظرسنجی و پیگیری درخواست").click()
    expect(page).to_have_url(re.compile(r"/track/$"))
    code = request_obj.tracking_code
    page.get_by_label("کد پیگیری خود را وارد نمایید :").fill(to_persian_digits(f"{code[:8]}-{code[8:]}"))
    page.get_by_role("main").get_by_role("button", name="جستجو").click()
    expect(page.locator("#current-status")).to_have_text("پاسخ داده شده")
    expect(page.get_by_text("کارشناس بررسی می‌کند")).to_be_visible()
    assert "سری-داخلی" not in page.content()

    page.get_by_role("link", name="تایید هویت").click()
    page.get_by_label("کد ملی").fill("۰۴۹۹۳۷۰۸۹۹")
    page.get_by_role("button", name="تایید", exact=True).click()
    otp = re.search(r"\d{6}", [text for _, text in outbox if "کد تایید" in text][-1]).group(0)
    page.get_by_label("کد تایید پیامک‌شده").fill(to_persian_digits(otp))
    page.get_by_role("button", name="تایید کد").click()

    page.get_by_role("link", name="تکمیل فرم نظرسنجی").click()
    expect(page.get_by_role("heading", name="فرم ثبت مشخصات شهروند")).to_be_visible()
    answer_citizen_details(page)
    groups = page.get_by_role("main").locator("fieldset")
    expect(groups).to_have_count(16)
    for index in range(16):
        groups.nth(index).get_by_label("زیاد", exact=True).check()
    page.get_by_role("button", name="ثبت فرم پرسش نامه").click()
    expect(page.get_by_text("پاسخ‌های شما ثبت شد.")).to_be_visible()
    assert SurveyResponse.objects.get(request=request_obj).overall_score == 62.5

    page.get_by_role("link", name="بازگشت به پیگیری درخواست").click()
    page.get_by_role("link", name="مشاهده پاسخ رسمی").click()
    # The letterhead and the response form both carry the number.
    expect(page.get_by_text(to_persian_digits(official.number)).first).to_be_visible()
    expect(page.get_by_text("با درخواست شما موافقت شد.")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="دریافت پاسخ (PDF)").click()
    with open(download_info.value.path(), "rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    persian = to_persian_digits(code)
    assert persian in text or persian[::-1] in text
    assert "سری-داخلی" not in page.content()
    assert outside_requests == []
