"""A form page on a 360 px phone: compact radios and checkboxes, nothing chosen, the
error summary's links land on their fields, Persian digits typed into a number box,
and the confirmation panel with the reference number."""

import pytest
from playwright.sync_api import expect
from wagtail.contrib.forms.models import FormSubmission

from cms_pages.models import FormField, FormPage
from tests.factories import make_site

FIELDS = [
    ("نام و نام خانوادگی", "singleline", True, ""),
    ("نوع همکاری", "radio", True, "تمام‌وقت\nپاره‌وقت\nفقط در طرح‌های کوتاه"),
    ("قالب فایل", "checkboxes", False, "PDF\nGeoTIFF\nشیپ‌فایل"),
    ("سابقه آمارگیری (سال)", "number", False, ""),
]
FITS = "document.documentElement.scrollWidth <= window.innerWidth"
WIDEST_CHOICE = (
    "Math.max(...[...document.querySelectorAll('input[type=radio], input[type=checkbox]')]"
    ".map(e => e.getBoundingClientRect().width))"
)


@pytest.fixture
def form_page(transactional_db):
    home = make_site()
    page = FormPage(title="فرم اطلاعات آمارگیران", slug="statisticians", thank_you_text="<p>بررسی می‌شود.</p>")
    home.add_child(instance=page)
    for order, (label, kind, required, choices) in enumerate(FIELDS):
        FormField.objects.create(
            page=page, sort_order=order, label=label, field_type=kind, required=required, choices=choices
        )
    page.save_revision().publish()
    return page


def test_a_form_page_on_a_phone(page, live_server, form_page, outside_requests):
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(live_server.url + form_page.url)
    assert page.evaluate(FITS)
    assert page.evaluate(WIDEST_CHOICE) <= 32
    assert page.locator("input:checked").count() == 0

    page.get_by_role("button", name="ارسال فرم").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    summary.get_by_role("link", name="یکی از گزینه‌های «نوع همکاری» را انتخاب کنید.").click()
    expect(page.get_by_role("radio", name="تمام‌وقت")).to_be_focused()
    assert page.evaluate(FITS)
    assert page.evaluate(WIDEST_CHOICE) <= 32

    page.get_by_label("نام و نام خانوادگی").fill("سارا نوری")
    page.get_by_role("group", name="نوع همکاری").get_by_label("پاره‌وقت").check()
    page.get_by_label("سابقه آمارگیری (سال)").fill("۱۲")
    page.get_by_role("button", name="ارسال فرم").click()
    expect(page.get_by_role("heading", level=1, name="فرم شما ثبت شد")).to_be_visible()
    submission = FormSubmission.objects.get()
    reference = str(submission.pk).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    expect(page.locator(".confirmation")).to_contain_text(reference)
    assert (
        submission.form_data[
            next(f.clean_name for f in form_page.get_form_fields() if f.field_type == "number")
        ]
        == "12"
    )
    assert page.evaluate(FITS)
    assert outside_requests == []
