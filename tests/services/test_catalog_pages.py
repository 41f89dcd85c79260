"""The service list and the service page: content, the unit filter and bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.models import ServiceFAQ, ServiceOfficer
from tests.factories import (
    OfficerFactory,
    OrgUnitFactory,
    ServiceFAQFactory,
    ServiceInquiryFactory,
    ServicePageFactory,
    ServiceWorkflowStepFactory,
)
from tests.labels import FACET_LABELS


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_service_list_groups_live_services_by_unit(client, service_index):
    rural = OrgUnitFactory(name="دفتر برنامه ریزی و مدیریت توسعه روستایی", sort_order=1)
    evaluation = OrgUnitFactory(name="دفتر ارزیابی عملکرد، بازرسی و پاسخگویی به شکایات", sort_order=2)
    ServicePageFactory(parent=service_index, unit=rural, title="صدور مجوز تاسیس دهیاری های کشور")
    ServicePageFactory(
        parent=service_index,
        unit=evaluation,
        title="نظارت و ارزیابی عملکرد شهرداریها و دهیاریهای کشور",
        service_id="10012135000",
    )
    draft = ServicePageFactory(parent=service_index, unit=rural, title="خدمت پیش‌نویس")
    draft.unpublish()

    html = client.get(service_index.url).content.decode()
    assert html.index("دفتر برنامه ریزی و مدیریت توسعه روستایی") < html.index("دفتر ارزیابی عملکرد")
    assert "صدور مجوز تاسیس دهیاری های کشور" in html
    assert "۱۰۰۱۲۱۳۵۰۰۰" in html  # service ID shown with Persian digits
    assert "خدمت پیش‌نویس" not in html


def test_unit_filter_works_without_javascript(client, service_index):
    rural = OrgUnitFactory(name="دفتر روستایی")
    other = OrgUnitFactory(name="دفتر آمار")
    ServicePageFactory(parent=service_index, unit=rural, title="درجه بندی دهیاری های کشور")
    ServicePageFactory(parent=service_index, unit=other, title="ارائه داده های آماری")

    html = client.get(service_index.url, {"unit": rural.pk}).content.decode()
    assert "درجه بندی دهیاری های کشور" in html
    assert "ارائه داده های آماری" not in html
    assert f'<option value="{other.pk}">' in html  # the other unit stays selectable
    # Junk in the filter shows everything, never an error.
    assert client.get(service_index.url, {"unit": "'; drop"}).status_code == 200


def test_service_list_queries_do_not_grow_with_services(client, service_index, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0  # the whole list read at each visit
    units = [OrgUnitFactory() for _ in range(5)]
    for n in range(10):
        ServicePageFactory(parent=service_index, unit=units[n % 5])
    count_queries(client, service_index.url)  # warm caches (site root paths)
    with_ten = count_queries(client, service_index.url)
    for n in range(190):
        ServicePageFactory(parent=service_index, unit=units[n % 5])
    with_two_hundred = count_queries(client, service_index.url)
    assert with_two_hundred == with_ten


def build_full_service(service_index, faqs):
    unit = OrgUnitFactory(name="دفتر ارزیابی عملکرد")
    page = ServicePageFactory(
        parent=service_index,
        unit=unit,
        title="نظارت و ارزیابی عملکرد شهرداریها",
        is_free=False,
        cost_rials=12500000,
        cost_legal_basis="مصوبه شورای برنامه ریزی",
        rules_text="<p>متن مقررات خدمت</p>",
    )
    officer = OfficerFactory(full_name="ابوالفضل یاری", position="ریاست سازمان", unit=unit)
    ServiceOfficer.objects.create(page=page, officer=officer, responsibility="تأیید نهایی")
    for n in range(3):
        ServiceInquiryFactory(page=page, title=f"استعلام {n}")
        ServiceWorkflowStepFactory(page=page, title=f"مرحله {n}", sort_order=n)
    for n in range(faqs):
        ServiceFAQFactory(page=page, question=f"پرسش شماره {n}؟")
    return page


def test_service_page_shows_all_nine_facets(client, service_index):
    page = build_full_service(service_index, faqs=2)
    html = client.get(page.url).content.decode()
    for heading in FACET_LABELS:
        assert f">{heading}</h2>" in html, heading
    assert "ابوالفضل یاری — ریاست سازمان" in html
    assert "۱۲٬۵۰۰٬۰۰۰ ریال" in html
    assert "۱۰ روز کاری" in html
    assert "پرسش شماره ۱؟" not in html and "پرسش شماره 1؟" in html  # editor text is shown as typed
    assert f'href="/request/?service={page.service_id}"' in html
    assert ">ثبت درخواست</a>" in html


def test_service_page_queries_do_not_grow_with_faqs(client, service_index, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0  # the facets read at each visit
    page = build_full_service(service_index, faqs=1)
    count_queries(client, page.url)
    with_one = count_queries(client, page.url)
    for n in range(29):
        ServiceFAQFactory(page=page, question=f"پرسش اضافه {n}")
    assert ServiceFAQ.objects.filter(page=page).count() == 30
    assert count_queries(client, page.url) == with_one


@pytest.mark.parametrize("online", [True, False])
def test_offline_services_have_no_request_button(client, service_index, online):
    page = ServicePageFactory(parent=service_index, accepts_online_requests=online)
    html = client.get(page.url).content.decode()
    assert (">ثبت درخواست</a>" in html) is online
