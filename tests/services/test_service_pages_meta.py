"""What the service list and a service page tell a search engine and a citizen beyond
their text: a meta description from the service's summary, service IDs kept whole
and left-to-right, downloads with their kind and size in Persian."""

import re

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from portal.persian import file_size_text
from services.models import ServiceDocument
from tests.factories import OrgUnitFactory, ServicePageFactory

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
ISOLATED_ID = '<bdi dir="ltr" class="ltr">۱۰۰۱۲۱۳۵۰۰۰</bdi>'


@pytest.fixture(autouse=True)
def fresh_cache(uncached):
    """Every test here reads freshly rendered pages (tests/conftest.py)."""


@pytest.fixture
def service(service_index):
    return ServicePageFactory(
        parent=service_index,
        unit=OrgUnitFactory(name="دفتر ارزیابی عملکرد"),
        title="نظارت و ارزیابی عملکرد شهرداریها",
        service_id="10012135000",
        summary="ارزیابی دوره ای عملکرد شهرداری ها و دهیاری ها و اعلام نتیجه به دستگاه های ذی ربط.",
    )


def description(client, url):
    return DESCRIPTION.search(client.get(url).content.decode()).group(1)


def test_a_service_page_is_described_by_its_summary(client, service):
    assert description(client, service.url) == service.summary


def test_a_long_summary_is_cut_to_a_search_snippet(client, service):
    service.summary = "شرح " * 150
    service.save_revision().publish()
    text = description(client, service.url)
    assert len(text) <= 160 and text.endswith("…")


def test_the_editors_search_description_wins(client, service):
    service.search_description = "توضیح ویژه موتورهای جستجو"
    service.save_revision().publish()
    assert description(client, service.url) == "توضیح ویژه موتورهای جستجو"


def test_the_service_list_is_described_by_its_intro(client, service_index):
    service_index.intro = "<p>خدمات سازمان به تفکیک واحد سازمانی.</p>"
    service_index.save_revision().publish()
    assert description(client, service_index.url) == "خدمات سازمان به تفکیک واحد سازمانی."


def test_service_ids_are_isolated_left_to_right_in_persian_digits(client, service, service_index):
    assert ISOLATED_ID in client.get(service_index.url).content.decode()
    page = client.get(service.url).content.decode()
    assert page.count(ISOLATED_ID) == 2  # under the title and in the identity card
    assert 'dir="ltr">۱۰۰۱۲۱۳۵۰۰۰</dd>' not in page  # no longer a bare ltr cell


def test_downloads_show_their_kind_and_size(client, service):
    document = get_document_model().objects.create(
        title="راهنمای ثبت درخواست", file=ContentFile(b"%PDF-1.4\n" + b"0" * 150_000, name="guide.pdf")
    )
    ServiceDocument.objects.create(page=service, document=document)
    html = client.get(service.url).content.decode()
    assert 'راهنمای ثبت درخواست</bdi></a> <span class="muted">(\u2068PDF\u2069، ۱۴۶ کیلوبایت)</span>' in html


def test_a_download_whose_file_is_gone_shows_its_kind_only(client, service):
    document = get_document_model().objects.create(
        title="فرم", file=ContentFile(b"%PDF-1.4", name="form.pdf")
    )
    stored_as = document.file.name
    document.file.delete(save=False)  # the file left the storage; its size was never read
    get_document_model().objects.filter(pk=document.pk).update(file_size=None, file=stored_as)
    ServiceDocument.objects.create(page=service, document=document)
    response = client.get(service.url)
    assert response.status_code == 200
    assert '<span class="muted">(\u2068PDF\u2069)</span>' in response.content.decode()


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (None, ""),
        (900, "۹۰۰ بایت"),
        (150_010, "۱۴۶ کیلوبایت"),
        (1_500_000, "۱٫۴ مگابایت"),
        (2 * 1024**2, "۲ مگابایت"),
    ],
)
def test_file_size_text(size, text):
    assert file_size_text(size) == text
