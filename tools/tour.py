"""Every citizen page and state, visited in a real browser.

`walk(page, base_url, files_dir)` drives a Playwright page through the portal as a
citizen would and yields a short name at each page or state worth looking at:
the dashboard, the catalog, every content page, each form page (empty, with
errors, after sending), every wizard step (empty and with errors), «ذخیره و ادامه در
زمانی دیگر» (mobile, code, link sent) and the resume link's page, the review, the
receipt, tracking (code only, then unlocked), workflow, history, the survey, the
response and the 404, the answer to missing documents (asked, with errors, sent)
and the objection to the response (the form, with errors, its receipt).
The caller acts at each stop: `tools/screenshots.py` saves a
picture, `tests/e2e/test_accessibility.py` runs axe and the layout guards at 1280 and 360 px.

It runs in the process that serves the portal (a thread), because two stops need
the server's side: the SMS one-time codes and the resume link are read from `intake.sms.outbox`
(settings.SMS_BACKEND = "intake.sms.MemoryBackend") and the official response is
issued through `intake.services`, as a clerk would. Demo content must be loaded
(`load_demo`). Controls are found by their form names, not their labels, so the
tour survives wording changes; the tests by label live beside each feature.
"""

import re
from pathlib import Path

from intake import services
from intake.models import ServiceRequest, Signatory
from intake.sms import outbox
from services.models import Officer, ServiceIndexPage, ServicePage

SERVICE_ID = "10012135000"
CITIZEN = {
    "national_code": "0499370899",
    "first_name": "مریم",
    "last_name": "احمدی‌نژاد",
    "mobile": "09121234567",
    "landline": "02112345678",
    "email": "maryam.ahmadinejad@example.com",
    "address": "تهران، خیابان آزادی، کوچه شهید رضایی، پلاک ۱۲، واحد ۳",
}
REQUEST_TEXT = (
    "درخواست بررسی عملکرد دهیاری روستای ۱۲ را دارم. نامه شماره ۴۵۶۷ مورخ ۱۴۰۵/۰۸/۱۲ "
    "پیوست است و مستندات تکمیلی را هم ضمیمه کرده‌ام."
)
NEXT = 'button[name="action"][value="next"]:not([aria-hidden="true"])'


def sample_files(files_dir):
    """A PNG and a PDF with mixed-direction names, and a text file posing as a PDF."""
    from PIL import Image
    from pypdf import PdfWriter

    files_dir = Path(files_dir)
    files_dir.mkdir(parents=True, exist_ok=True)
    photo = files_dir / "عکس-نامه.png"
    Image.new("RGB", (120, 80), (11, 93, 75)).save(photo, format="PNG")
    letter = files_dir / "letter.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with letter.open("wb") as handle:
        writer.write(handle)
    fake = files_dir / "not-a-pdf.pdf"
    fake.write_text("just text")
    return photo, letter, fake


def submit(page, selector=NEXT):
    page.locator(selector).first.click()
    page.wait_for_load_state("load")


def sms_code():
    return re.search(r"\d{4,8}", outbox[-1][1]).group(0)


def fill_generic_form(page, form):
    """Fill every field of a form-builder page with a plausible value."""
    for field in form.locator("input, textarea, select").all():
        kind = (field.get_attribute("type") or field.evaluate("e => e.tagName")).lower()
        if kind in ("hidden", "submit", "button") or not field.is_visible():
            continue
        field_id = field.get_attribute("id") or ""
        label = form.locator(f'label[for="{field_id}"]').first.inner_text() if field_id else ""
        if kind == "select":
            values = [v for v in field.locator("option").evaluate_all("os => os.map(o => o.value)") if v]
            field.select_option(values[0])
        elif kind in ("radio", "checkbox"):
            field.check()
        elif kind == "email":
            field.fill(CITIZEN["email"])
        elif kind == "number":
            field.fill("3")  # a browser's number box takes Latin digits only
        elif field.get_attribute("inputmode") in ("numeric", "decimal"):
            field.fill("۳")
        elif "ملی" in label:
            field.fill(CITIZEN["national_code"])
        elif "تلفن" in label or "همراه" in label:
            field.fill(CITIZEN["mobile"])
        elif kind == "textarea":
            field.fill(REQUEST_TEXT)
        else:
            field.fill("مریم احمدی‌نژاد")


def walk(page, base_url, files_dir):
    from wagtail.models import Page

    def go(path):
        page.goto(base_url + path)
        page.wait_for_load_state("load")

    photo, letter, fake = sample_files(files_dir)
    service = ServicePage.objects.live().get(service_id=SERVICE_ID)

    # The catalog and the content pages.
    go("/")
    yield "dashboard"
    menu = page.locator("details.dashboard__toggle")
    if menu.count() and menu.first.get_attribute("open") is None and menu.first.is_visible():
        menu.first.locator("summary").click()
        yield "dashboard-menu-open"
    go(ServiceIndexPage.objects.live().first().url)
    yield "service-list"
    go(service.url)
    yield "service-page"
    content = Page.objects.live().public().specific().exclude(depth__lte=2).order_by("path")
    form_pages = []
    for content_page in content:
        kind = type(content_page).__name__
        if kind in ("ServicePage", "ServiceIndexPage") or content_page.content_type.app_label == "intake":
            continue  # the catalog above; the wizard and tracking below
        if kind == "FormPage":
            form_pages.append(content_page)
            continue
        go(content_page.url)
        yield f"content-{content_page.slug}"
    for form_page in form_pages:
        go(form_page.url)
        yield f"form-{form_page.slug}-empty"
        form = page.locator("main form").first
        form.locator('[type="submit"]').first.click()
        page.wait_for_load_state("load")
        yield f"form-{form_page.slug}-errors"
        form = page.locator("main form").first
        fill_generic_form(page, form)
        form.locator('[type="submit"]').first.click()
        page.wait_for_load_state("load")
        yield f"form-{form_page.slug}-sent"
    go("/search/?query=" + "ارزیابی")
    yield "search-results"
    go("/no-such-page/")
    yield "not-found"

    # The wizard: choose, then each step empty, with errors, and filled.
    go("/request/")
    yield "wizard-choose"
    submit(page)
    yield "wizard-choose-errors"
    page.select_option('select[name="unit"]', str(service.unit_id))
    page.wait_for_function(
        "id => [...document.querySelectorAll('select[name=service] option')].some(o => o.value === id)",
        arg=SERVICE_ID,
    )
    page.select_option('select[name="service"]', SERVICE_ID)
    facet = page.locator("#facets-slot details summary").first
    facet.wait_for()
    facet.click()
    yield "wizard-choose-facet-open"
    page.locator('input[name="agree"]').check()
    submit(page)
    yield "wizard-1-intro"
    submit(page)
    yield "wizard-2-details"
    page.fill('textarea[name="request_text"]', "")
    submit(page)
    yield "wizard-2-details-errors"
    page.fill('textarea[name="request_text"]', REQUEST_TEXT)
    submit(page)
    yield "wizard-3-attachments"
    page.set_input_files('input[name="file1"]', str(fake))
    submit(page)
    yield "wizard-3-attachments-errors"
    page.set_input_files('input[name="file1"]', str(photo))
    page.set_input_files('input[name="file2"]', str(letter))
    submit(page)
    yield "wizard-4-citizen"
    page.fill('[name="national_code"]', "1111111111")
    page.fill('[name="mobile"]', "012")
    submit(page)
    yield "wizard-4-citizen-errors"
    for name, value in CITIZEN.items():
        page.fill(f'[name="{name}"]', value)
    submit(page)
    yield "wizard-5-visit"
    # «ذخیره و ادامه در زمانی دیگر»: the mobile, its code, the link, and back by the link.
    submit(page, 'button[value="later"]')
    yield "save-later"
    page.fill('[name="mobile"]', "12")
    submit(page, 'button[value="send"]')
    yield "save-later-errors"
    page.fill('[name="mobile"]', CITIZEN["mobile"])
    submit(page, 'button[value="send"]')
    yield "save-later-code"
    page.fill('[name="otp"]', "12")
    submit(page, 'button[value="confirm"]')
    yield "save-later-code-errors"
    page.fill('[name="otp"]', sms_code())
    submit(page, 'button[value="confirm"]')
    yield "save-later-sent"
    page.goto(re.search(r"https?://\S+/request/resume/\S+/", outbox[-1][1]).group(0))
    yield "resume"
    submit(page, 'main button[type="submit"]')
    page.fill('[name="visit_date"]', "۱۴۰۵/۱۳/۴۰")
    page.keyboard.press("Escape")
    submit(page)
    yield "wizard-5-visit-errors"
    officer = Officer.objects.filter(unit=service.unit).order_by("pk").first()
    page.select_option('select[name="officer"]', str(officer.pk))
    page.fill('[name="visit_date"]', "۱۴۰۵/۰۹/۰۳")
    page.keyboard.press("Escape")
    page.fill('[name="visit_description"]', "مراجعه حضوری در روز ۳ آذر برای پیگیری نامه")
    submit(page)
    yield "wizard-6-review"
    submit(page)
    yield "receipt"

    # A clerk takes the request and issues the official response.
    request_obj = ServiceRequest.objects.order_by("-pk").first()
    services.transition(request_obj, "in_review", None, public_note="کارشناس پرونده را بررسی می‌کند.")
    services.issue_response(
        request_obj,
        None,
        legal_grounds="ماده ۵ آیین‌نامه اجرایی قانون ارتقای سلامت اداری",
        content="با درخواست شما موافقت شد. نتیجه بررسی در نامه پیوست آمده است.",
        appeal="دیوان عدالت اداری، ظرف ۳۰ روز از ابلاغ",
        notes="—",
        signer=Signatory.objects.order_by("pk").first(),  # a demo signer (desk.demo)
    )

    # Following it up: the code alone, then after the identity check.
    go("/track/")
    yield "track-lookup"
    page.fill('input[name="code"]', "12345")
    submit(page, 'main form [type="submit"]')
    yield "track-lookup-errors"
    page.fill('input[name="code"]', request_obj.tracking_code)
    submit(page, 'main form [type="submit"]')
    yield "track-status-code-only"
    go("/track/workflow/")
    yield "track-workflow"
    go("/track/identity/")
    yield "track-identity"
    page.fill('input[name="national_code"]', "123")
    submit(page, 'main form [type="submit"]')
    yield "track-identity-errors"
    page.fill('input[name="national_code"]', CITIZEN["national_code"])
    submit(page, 'main form [type="submit"]')
    if page.locator('input[name="otp"]').count():
        yield "track-otp"
        page.fill('input[name="otp"]', "000000" if sms_code() != "000000" else "111111")
        submit(page, 'main form [type="submit"]')
        yield "track-otp-errors"
        page.fill('input[name="otp"]', sms_code())
        submit(page, 'main form [type="submit"]')
    go("/track/status/")
    yield "track-status-unlocked"
    go("/track/receipt/")
    yield "track-receipt"
    go("/track/response/")
    yield "track-response"
    go("/track/survey/")
    yield "track-citizen-details"
    submit(page, 'main form [type="submit"]')
    yield "track-citizen-details-errors"
    for group in page.locator("main fieldset").all():
        group.locator('input[type="radio"]').first.check()
    submit(page, 'main form [type="submit"]')
    yield "track-survey"
    groups = page.locator("main fieldset").all()
    for group in groups[:3]:
        group.locator('input[type="radio"]').nth(3).check()
    submit(page, 'main form [type="submit"]')
    yield "track-survey-errors"
    for group in page.locator("main fieldset").all():
        group.locator('input[type="radio"]').nth(3).check()
    submit(page, 'main form [type="submit"]')
    yield "track-survey-done"
    go("/track/history/")
    yield "track-history-form"
    submit(page, 'main form [type="submit"]')
    yield "track-history-form-errors"
    page.fill('input[name="national_code"]', CITIZEN["national_code"])
    page.fill('input[name="mobile"]', CITIZEN["mobile"])
    submit(page, 'main form [type="submit"]')
    if page.locator('input[name="otp"]').count():
        page.fill('input[name="otp"]', sms_code())
        submit(page, 'main form [type="submit"]')
    yield "track-history-list"

    # Missing documents: staff reopen the request and ask for a document; the citizen
    # (unlocked through the history list) sees what is asked, sends an empty answer,
    # then a text and a file.
    services.transition(request_obj, "in_review", None, public_note="پرونده دوباره بررسی می‌شود.")
    services.transition(
        request_obj,
        "waiting",
        None,
        public_note="لطفاً تصویر سند مالکیت و صفحه اول شناسنامه را بفرستید.",
    )
    page.locator(f'form[action="/track/history/{request_obj.pk}/"] [type="submit"]:visible').first.click()
    page.wait_for_load_state("load")
    yield "track-answer-asked"
    submit(page, 'form[action="/track/answer/"] [type="submit"]')
    yield "track-answer-errors"
    page.fill('textarea[name="text"]', "تصویر سند مالکیت و شناسنامه پیوست شد.")
    page.set_input_files('input[name="file1"]', str(photo))
    submit(page, 'form[action="/track/answer/"] [type="submit"]')
    yield "track-answer-sent"

    # Objection: the response page's form, empty (errors), then filed (its receipt).
    go("/track/response/")
    yield "track-objection"
    submit(page, 'form[action="/track/objection/"] [type="submit"]')
    yield "track-objection-errors"
    page.fill('textarea[name="text"]', "به بند دوم پاسخ اعتراض دارم؛ سند تازه پیوست است.")
    page.set_input_files('input[name="file1"]', str(photo))
    submit(page, 'form[action="/track/objection/"] [type="submit"]')
    yield "track-objection-receipt"
