"""Editors' form pages as a citizen meets them: nothing chosen for them, Persian
messages that say how to fix a mistake (in the wizard's error summary, each said
once), numbers in any digit script, and a confirmation with a reference number."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from wagtail.contrib.forms.models import FormSubmission

from cms_pages.models import FormField, FormPage

FIELDS = [
    ("نام و نام خانوادگی", "singleline", True, "", ""),
    ("نوع نقشه", "dropdown", True, "نقشه توپوگرافی\nنقشه کاربری اراضی", "نقشه توپوگرافی"),
    ("نوع همکاری", "radio", True, "تمام‌وقت\nپاره‌وقت", "تمام‌وقت"),
    ("قالب فایل", "checkboxes", False, "PDF\nGeoTIFF", "PDF"),
    ("موافقت با شرایط", "checkbox", False, "", "on"),
    ("سابقه (سال)", "number", False, "", ""),
    ("تاریخ بازدید", "date", False, "", ""),
    ("ظرفیت 24 نفر", "singleline", False, "", ""),
]


@pytest.fixture
def form_page(home):
    page = FormPage(
        title="فرم درخواست نقشه",
        slug="map-request",
        thank_you_text="<p>کارشناسان ظرف 10 روز کاری پاسخ می‌دهند.</p>",
    )
    home.add_child(instance=page)
    for order, (label, kind, required, choices, default) in enumerate(FIELDS):
        FormField.objects.create(
            page=page,
            sort_order=order,
            label=label,
            field_type=kind,
            required=required,
            choices=choices,
            default_value=default,
        )
    page.save_revision().publish()
    return page


@pytest.fixture
def names(form_page):
    return {field.label: field.clean_name for field in form_page.get_form_fields()}


def valid_data(names, **extra):
    return {
        names["نام و نام خانوادگی"]: "سارا نوری",
        names["نوع نقشه"]: "نقشه توپوگرافی",
        names["نوع همکاری"]: "پاره‌وقت",
        **extra,
    }


def error_summary(html):
    match = re.search(r'<div class="error-summary".*?</div>', html, re.DOTALL)
    assert match, "no error summary"
    return match.group()


def test_nothing_is_chosen_for_the_citizen(client, form_page, names):
    """Whatever default the editor typed, radios, checkboxes and selects start empty."""
    html = client.get(form_page.url).content.decode()
    assert "checked" not in html
    select = re.search(rf'<select name="{names["نوع نقشه"]}".*?</select>', html, re.DOTALL).group()
    assert '<option value="" selected>یک گزینه را انتخاب کنید</option>' in select
    assert select.count("selected") == 1


def test_a_required_choice_left_unanswered_is_a_persian_error(client, form_page, names):
    response = client.post(form_page.url, {names["نام و نام خانوادگی"]: "سارا نوری"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[names["نوع نقشه"]] == ["یکی از گزینه‌های «نوع نقشه» را انتخاب کنید."]
    assert errors[names["نوع همکاری"]] == ["یکی از گزینه‌های «نوع همکاری» را انتخاب کنید."]
    assert not FormSubmission.objects.exists()


def test_errors_are_in_the_wizards_summary_each_said_once(client, form_page, names):
    html = client.post(form_page.url, {}).content.decode()
    summary = error_summary(html)
    assert 'id="error-summary"' in summary and "لطفاً موارد زیر را اصلاح کنید" in summary
    message = "«نام و نام خانوادگی» را وارد کنید."
    assert summary.count(message) == 1
    assert html.count(message) == 2  # once in the summary, once above the field
    # Each link lands on its field; a radio group's on its first option.
    for href in re.findall(r'href="#([^"]+)"', summary):
        assert f'id="{href}"' in html, href
    assert f'href="#id_{names["نوع همکاری"]}_0"' in summary


def test_an_error_clears_once_fixed(client, form_page, names):
    first = client.post(form_page.url, {names["نوع نقشه"]: "نقشه توپوگرافی"})
    assert names["نام و نام خانوادگی"] in first.context["form"].errors
    second = client.post(form_page.url, {names["نام و نام خانوادگی"]: "سارا نوری"})
    errors = second.context["form"].errors
    assert names["نام و نام خانوادگی"] not in errors
    assert "«نام و نام خانوادگی» را وارد کنید." not in second.content.decode()
    assert names["نوع نقشه"] in errors


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("۱۲", Decimal("12")), ("٣٫٥", Decimal("3.5")), ("12", Decimal("12")), ("۱٬۲۰۰", Decimal("1200"))],
)
def test_a_number_is_typed_in_any_digit_script(client, form_page, names, typed, stored):
    response = client.post(form_page.url, valid_data(names, **{names["سابقه (سال)"]: typed}), follow=True)
    assert "فرم شما ثبت شد" in response.content.decode()
    assert Decimal(FormSubmission.objects.get().form_data[names["سابقه (سال)"]]) == stored


def test_a_number_field_is_a_text_box_and_shows_persian_digits_back(client, form_page, names):
    number = names["سابقه (سال)"]
    html = client.post(form_page.url, {number: "12"}).content.decode()  # the name is missing
    box = re.search(rf'<input[^>]*name="{number}"[^>]*>', html).group()
    assert 'type="text"' in box and 'inputmode="decimal"' in box
    assert 'value="۱۲"' in box


def test_a_number_that_is_not_one_says_how_to_fix_it(client, form_page, names):
    response = client.post(form_page.url, valid_data(names, **{names["سابقه (سال)"]: "دوازده"}))
    assert response.context["form"].errors[names["سابقه (سال)"]] == [
        "«سابقه (سال)» را فقط با رقم وارد کنید، مانند ۱۲ یا ۲٫۵"
    ]
    assert not FormSubmission.objects.exists()


def test_a_date_is_jalali(client, form_page, names):
    client.post(form_page.url, valid_data(names, **{names["تاریخ بازدید"]: "۱۴۰۵/۰۹/۰۳"}))
    stored = FormSubmission.objects.get().form_data[names["تاریخ بازدید"]]
    assert datetime.date.fromisoformat(stored) == datetime.date(2026, 11, 24)
    bad = client.post(form_page.url, valid_data(names, **{names["تاریخ بازدید"]: "۱۴۰۵/۱۳/۴۰"}))
    assert bad.context["form"].errors[names["تاریخ بازدید"]] == [
        "«تاریخ بازدید» را به شکل سال/ماه/روز شمسی وارد کنید، مانند ۱۴۰۵/۰۹/۰۳"
    ]


def test_labels_show_persian_digits(client, form_page):
    html = client.get(form_page.url).content.decode()
    assert "ظرفیت ۲۴ نفر" in html
    assert "ظرفیت 24 نفر" not in html


def test_the_confirmation_is_a_panel_with_the_reference_and_next_steps(client, form_page, names):
    html = client.post(form_page.url, valid_data(names), follow=True).content.decode()
    submission = FormSubmission.objects.get()
    panel = re.search(r'<div class="confirmation".*?</div>', html, re.DOTALL).group()
    assert "فرم شما ثبت شد" in panel
    reference = "".join("۰۱۲۳۴۵۶۷۸۹"[int(digit)] for digit in str(submission.pk))
    assert f">{reference}</bdi>" in panel and "شماره پیگیری فرم" in panel
    assert "چه اتفاقی می‌افتد؟" in html
    assert "ظرف ۱۰ روز کاری" in html  # the editor's next steps, in Persian digits


def test_reloading_the_confirmation_never_sends_the_form_again(client, form_page, names):
    """Post, redirect, get: the POST answers with a redirect to the page, whose GET shows
    the confirmation once, privately; a reload shows the empty form, and nothing more
    is submitted."""
    sent = client.post(form_page.url, valid_data(names))
    assert sent.status_code == 302 and sent["Location"] == form_page.url
    confirmation = client.get(form_page.url)
    assert "فرم شما ثبت شد" in confirmation.content.decode()
    assert "no-store" in confirmation["Cache-Control"] and "private" in confirmation["Cache-Control"]
    again = client.get(form_page.url).content.decode()
    assert "فرم شما ثبت شد" not in again and names["نام و نام خانوادگی"] in again
    assert FormSubmission.objects.count() == 1


def test_staff_find_a_submission_by_its_reference(client, form_page, names):
    client.post(form_page.url, valid_data(names))
    submission = FormSubmission.objects.get()
    client.force_login(get_user_model().objects.create_superuser("root", password="pass-1234-word"))
    html = client.get(f"/admin/forms/submissions/{form_page.pk}/").content.decode()
    assert "شماره پیگیری" in html
    export = client.get(f"/admin/forms/submissions/{form_page.pk}/", {"export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("شماره پیگیری,")
    assert row.startswith(f"{submission.pk},")


def test_help_text_reads_in_persian_digits_and_is_escaped_once(client, home):
    page = FormPage(title="فرم", slug="help-form")
    home.add_child(instance=page)
    FormField.objects.create(
        page=page, label="پلاک", field_type="singleline", required=False, help_text="مانند 'پلاک 12' <b>"
    )
    FormField.objects.create(page=page, label="زمان تماس", field_type="datetime", required=False)
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "مانند &#x27;پلاک ۱۲&#x27; &lt;b&gt;" in html
    assert "تاریخ شمسی و ساعت، مانند ۱۴۰۵/۰۹/۰۳ ۱۴:۳۰" in html  # the format beside the field
    assert "placeholder" not in html.split("<main", 1)[1].split("</form>")[0]
    name = next(f.clean_name for f in page.get_form_fields() if f.field_type == "datetime")
    client.post(page.url, {name: "۱۴۰۵/۰۹/۰۳ ۱۴:۳۰"})
    stored = FormSubmission.objects.get().form_data[name]
    assert stored.startswith("2026-11-24T14:30")
    bad = client.post(page.url, {name: "۱۴۰۵/۰۹/۰۳ ۲۵:۰۰"})
    assert bad.context["form"].errors[name] == [
        "«زمان تماس» را به شکل تاریخ شمسی و ساعت وارد کنید، مانند ۱۴۰۵/۰۹/۰۳ ۱۴:۳۰"
    ]
