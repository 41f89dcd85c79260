"""A citizen on a phone registers a request from the dashboard menu to the receipt."""

import io
import random
import re

import pytest
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from intake.models import ServiceRequest
from portal.persian import to_persian_digits
from services.models import ServicePage

SERVICE = "نظارت و ارزیابی عملکرد شهرداریها و دهیاریهای کشور"
UNIT = "دفتر ارزیابی عملکرد، بازرسی و پاسخگویی به شکایات"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--no-index", verbosity=0)


def big_photo(tmp_path):
    """A noisy JPEG well over 80 KB (the browser must scale it down)."""
    rng = random.Random(3)
    image = Image.new("RGB", (700, 700))
    image.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(700 * 700)])
    path = tmp_path / "عکس مدرک.jpg"
    image.save(path, format="JPEG", quality=95)
    assert path.stat().st_size > 81_920
    return path


def small_pdf(tmp_path):
    from tests.intake.files import pdf_bytes

    path = tmp_path / "نامه.pdf"
    path.write_bytes(pdf_bytes())
    return path


def next_step(page, name="تایید و ادامه"):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state("load")


def test_whole_journey_in_persian(page, live_server, demo, outside_requests, tmp_path):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/")
    menu = page.get_by_role("navigation", name="داشبورد شهروندان")
    menu.get_by_text("داشبورد شهروندان").click()
    menu.get_by_role("link", name="ثبت درخواست ارباب رجوع").click()
    page.wait_for_load_state("load")
    expect(page).to_have_url(re.compile(r"/request/$"))

    # Choose the service: the unit's services only, the ID follows, facets open in place.
    page.get_by_label("واحد سازمانی").select_option(label=UNIT)
    service_select = page.get_by_label("نوع خدمت")
    offered = ServicePage.objects.live().filter(unit__name=UNIT, accepts_online_requests=True).count()
    assert offered < ServicePage.objects.live().count()
    expect(service_select.locator("option")).to_have_count(offered + 1)
    service_select.select_option(label=SERVICE)
    expect(page.get_by_label("شناسه خدمت")).to_have_value("10012135000")
    page.get_by_text("گردش کار", exact=True).click()
    expect(page.locator("details.facet[open]")).to_have_count(1)
    next_step(page)
    expect(
        page.get_by_text("برای ادامه باید قوانین را مطالعه کرده و با آن موافقت کنید.").first
    ).to_be_visible()
    page.get_by_label("قوانین و آیتم ها را مطالعه نموده ام و موافقم").check()
    next_step(page)

    # 1. Intro.
    stepper = page.get_by_role("navigation", name="مراحل ثبت درخواست")
    expect(stepper.locator('[aria-current="step"]')).to_contain_text("پیش مقدمه سامانه")
    expect(page.get_by_text("ابوالفضل یاری").first).to_be_visible()
    next_step(page)

    # 2. Request details.
    expect(stepper.locator('[aria-current="step"]')).to_contain_text("مشخصات درخواست")
    expect(page.get_by_label("شناسه خدمت")).to_have_value("10012135000")
    page.get_by_label("متن درخواست").fill("لطفاً عملکرد دهیاری روستای ۱۲ را بررسی کنید.")
    page.reload()  # refreshing keeps what was typed
    expect(page.get_by_label("متن درخواست")).to_have_value("لطفاً عملکرد دهیاری روستای ۱۲ را بررسی کنید.")
    next_step(page)

    # 3. Two attachments; the large photo is scaled down in the browser.
    first, second = page.get_by_label("فایل پیوست ۱"), page.get_by_label("فایل پیوست ۲")
    first.set_input_files(str(big_photo(tmp_path)))
    expect(first).to_have_attribute("data-resized", "true")
    expect(page.locator("#id_file1_name")).to_have_text("فایل انتخاب‌شده: عکس مدرک.jpg")
    second.set_input_files(str(small_pdf(tmp_path)))
    expect(page.locator("#id_file2_name")).to_have_text("فایل انتخاب‌شده: نامه.pdf")
    next_step(page)
    expect(stepper.locator('[aria-current="step"]')).to_contain_text("مشخصات ارباب رجوع")

    # 4. Citizen details with Persian digits; a wrong code first.
    page.get_by_label("شماره ملی").fill("۱۱۱۱۱۱۱۱۱۱")
    page.get_by_label(re.compile(r"^نام( \*)?$")).fill("علي")
    page.get_by_label("نام خانوادگی").fill("رضايی")
    page.get_by_label("تلفن همراه").fill("۰۹۱۲ ۱۲۳ ۴۵۶۷")
    next_step(page)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("شماره ملی معتبر نیست")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name=re.compile("شماره ملی")).click()
    expect(page.get_by_label("شماره ملی")).to_be_focused()
    page.get_by_label("شماره ملی").fill("۰۴۹۹۳۷۰۸۹۹")
    next_step(page)

    # 5. Visit: unit shown, officer with position, Jalali date typed in Persian digits.
    expect(page.get_by_label("نام واحد سازمانی")).to_have_text(UNIT)
    page.get_by_label("نام و نام خانوادگی متصدی").select_option(
        label="فاطمه حسینی — کارشناس رسیدگی به شکایات"
    )
    expect(page.locator("#officer-position")).to_have_text("کارشناس رسیدگی به شکایات")
    date = page.get_by_label("تاریخ مراجعه")
    date.click()
    expect(page.locator("jdp-container")).to_be_visible()  # the self-hosted Jalali calendar
    date.fill("۱۴۰۵/۰۹/۰۳")
    page.keyboard.press("Escape")  # the keyboard closes the calendar; the typed date stays
    page.wait_for_timeout(400)  # past the picker's own 300 ms opening timer
    expect(page.locator("jdp-container")).to_be_hidden()
    expect(date).to_have_value("۱۴۰۵/۰۹/۰۳")
    page.get_by_label("نتیجه مراجعه قبلی در صورت وجود").select_option(index=1)
    page.get_by_label("شرح مراجعه").fill("مراجعه حضوری")
    next_step(page, "تایید نهایی")

    # 6. Review and submit.
    expect(
        page.get_by_text("کاربر محترم بعد از ثبت نهایی درخواست کد پیگیری به شما داده میشود")
    ).to_be_visible()
    expect(page.get_by_text("۰۴۹۹۳۷۰۸۹۹")).to_be_visible()
    expect(page.get_by_text("۱۴۰۵/۰۹/۰۳")).to_be_visible()
    next_step(page, "ثبت نهایی درخواست")

    # The receipt.
    expect(page.get_by_text("کد پیگیری شما")).to_be_visible()
    request_obj = ServiceRequest.objects.get()
    code = to_persian_digits(request_obj.tracking_code)
    expect(page.locator("#tracking-code")).to_have_text(code)
    expect(page.get_by_role("heading", name="رسید خدمت")).to_be_visible()
    expect(page.get_by_text("پیامک کد پیگیری به شماره ۰۹۱۲۱۲۳۴۵۶۷ ارسال شد.")).to_be_visible()
    assert request_obj.first_name == "علی" and request_obj.last_name == "رضایی"
    assert request_obj.national_code == "0499370899" and request_obj.mobile == "09121234567"
    attachments = list(request_obj.attachments.all())
    assert len(attachments) == 2 and all(a.size <= 81_920 for a in attachments)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="دریافت رسید (PDF)").click()
    pdf = PdfReader(io.BytesIO(open(download_info.value.path(), "rb").read()))
    pdf_text = "".join(p.extract_text() for p in pdf.pages)
    assert code in pdf_text or code[::-1] in pdf_text  # Persian digits (pypdf may read RTL lines backwards)
    assert outside_requests == []
    assert errors == []
