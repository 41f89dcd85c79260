"""What search keeps in memory between requests (the autocomplete index, the unit list,
the site, its settings, the dashboard menu) follows every change at once, including a
change committed by another process; the response cache is off here (conftest)."""

import pytest
from django.db import connection
from django.db.models import F
from django.urls import reverse

from home.models import DashboardMenu, DashboardMenuItem, PortalSettings
from portal import cache as portal_cache
from search import cache
from search.models import Generation
from search.suggest import SuggestionIndex
from services.models import ServicePage
from tests.factories import OrgUnitFactory, ServicePageFactory

pytestmark = pytest.mark.django_db


def suggested(client, query, **params):
    response = client.get(reverse("search_autocomplete"), {"query": query, **params})
    return [s["title"] for s in response.json()["suggestions"]]


def another_process_committed_a_change():
    """What the Generation row looks like after another worker's commit."""
    Generation.objects.update_or_create(pk=1, defaults={"value": F("value") + 1})


def test_autocomplete_index_follows_publish_unpublish_and_edits(client, catalog, service_index):
    assert suggested(client, "کارت") == ["صدور کارت ملی"]  # the index is built now
    new = ServicePageFactory(parent=service_index, title="تمدید کارت بازرگانی", live=False)
    assert "تمدید کارت بازرگانی" not in suggested(client, "کارت")
    new.save_revision().publish()
    assert "تمدید کارت بازرگانی" in suggested(client, "کارت")
    new.refresh_from_db()
    new.title = "تمدید کارت عضویت"
    new.save_revision().publish()
    assert "تمدید کارت عضویت" in suggested(client, "کارت")
    assert "تمدید کارت بازرگانی" not in suggested(client, "کارت")
    new.unpublish()
    assert suggested(client, "کارت") == ["صدور کارت ملی"]


def test_a_change_committed_by_another_process_is_seen_at_once(client, catalog):
    assert suggested(client, "کارت") == ["صدور کارت ملی"]
    # Another worker renamed the page: no signal reaches this process, only its commit
    # of the generation row.
    ServicePage.objects.filter(pk=catalog["card"].pk).update(title="صدور کارت ملی هوشمند")
    assert suggested(client, "کارت") == ["صدور کارت ملی"]  # still this generation
    another_process_committed_a_change()
    assert suggested(client, "کارت") == ["صدور کارت ملی هوشمند"]


def test_a_commit_bumps_the_generation_row_once(service_index, django_capture_on_commit_callbacks):
    def stored():
        row = Generation.objects.filter(pk=1).first()
        return row.value if row else 0

    connection.run_on_commit.clear()  # the fixtures' own changes: committed, for this test
    before, token = stored(), cache.generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page = ServicePageFactory(parent=service_index, title="صدور پروانه")
        page.save_revision().publish()
        assert stored() == before  # not before the commit: other processes see old data
        assert cache.generation() != token  # this process sees its change at once
    assert len(callbacks) == 1  # one bump for the whole transaction
    assert stored() == before + 1


def test_unit_list_follows_unit_and_service_changes(client, catalog, service_index):
    names = lambda: [unit.name for unit in client.get(reverse("search")).context["units"]]  # noqa: E731
    assert "دفتر فناوری" not in names()
    unit = OrgUnitFactory(name="دفتر فناوری")
    ServicePageFactory(parent=service_index, unit=unit, title="ثبت نام دوره")
    assert "دفتر فناوری" in names()
    unit.name = "دفتر فناوری اطلاعات"
    unit.save()
    assert "دفتر فناوری اطلاعات" in names()


@pytest.fixture
def menu(home, service_index):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    menu = DashboardMenu.for_site(site)
    DashboardMenuItem.objects.create(menu=menu, sort_order=0, label="لیست خدمات", link_page=service_index)
    DashboardMenuItem.objects.create(menu=menu, sort_order=1, label="ثبت درخواست", link_url="/request/")
    return menu


def search_html(client):
    return client.get(reverse("search"), {"query": "کارت"}).content.decode()


def test_menu_is_kept_per_generation_and_follows_menu_edits(client, catalog, menu):
    html = search_html(client)
    assert ">لیست خدمات</a>" in html and ">ثبت درخواست</a>" in html
    item = menu.items.get(label="ثبت درخواست")
    # Kept: a change that bypasses the signals is not seen ...
    DashboardMenuItem.objects.filter(pk=item.pk).update(label="ثبت درخواست جدید")
    assert ">ثبت درخواست</a>" in search_html(client)
    # ... an editor's save is, and so is a deleted item.
    item.refresh_from_db()
    item.label = "ثبت درخواست ارباب رجوع"
    item.save()
    assert ">ثبت درخواست ارباب رجوع</a>" in search_html(client)
    item.delete()
    assert "ثبت درخواست" not in search_html(client)


def test_menu_follows_the_linked_page(client, catalog, menu, service_index):
    assert f'href="{service_index.url}"' in search_html(client)
    service_index.slug = "khadamat"
    service_index.save_revision().publish()
    service_index.refresh_from_db()
    assert f'href="{service_index.url}"' in search_html(client)
    assert service_index.url.endswith("/khadamat/")
    service_index.unpublish()
    assert f'href="{service_index.url}"' not in search_html(client)


def test_menu_on_other_pages_is_read_fresh(client, catalog, menu):
    client.get(reverse("search"))
    DashboardMenuItem.objects.filter(label="ثبت درخواست").update(label="ثبت درخواست جدید")
    assert ">ثبت درخواست جدید</a>" in client.get("/").content.decode()


def test_site_settings_follow_an_edit(client, catalog):
    assert "| پورتال آزمایشی" not in search_html(client)
    settings = PortalSettings.objects.get()
    settings.portal_name = "پورتال آزمایشی"
    settings.save()
    assert "| پورتال آزمایشی" in search_html(client)
    PortalSettings.objects.update(portal_name="پورتال دیگر")  # bypasses the signals: kept
    assert "| پورتال آزمایشی" in search_html(client)


def test_memory_keeps_only_recent_generations():
    built = []
    for token in ["a", "b", "c"]:
        cache.remembered(token, "x", lambda token=token: built.append(token) or token)
    assert cache.remembered("c", "x", lambda: "rebuilt") == "c"
    assert cache.remembered("a", "x", lambda: "rebuilt") == "rebuilt"
    assert len(portal_cache._memory) <= portal_cache.MEMORY_GENERATIONS


def entry(title, service_id=None):
    from portal.persian import search_key

    text = title if service_id is None else f"{title} {service_id}"
    return (search_key(text), service_id is not None, {"title": title})


def test_suggestion_index_ranks_more_matches_then_newest():
    index = SuggestionIndex(
        [
            entry("صدور کارت", "10000000001"),
            entry("کارت کارت", "10000000002"),
            entry("صدور گذرنامه"),
            entry("كارت ملي", "10000000003"),
        ]
    )
    assert [s["title"] for s in index.suggest("کار")] == ["کارت کارت", "كارت ملي", "صدور کارت"]
    assert [s["title"] for s in index.suggest("صد")] == ["صدور گذرنامه", "صدور کارت"]
    assert [s["title"] for s in index.suggest("صد", services_only=True)] == ["صدور کارت"]
    assert [s["title"] for s in index.suggest("۱۰۰۰۰۰۰۰۰۰۳")] == ["كارت ملي"]
    assert [s["title"] for s in index.suggest("کارت مل")] == ["كارت ملي"]
    assert index.suggest("کارت x") == []
    assert index.suggest("***") == []
    assert len(index.suggest("کار", limit=2)) == 2


def test_suggestion_index_prefixes_of_many_words_match_like_short_ones(monkeypatch):
    from search import suggest

    monkeypatch.setattr(suggest, "WIDE", 2)
    entries = [entry(f"خدمت {n}", f"3000000{n:04d}") for n in range(12)] + [entry("صدور 30 30")]
    index = SuggestionIndex(entries)
    assert "3" in index.wide and "30000000" in index.wide  # merged when built
    assert [s["title"] for s in index.suggest("۳۰", limit=20)] == ["صدور 30 30"] + [
        f"خدمت {n}" for n in reversed(range(12))
    ]
    assert [s["title"] for s in index.suggest("3000000001")] == [f"خدمت {n}" for n in (11, 10)]
    assert len(index.suggest("۳")) == 10


def test_unit_filter_options_mark_the_chosen_unit(client, catalog):
    rural = catalog["units"]["rural"]
    html = client.get(reverse("search"), {"query": "دهیاری", "unit": str(rural.pk)}).content.decode()
    assert f'<option value="{rural.pk}" selected>{rural.name}</option>' in html
    assert '<option value="">همه واحدها</option>' in html
    other = catalog["units"]["audit"]
    assert f'<option value="{other.pk}">{other.name}</option>' in html


def test_without_a_generation_nothing_is_remembered():
    calls = []
    for _ in range(2):
        assert portal_cache.remembered(None, "no-generation", lambda: calls.append(1) or len(calls)) == len(
            calls
        )
    assert calls == [1, 1]
