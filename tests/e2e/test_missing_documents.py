"""Two-way follow-up in a real browser (issue 19): staff ask for a document with a
note, the citizen unlocks /track/ with the SMS code and answers with a file, staff
see «پاسخ شهروند» and the file, issue a response naming another unit for
objections, the citizen objects with a file, and the objection arrives at that
unit with the original response."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from intake.models import RequestAttachment, ServiceRequest
from intake.sms import outbox
from portal.persian import to_persian_digits
from services.demo import RURAL, STATISTICS
from services.models import ServicePage
from tests.intake.files import pdf_bytes
from tests.intake.requests import make_request

ASKED = "لطفاً تصویر سند مالکیت را بفرستید."
ANSWER = "تصویر سند مالکیت پیوست شد."
OBJECTION = "به رد درخواست اعتراض دارم؛ سند تازه پیوست است."


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    call_command("load_demo", "--no-index", verbosity=0)
    settings.FOLLOWUP_OTP_REQUIRED = True
    settings.SMS_BACKEND = "intake.sms.MemoryBackend"
    outbox.clear()
    service = ServicePage.objects.filter(unit__name=RURAL).order_by("path").first()
    document = tmp_path / "sanad.pdf"
    document.write_bytes(pdf_bytes())
    return make_request(service, national_code="0013542419"), document


def sign_in(page, live_server, user="desk1"):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("نام کاربری").fill(user)
    page.get_by_label("گذرواژه").fill(f"{user}-demo-1405")  # the demo users' passwords
    page.get_by_role("button", name="ورود").click()
    page.wait_for_load_state("load")


def look_up_on_a_phone(page, live_server, code):
    """A fresh phone browser that looked the code up (not unlocked yet)."""
    citizen = page.context.browser.new_context(viewport={"width": 360, "height": 800}, locale="fa-IR")
    phone = citizen.new_page()
    phone.goto(live_server.url + "/track/")
    phone.get_by_label("کد پیگیری خود را وارد نمایید :").fill(code)
    phone.get_by_role("main").get_by_role("button", name="جستجو").click()
    return citizen, phone


def unlock(phone):
    """The identity check: the national code, then the SMS code."""
    phone.get_by_role("link", name="تایید هویت").click()
    phone.get_by_label("کد ملی").fill("۰۰۱۳۵۴۲۴۱۹")
    phone.get_by_role("button", name="تایید", exact=True).click()
    otp = re.search(r"\d{6}", [text for _, text in outbox if "کد تایید" in text][-1]).group(0)
    phone.get_by_label("کد تایید پیامک‌شده").fill(to_persian_digits(otp))
    phone.get_by_role("button", name="تایید کد").click()


def test_documents_answer_response_objection_other_unit(page, live_server, demo, outside_requests):
    req, document = demo
    code = to_persian_digits(req.tracking_code)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/requests/{req.pk}/")
    status_form = page.locator("#form-status")
    status_form.get_by_label("وضعیت جدید").select_option(label="در انتظار تکمیل مدارک")
    # Without a note the form says what is missing, on the field.
    status_form.get_by_role("button", name="ثبت تغییر وضعیت").click()
    expect(page.get_by_text("بنویسید چه مدارک").first).to_be_visible()
    assert ServiceRequest.objects.get(pk=req.pk).status == "received"
    status_form = page.locator("#form-status")
    status_form.get_by_label("وضعیت جدید").select_option(label="در انتظار تکمیل مدارک")
    status_form.get_by_label("توضیح برای شهروند").fill(ASKED)
    status_form.get_by_role("button", name="ثبت تغییر وضعیت").click()
    expect(page.locator("#current-status")).to_have_text("در انتظار تکمیل مدارک")
    told = [text for _, text in outbox if "در انتظار تکمیل مدارک" in text]
    assert told and "ارسال مدارک و پاسخ" in told[-1]

    # The citizen, on a phone.
    citizen, phone = look_up_on_a_phone(page, live_server, code)
    expect(phone.locator("#current-status")).to_have_text("در انتظار تکمیل مدارک")
    expect(phone.get_by_role("button", name="ارسال مدارک و پاسخ")).to_have_count(0)  # not unlocked yet
    unlock(phone)
    expect(phone.locator("#asked-note")).to_contain_text(ASKED)
    phone.get_by_label("متن پاسخ").fill(ANSWER)
    phone.locator("input[name=file1]").set_input_files(str(document))
    phone.get_by_role("button", name="ارسال مدارک و پاسخ").click()
    expect(phone.get_by_text("پاسخ و مدارک شما ثبت شد")).to_be_visible()
    expect(phone.locator("#current-status")).to_have_text("در حال بررسی")
    expect(phone.get_by_role("button", name="ارسال مدارک و پاسخ")).to_have_count(0)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    citizen.close()

    # Staff see it flagged, with the file.
    page.goto(live_server.url + "/admin/requests/?view=answered")
    expect(page.get_by_role("link", name=code)).to_be_visible()
    expect(page.locator(".desk-citizen-answer").first).to_have_text("پاسخ شهروند")
    page.get_by_role("link", name=code).click()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    attachment = RequestAttachment.objects.get(request=req)
    assert attachment.event.kind == "citizen_answer"
    link = page.locator(f'a[href="/admin/requests/{req.pk}/attachments/{attachment.pk}/"]').first
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read().startswith(b"%PDF")

    # Staff answer, naming another unit to hear objections, within five working days.
    page.get_by_role("tab", name="پاسخ رسمی").click()
    response_form = page.locator("#form-response")
    response_form.get_by_label("مستندات قانونی و استدلال های منجر به پاسخ ارائه شده").fill("ماده ۵ آیین‌نامه")
    response_form.get_by_label("مفاد اصلی پاسخ").fill("سند فرستاده‌شده کافی نیست؛ درخواست پذیرفته نشد.")
    response_form.get_by_label("اعلام مرجع و مهلت اعتراض به پاسخ (تصمیم)").fill("دفتر آمار، پنج روز کاری")
    response_form.get_by_label("مرجع رسیدگی به اعتراض").select_option(label=STATISTICS)
    response_form.get_by_label("مهلت اعتراض (روز کاری)").fill("۵")
    response_form.get_by_role("button", name="صدور پاسخ رسمی").click()
    expect(page.locator("#current-status")).to_have_text("پاسخ داده شده")
    official = ServiceRequest.objects.get(pk=req.pk).responses.get()
    assert official.objection_unit.name == STATISTICS

    # The citizen objects, from another phone session, with a file.
    citizen, phone = look_up_on_a_phone(page, live_server, code)
    unlock(phone)
    phone.get_by_role("link", name="مشاهده پاسخ رسمی").click()
    objection = phone.locator("#objection")
    expect(objection).to_contain_text(STATISTICS)
    expect(objection).to_contain_text("مهلت اعتراض")
    phone.get_by_role("button", name="ثبت اعتراض").click()  # no text: the form says so
    expect(phone.get_by_role("alert")).to_contain_text("متن اعتراض را بنویسید")
    phone.get_by_label("متن اعتراض").fill(OBJECTION)
    phone.locator("input[name=file1]").set_input_files(str(document))
    phone.get_by_role("button", name="ثبت اعتراض").click()
    expect(phone.get_by_role("heading", name="رسید اعتراض شما")).to_be_visible()
    filed = ServiceRequest.objects.get(objection_to=official)
    expect(phone.get_by_text(to_persian_digits(filed.tracking_code)).first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    citizen.close()

    # It arrives at the other unit, with the response it objects to.
    page.context.clear_cookies()
    sign_in(page, live_server, "desk2")
    page.goto(live_server.url + "/admin/requests/?view=new")
    objection_code = to_persian_digits(filed.tracking_code)
    page.get_by_role("link", name=objection_code).click()
    expect(page.get_by_text(OBJECTION)).to_be_visible()
    expect(page.get_by_role("heading", name="پاسخ مورد اعتراض")).to_be_visible()
    expect(page.get_by_text("سند فرستاده‌شده کافی نیست؛ درخواست پذیرفته نشد.")).to_be_visible()
    expect(page.locator("#objected-response-number")).to_have_text(to_persian_digits(official.number))
    assert outside_requests == []
