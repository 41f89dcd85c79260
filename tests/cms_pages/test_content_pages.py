"""Editors' content pages as a citizen reads them: Persian digits in what editors
typed, the kind and size of every download, no subheading repeating the title."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from cms_pages.models import RequiredFormItem, RequiredFormsPage
from portal.persian import file_size_text, persian_digits_html
from tests.factories import (
    FAQPageFactory,
    InfoPackageIndexPageFactory,
    InfoPackagePageFactory,
    RulesIndexPageFactory,
    RulesPageFactory,
)


@pytest.fixture
def document(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def make(title="فرم درخواست", size=126_000, name="form.pdf"):
        doc = get_document_model()(title=title)
        doc.file.save(name, ContentFile(b"%PDF" + b"0" * (size - 4)), save=False)
        doc.save()
        return doc

    return make


def html_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("html", "shown"),
    [
        ("<p>ظرف 10 روز کاری</p>", "<p>ظرف ۱۰ روز کاری</p>"),
        (
            '<p><a href="/documents/12/form-2.pdf">فرم 2</a></p>',
            '<p><a href="/documents/12/form-2.pdf">فرم ۲</a></p>',
        ),
        ("<p>&#39;1&#39; و &amp; 3</p>", "<p>&#39;۱&#39; و &amp; ۳</p>"),
        (
            "<p>نشانی https://example.ir/page/2 یا www.site1.ir</p>",
            "<p>نشانی https://example.ir/page/2 یا www.site1.ir</p>",
        ),
        ("<p>ایمیل info2@example.ir و 4</p>", "<p>ایمیل info2@example.ir و ۴</p>"),
        ("<p>کد <code>x = 5</code> و 6</p>", "<p>کد <code>x = 5</code> و ۶</p>"),
        ('<ol start="2"><li>مرحله 3</li></ol>', '<ol start="2"><li>مرحله ۳</li></ol>'),
        ("<p>٣ و ۴</p>", "<p>۳ و ۴</p>"),
    ],
)
def test_persian_digits_in_rich_text_leave_markup_addresses_and_code_alone(html, shown):
    assert persian_digits_html(html) == shown


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "۰ بایت"), (900, "۹۰۰ بایت"), (1024, "۱ کیلوبایت"), (126_000, "۱۲۳ کیلوبایت"),
     (1_500_000, "۱٫۴ مگابایت"), (3 * 1024 * 1024, "۳ مگابایت"), (None, "")],
)  # fmt: skip
def test_file_sizes_read_in_persian(size, text):
    assert file_size_text(size) == text


def test_editors_latin_digits_read_in_persian(client, home):
    faq = FAQPageFactory(
        parent=home,
        intro="<p>پاسخ 12 پرسش رایج</p>",
        groups=[
            (
                "group",
                {
                    "title": "گروه 1",
                    "questions": [
                        {"question": "چند روز؟", "answer": '<p>حداکثر 30 روز. <a href="/x/40/">فرم 5</a></p>'}
                    ],
                },
            )
        ],
    )
    html = html_of(client, faq)
    for shown in ("پاسخ ۱۲ پرسش رایج", "گروه ۱", "حداکثر ۳۰ روز.", 'href="/x/40/">فرم ۵</a>'):
        assert shown in html, shown
    index = InfoPackageIndexPageFactory(parent=home, intro="<p>نسخه 3</p>")
    package = InfoPackagePageFactory(
        parent=index,
        title="راهنمای 2",
        summary="در 5 گام",
        body=[
            ("heading", "گام 1"),
            ("paragraph", "<p>ظرف 7 روز</p>"),
            ("callout", {"title": "توجه 8", "text": "حداکثر 2 فایل"}),
        ],
    )
    listing = html_of(client, index)
    assert "نسخه ۳" in listing and "راهنمای ۲" in listing and "در ۵ گام" in listing
    page = html_of(client, package)
    for shown in ("<h1>راهنمای ۲</h1>", "در ۵ گام", "<h2>گام ۱</h2>", "ظرف ۷ روز", "توجه ۸", "حداکثر ۲ فایل"):
        assert shown in page, shown


def test_an_info_package_heading_never_repeats_its_title(client, home):
    index = InfoPackageIndexPageFactory(parent=home)
    package = InfoPackagePageFactory(
        parent=index,
        title="بسته اطلاع رسانی تاسیس دهیاری",
        body=[
            ("heading", "بسته اطلاع رسانی تاسیس دهیاری"),
            ("paragraph", "<p>شرایط</p>"),
            ("heading", "مدارک"),
        ],
    )
    html = html_of(client, package)
    assert html.count("بسته اطلاع رسانی تاسیس دهیاری</h") == 1  # the page's <h1> only
    assert "<h2>مدارک</h2>" in html and "<p>شرایط</p>" in html


def test_required_forms_say_kind_and_size(client, home, document):
    page = RequiredFormsPage(title="فرمهای مورد نیاز جهت دریافت خدمات", slug="required-forms")
    page.forms = [RequiredFormItem(title="فرم درخواست عمومی", document=document(size=126_000))]
    home.add_child(instance=page)
    html = html_of(client, page)
    assert "(\u2068PDF\u2069، ۱۲۳ کیلوبایت)" in html
    assert "download__meta" in html  # kept on one line


def test_a_document_block_says_kind_and_size(client, home, document):
    index = RulesIndexPageFactory(parent=home)
    rules = RulesPageFactory(
        parent=index,
        reference_number="45123/ت289",
        body=[("document", {"document": document(size=2 * 1024 * 1024), "title": "متن کامل"})],
    )
    html = html_of(client, rules)
    assert 'متن کامل</a> <span class="muted download__meta">(\u2068PDF\u2069، ۲ مگابایت)</span>' in html
    assert '<bdi class="reference">۴۵۱۲۳/ت۲۸۹</bdi>' in html  # never split over two lines
