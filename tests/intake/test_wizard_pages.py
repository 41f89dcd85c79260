"""What a citizen reads on the wizard's pages, the confirmation and the receipt PDF
(issue 17): the stepper, the review as a summary list, the attachments step in
Persian, errors said once and how to fix them, the confirmation panel, and a
one-page receipt PDF in Persian digits."""

import io
import re
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader

from intake import receipts
from intake.models import ServiceRequest
from portal.persian import file_size_text, to_persian_digits
from tests.intake.conftest import VALID_CITIZEN
from tests.intake.files import pdf
from tests.intake.helpers import BASE, choose, fill_to_review, step, to_attachments

WIZARD_CSS = Path(settings.BASE_DIR, "static/css/wizard.css")
LTR = '<bdi dir="ltr" class="ltr">{}</bdi>'


def text(response):
    return response.content.decode()


def shown(html):
    """The text a reader sees: tags gone, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def submitted(client, service, officer, files=()):
    fill_to_review(client, service, officer, files=files)
    client.post(step(6), {"action": "next"})
    return ServiceRequest.objects.get()


# The stepper ---------------------------------------------------------------------


def test_each_step_says_which_of_six_it_is_with_a_progress_bar(client, intake_page, service):
    choose(client, service)
    client.post(step(1), {"action": "next"})
    body = text(client.get(step(2)))
    assert "مرحله ۲ از ۶:</span> مشخصات درخواست</h2>" in body
    assert 'role="progressbar"' in body and 'aria-valuenow="2"' in body and 'aria-valuemax="6"' in body
    assert 'aria-valuetext="مرحله ۲ از ۶: مشخصات درخواست"' in body
    assert "stepper__fill--2" in body
    # The six steps are still there (shown in one row where they fit), the current one marked.
    assert re.search(r'aria-current="step">\s*<span class="stepper__number">۲</span>', body)
    css = WIZARD_CSS.read_text()
    assert ".stepper__label { display: block; white-space: nowrap; }" in css  # labels unbroken


# Step 1 --------------------------------------------------------------------------


def test_step_one_does_not_repeat_the_choice_intro_and_numbers_notes_in_persian(client, intake_page, service):
    intake_page.intro = "<p>ابتدا واحد و خدمت را انتخاب کنید.</p>"
    intake_page.save_revision().publish()
    assert "ابتدا واحد و خدمت را انتخاب کنید" in text(client.get(BASE))
    choose(client, service)
    body = text(client.get(step(1)))
    assert "ابتدا واحد و خدمت را انتخاب کنید" not in body
    assert '<ol class="intro-notes">' in body
    assert re.search(r"\.intro-notes \{[^}]*list-style-type: persian", WIZARD_CSS.read_text())
    assert re.search(r"\.head-message \{ margin: 0 0 1rem; \}", WIZARD_CSS.read_text())  # not squeezed


# Step 3 --------------------------------------------------------------------------


def test_attachments_step_has_two_labelled_inputs_a_persian_button_and_persian_limits(
    client, intake_page, service
):
    to_attachments(client, service)
    body = text(client.get(step(3)))
    assert '<label for="id_file1">فایل پیوست ۱</label>' in body
    assert '<label for="id_file2">فایل پیوست ۲</label>' in body
    assert body.count(">انتخاب فایل</span>") == 2
    assert body.count("فایلی انتخاب نشده است") == 2
    rules = body.split('<ul class="upload-rules">')[1].split("</ul>")[0]
    assert "۸۰ کیلوبایت" in rules and "۸۱٬۹۲۰ بایت" in rules and "۲ فایل" in rules
    assert not re.search(r"[0-9]", shown(rules))
    assert "<bdi>PDF</bdi>، <bdi>JPEG</bdi> یا <bdi>PNG</bdi>" in rules


def test_an_uploaded_file_is_listed_by_its_isolated_name_and_persian_size(client, intake_page, service):
    to_attachments(client, service)
    client.post(step(3), {"action": "next", "file1": pdf("نامه.pdf")})
    body = text(client.get(step(3)))
    assert "<bdi>نامه.pdf</bdi>" in body
    assert re.search(r"\([۰-۹]+ بایت\)", body)


def test_removing_an_unknown_attachment_is_refused_in_persian(client, intake_page, service):
    to_attachments(client, service)
    body = text(client.post(step(3), {"action": "next", "remove": "987654"}))
    assert "پیوستی که برای حذف انتخاب شد پیدا نشد" in body
    assert "987654" not in body and "۹۸۷۶۵۴" not in body


def test_sizes_read_in_persian():
    assert file_size_text(180) == "۱۸۰ بایت"
    assert file_size_text(1234) == "۱٫۲ کیلوبایت"
    assert file_size_text(81920) == "۸۰ کیلوبایت"
    assert file_size_text(3 * 1024 * 1024 + 400_000) == "۳٫۴ مگابایت"


# Errors --------------------------------------------------------------------------


def test_an_error_names_the_field_as_labelled_and_clears_once_fixed(client, intake_page, service, officer):
    fill_to_review(client, service, officer)
    response = client.post(step(5), {"action": "next", "officer": "", "visit_date": "۱۲۰۰/۰۱/۰۱"})
    body = text(response)
    assert '<a href="#id_officer">«نام و نام خانوادگی متصدی» را انتخاب کنید.</a>' in body
    assert "تاریخ مراجعه را به تاریخ شمسی درست وارد کنید، مانند ۱۴۰۵/۰۹/۰۳." in body
    # At the field too, before the control, marked for screen readers.
    field = body.split('id="id_officer_error"')[1]
    assert field.index("«نام و نام خانوادگی متصدی» را انتخاب کنید.") < field.index('<select name="officer"')
    assert '<span class="visually-hidden">خطا:</span>' in field
    # Fixed and sent again: accepted, and the step shows no error any more.
    fixed = {"action": "next", "officer": str(officer.pk), "visit_date": "۱۴۰۵/۰۹/۰۳"}
    assert client.post(step(5), fixed)["Location"] == step(6)
    again = text(client.get(step(5)))
    assert "error-summary" not in again and "field--error" not in again


def test_messages_say_how_to_fix_with_persian_digits(client, intake_page, service):
    choose(client, service)
    client.post(step(1), {"action": "next"})
    data = {"action": "next", "unit": str(service.unit_id), "service": "", "service_id": "123"}
    body = text(client.post(step(2), {**data, "request_text": "ا" * 2001}))
    assert "شناسه خدمت ۱۱ رقم است (مانند ۱۰۰۱۲۱۳۵۰۰۰)؛ رقم‌ها را دوباره بررسی کنید." in body
    summary = body.split('id="error-summary"')[1].split("</div>")[0]
    assert not re.search(r"[0-9]", shown(summary))
    # Django's own length messages would say «at most 40 characters (it has 41)».
    body = text(client.post(step(2), {**data, "service_id": "1" * 41, "request_text": "ا" * 20}))
    assert "شناسه خدمت ۱۱ رقم است" in body
    assert not re.search(r"[0-9]", shown(body.split('id="error-summary"')[1].split("</div>")[0]))


def test_an_overlong_email_is_refused_in_persian(client, intake_page, service, officer):
    fill_to_review(client, service, officer)
    citizen = {"action": "next", **VALID_CITIZEN, "email": "a" * 250 + "@example.com"}
    body = text(client.post(step(4), citizen))
    summary = body.split('id="error-summary"')[1].split("</div>")[0]
    assert "نشانی ایمیل" in summary and not re.search(r"[0-9]", shown(summary))


# The review ----------------------------------------------------------------------


def test_review_is_a_summary_list_with_a_change_link_per_section(client, intake_page, service, officer):
    fill_to_review(client, service, officer, files=[pdf("نامه.pdf"), pdf("عکس.pdf")])
    body = text(client.get(step(6)))
    assert body.count('class="summary-list"') == 4
    changes = re.findall(
        r'<a class="review__change" href="([^"]+)">تغییر <span class="visually-hidden">([^<]+)</span></a>',
        body,
    )
    assert changes == [
        (step(2), "مشخصات درخواست"),
        (step(3), "ضمائم درخواست"),
        (step(4), "مشخصات ارباب رجوع"),
        (step(5), "مراجعه به سازمان"),
    ]
    for value in ("10012135000", "0499370899", "09121234567", "02112345678"):
        assert LTR.format(to_persian_digits(value)) in body
    assert LTR.format("citizen@example.com") in body  # an email keeps its Latin digits
    assert "<bdi>نامه.pdf</bdi>" in body and "<bdi>عکس.pdf</bdi>" in body
    assert "overflow-wrap: anywhere" not in WIZARD_CSS.read_text()  # no word broken inside


# The confirmation and the receipt ------------------------------------------------


def test_confirmation_panel_says_what_happens_next(client, intake_page, service, officer):
    from portal.jalali import format_jalali_date

    req = submitted(client, service, officer, files=[pdf("نامه.pdf"), pdf("عکس.pdf")])
    body = text(client.get(BASE + "receipt/"))
    panel = body.split('class="panel panel--confirmation"')[1].split("</div>")[0]
    assert "درخواست شما ثبت شد" in panel
    groups = [to_persian_digits(req.tracking_code)[i : i + 4] for i in range(0, 16, 4)]
    assert "".join(f"<span>{g}</span>" for g in groups) in panel  # grouped, copied without spaces
    assert f'data-copy="{req.tracking_code}"' in panel
    after = body.split("چه اتفاقی می‌افتد؟")[1]
    assert "مهلت پاسخ‌گویی" in after and format_jalali_date(req.due_date, long=True) in after
    assert '<a href="/track/">پیگیری درخواست</a>' in after
    assert "<bdi>نامه.pdf</bdi>" in body and "<bdi>عکس.pdf</bdi>" in body
    assert LTR.format(to_persian_digits(req.mobile)) in body


def test_receipt_pdf_is_one_page_with_the_organisation_and_persian_digits(
    client, intake_page, service, officer
):
    from home.models import PortalSettings

    PortalSettings.objects.update_or_create(
        site_id=intake_page.get_site().pk, defaults={"organisation_name": "سازمان آزمایشی استان"}
    )
    req = submitted(client, service, officer, files=[pdf("نامه.pdf"), pdf("عکس.pdf")])
    reader = PdfReader(io.BytesIO(client.get(BASE + "receipt/pdf/").content))
    assert len(reader.pages) == 1
    text_ = reader.pages[0].extract_text()
    assert "سازمان آزمایشی استان" in text_
    assert not re.search(r"[0-9]", text_.replace(req.email, "")), text_


def test_receipt_pdf_isolates_file_names_and_ltr_values(rf, intake_page, service, officer, client):
    req = submitted(client, service, officer, files=[pdf("نامه.pdf"), pdf("عکس.pdf")])
    html = render_to_string("intake/receipt_pdf.html", receipts.receipt_context(req), request=rf.get("/"))
    assert "<bdi>نامه.pdf</bdi>" in html and "<bdi>عکس.pdf</bdi>" in html
    assert '<span class="code-box__label">کد پیگیری:</span>' in html
    assert LTR.format(to_persian_digits(req.service_code)) in html
    assert req.tracking_code not in shown(html)  # no Latin copy of the code


def test_step_five_shows_the_whole_unit_name(client, intake_page, service, officer):
    fill_to_review(client, service, officer)
    body = text(client.get(step(5)))
    assert (
        '<output id="id_unit_name" class="readonly-value">دفتر ارزیابی عملکرد، بازرسی و پاسخگویی به شکایات</output>'
        in body
    )
