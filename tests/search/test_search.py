"""Search as a citizen sees it: /search/ and /search/autocomplete/, on whichever
database DATABASE_URL names (test_both_databases.py runs this file on PostgreSQL too)."""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from search import services
from tests.factories import ServicePageFactory

pytestmark = pytest.mark.django_db


def found_titles(client, query, **params):
    response = client.get(reverse("search"), {"query": query, **params})
    assert response.status_code == 200
    results = response.context["search_results"]
    return {page.title for page in results.object_list}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("كارت ملي", "صدور کارت ملی"),
        ("۱۴۰۳", "گزارش عملکرد سال 1403"),
        ("1403", "بخشنامه بودجه ۱۴۰۳"),
        ("محمد", "ثبت نام مُحَمَّد در سامانه"),
        ("مُحَمَّد", "ثبت نام مُحَمَّد در سامانه"),
    ],
)
def test_persian_variants_find_each_other(client, catalog, query, expected):
    assert expected in found_titles(client, query)


def test_arabic_yeh_finds_the_dehyari_services(client, catalog):
    titles = found_titles(client, "دهياري")
    assert {
        "صدور مجوز تاسیس دهیاری های کشور",
        "درجه بندی دهیاری های کشور",
        "نظارت و ارزیابی عملکرد شهرداریها و دهیاریهای کشور",
    } <= titles


@pytest.mark.parametrize("query", ["گذرنامه\u200cی", "گذرنامهی", "گذرنامه"])
def test_the_three_zwnj_forms_find_each_other(client, catalog, query):
    assert {"تمدید گذرنامه\u200cی دانشجویی", "تمدید گذرنامهی زیارتی", "صدور گذرنامه"} <= found_titles(
        client, query
    )


@pytest.mark.parametrize("query", ["10012135000", "۱۰۰۱۲۱۳۵۰۰۰", " ۱۰۰ ۱۲۱۳ ۵۰۰۰ "])
def test_a_service_id_opens_the_service(client, catalog, query):
    response = client.get(reverse("search"), {"query": query})
    assert response.status_code == 302
    assert response["Location"] == catalog["seed"].url


def test_an_unknown_service_id_is_a_plain_search(client, catalog):
    response = client.get(reverse("search"), {"query": "99999999999"})
    assert response.status_code == 200
    assert "نتیجه‌ای یافت نشد" in response.content.decode()


def test_drafts_unpublished_and_private_pages_are_never_found(client, catalog, service_index):
    draft = ServicePageFactory(parent=service_index, title="کارت ملی پیش‌نویس", live=False)
    unpublished = ServicePageFactory(parent=service_index, title="کارت ملی منتشرنشده")
    assert "کارت ملی منتشرنشده" in found_titles(client, "کارت ملی")
    unpublished.unpublish()
    private = ServicePageFactory(parent=service_index, title="کارت ملی خصوصی")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    titles = found_titles(client, "کارت ملی")
    assert "صدور کارت ملی" in titles
    assert not {draft.title, unpublished.title, private.title} & titles
    suggestions = client.get(reverse("search_autocomplete"), {"query": "کارت"}).json()["suggestions"]
    assert {s["title"] for s in suggestions} == {"صدور کارت ملی"}
    response = client.get(reverse("search"), {"query": private.service_id})
    assert response.status_code == 200  # no redirect to a private service


def test_index_follows_publish_and_unpublish(client, catalog, service_index):
    page = ServicePageFactory(parent=service_index, title="صدور پروانه کسب", live=False)
    assert "صدور پروانه کسب" not in found_titles(client, "پروانه")
    page.save_revision().publish()
    assert "صدور پروانه کسب" in found_titles(client, "پروانه")
    page.refresh_from_db()
    page.title = "صدور جواز کسب"
    page.save_revision().publish()
    assert "صدور جواز کسب" in found_titles(client, "جواز")
    assert "صدور جواز کسب" not in found_titles(client, "پروانه")
    page.unpublish()
    assert "صدور جواز کسب" not in found_titles(client, "جواز")


def test_results_show_unit_and_service_id_in_persian_digits(client, catalog):
    response = client.get(reverse("search"), {"query": "نظارت"})
    html = response.content.decode()
    assert "۱۰۰۱۲۱۳۵۰۰۰" in html
    assert "دفتر ارزیابی عملکرد، بازرسی و پاسخگویی به شکایات" in html


def test_filter_by_unit(client, catalog):
    rural = catalog["units"]["rural"]
    titles = found_titles(client, "دهیاری", unit=str(rural.pk))
    assert titles == {"صدور مجوز تاسیس دهیاری های کشور", "درجه بندی دهیاری های کشور"}
    response = client.get(reverse("search"), {"query": "دهیاری", "unit": "۱۲abc"})
    assert response.status_code == 200  # a bad unit is ignored, never a 500


def test_content_pages_are_found(client, catalog):
    assert "بخشنامه بودجه ۱۴۰۳" in found_titles(client, "بخشنامه")


def test_pagination(client, catalog, service_index):
    for n in range(23):
        ServicePageFactory(parent=service_index, title=f"خدمت شماره {n}")
    first = client.get(reverse("search"), {"query": "خدمت شماره"})
    assert first.context["result_count"] == 23
    assert len(first.context["search_results"].object_list) == 10
    assert "صفحه ۱ از ۳" in first.content.decode()
    last = client.get(reverse("search"), {"query": "خدمت شماره", "page": "۳"})
    assert len(last.context["search_results"].object_list) == 3
    beyond = client.get(reverse("search"), {"query": "خدمت شماره", "page": "99"})
    assert beyond.status_code == 200


def test_empty_and_no_result_states_suggest_the_service_list_and_faq(client, catalog, service_index):
    for params in ({}, {"query": "ققنوس"}):
        response = client.get(reverse("search"), params)
        html = response.content.decode()
        assert response.status_code == 200
        assert service_index.url in html
        assert catalog["faq"].url in html
    assert "نتیجه‌ای یافت نشد" in client.get(reverse("search"), {"query": "ققنوس"}).content.decode()


def test_punctuation_only_query_is_harmless(client, catalog):
    for query in ['"*', "'; DROP", "(((", "%s", "NEAR(", "*"]:
        assert client.get(reverse("search"), {"query": query}).status_code == 200
        assert client.get(reverse("search_autocomplete"), {"query": query}).status_code == 200


def test_autocomplete_prefix_on_normalised_titles(client, catalog):
    response = client.get(reverse("search_autocomplete"), {"query": "صدور كا"})
    data = response.json()
    assert [s["title"] for s in data["suggestions"]] == ["صدور کارت ملی"]
    suggestion = data["suggestions"][0]
    assert suggestion["url"] == catalog["card"].url
    assert suggestion["kind"] == "service"
    assert suggestion["service_id"] == catalog["card"].service_id
    assert suggestion["unit"] == "دفتر خدمات عمومی"


def test_autocomplete_finds_service_ids_in_persian_digits(client, catalog):
    data = client.get(reverse("search_autocomplete"), {"query": "۱۰۰۱۲۱"}).json()
    assert [s["service_id"] for s in data["suggestions"]] == ["10012135000"]


def test_autocomplete_returns_at_most_ten(client, catalog, service_index):
    for n in range(15):
        ServicePageFactory(parent=service_index, title=f"تعویض پلاک {n}")
    data = client.get(reverse("search_autocomplete"), {"query": "تعویض"}).json()
    assert len(data["suggestions"]) == services.AUTOCOMPLETE_LIMIT == 10


def test_autocomplete_services_only(client, catalog):
    all_kinds = client.get(reverse("search_autocomplete"), {"query": "بخشنامه"}).json()["suggestions"]
    assert [s["kind"] for s in all_kinds] == ["page"]
    services_only = client.get(reverse("search_autocomplete"), {"query": "بخشنامه", "kind": "service"})
    assert services_only.json()["suggestions"] == []


def test_autocomplete_empty_query(client, catalog):
    assert client.get(reverse("search_autocomplete")).json() == {"query": "", "suggestions": []}


def test_content_page_linked_to_a_service_is_not_shown_as_a_service(client, catalog, home):
    from tests.factories import InfoPackageIndexPageFactory, InfoPackagePageFactory

    packages = InfoPackageIndexPageFactory(parent=home)
    InfoPackagePageFactory(parent=packages, title="بسته اطلاع رسانی کارت", service=catalog["card"])
    response = client.get(reverse("search"), {"query": "بسته اطلاع رسانی"})
    html = response.content.decode()
    assert "بسته اطلاع رسانی کارت" in html
    assert "شناسه خدمت" not in html


@pytest.fixture
def no_content_version(monkeypatch):
    """The cache holding the content version cannot be reached."""
    from portal import content_version

    monkeypatch.setattr(content_version, "current", lambda: None)


def test_autocomplete_without_a_content_version_asks_the_backend(client, catalog, no_content_version):
    def suggested(query, **params):
        response = client.get(reverse("search_autocomplete"), {"query": query, **params})
        return response.json()["suggestions"]

    [card] = suggested("صدور كا")
    assert card == {
        "title": "صدور کارت ملی",
        "url": catalog["card"].url,
        "kind": "service",
        "service_id": catalog["card"].service_id,
        "unit": "دفتر خدمات عمومی",
    }
    assert [s["service_id"] for s in suggested("۱۰۰۱۲۱")] == ["10012135000"]
    assert [s["kind"] for s in suggested("بخشنامه")] == ["page"]
    assert suggested("بخشنامه", kind="service") == []
    assert {s["title"] for s in suggested("گذرنامه\u200cی")} == {
        "تمدید گذرنامه\u200cی دانشجویی",
        "تمدید گذرنامهی زیارتی",
        "صدور گذرنامه",
    }
