"""The dashboard: eleven menu items in order, pages they open, head's message, footer."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.test_load_demo import MENU_LABELS


@pytest.fixture
def demo(db):
    call_command("load_demo", "--no-index", verbosity=0)


def test_dashboard_menu_items_in_order(client, demo):
    html = client.get("/").content.decode()
    positions = [html.index(f">{label}</a>") for label in MENU_LABELS]
    assert positions == sorted(positions)
    assert '<html lang="fa" dir="rtl">' in html
    assert "نسخه ۱.۰.۰" in html
    assert "ابوالفضل یاری" in html
    assert 'type="search"' in html
    assert 'href="#main"' in html  # skip link
    # Served folded: a phone paints it folded at once (no layout shift when the script
    # syncs it); wide screens show the list through CSS (the browser test checks both).
    assert re.search(r'<details class="dashboard__toggle">', html)


MENU_ITEMS_OF_THE_CATALOG = [
    "لیست خدمات",
    "بسته اطلاع رسانی",
    "فرمهای مورد نیاز جهت دریافت خدمات",
    "فرم درخواست نقشه",
    "فرم قوانین و مقررات",
    "فرم اطلاعات آمارگیران",
    "پرسش و پاسخ",
]


@pytest.mark.parametrize("seconds", [0, 600], ids=["read each time", "kept per content version"])
def test_menu_items_of_the_catalog_open_real_pages(client, demo, settings, seconds):
    settings.FRAGMENT_CACHE_SECONDS = seconds  # the menu's HTML kept per site and path, or not
    cache.clear()
    html = client.get("/").content.decode()
    for label in MENU_ITEMS_OF_THE_CATALOG:
        url = re.search(rf'<a href="([^"]+)"[^>]*>{label}</a>', html).group(1)
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, label
            body = response.content.decode()
            assert "<h1>" in body, label
            assert f'aria-current="page">{label}</a>' in body, label  # the menu marks where the citizen is
            assert body.count('aria-current="page"') == 1, label


def test_form_page_submission_is_stored(client, demo):
    from wagtail.contrib.forms.models import FormSubmission

    from cms_pages.models import FormPage

    page = FormPage.objects.get(slug="map-request")
    form = page.get_form()
    names = {field.label: name for name, field in form.fields.items()}
    bad = client.post(page.url, {})
    assert bad.status_code == 200
    assert "لطفاً موارد زیر را اصلاح کنید" in bad.content.decode()  # the wizard's error summary
    assert not FormSubmission.objects.exists()
    data = {
        names["نام و نام خانوادگی"]: "سارا نوری",
        names["تلفن همراه"]: "09121234567",
        names["نوع نقشه"]: "نقشه توپوگرافی",
        names["محدوده مورد نیاز"]: "شهرستان مراغه",
    }
    response = client.post(page.url, data, follow=True)  # post, redirect, get
    assert response.redirect_chain == [(page.url, 302)]
    assert "فرم شما ثبت شد" in response.content.decode()
    assert FormSubmission.objects.get(page=page).get_data()[names["نام و نام خانوادگی"]] == "سارا نوری"
