"""What the search pages show follows every change to public content at once: publish,
unpublish, edits, units, the unit filter, site settings and the dashboard menu around
the results (the response cache is off here, see conftest; test_cache.py has it on)."""

import pytest
from django.urls import reverse
from modelsearch.tasks import insert_or_update_object_task

from home.models import DashboardMenu, DashboardMenuItem, PortalSettings
from services.models import ServicePage
from tests.factories import OrgUnitFactory, ServicePageFactory

pytestmark = pytest.mark.django_db


def suggested(client, query, **params):
    response = client.get(reverse("search_autocomplete"), {"query": query, **params})
    return [s["title"] for s in response.json()["suggestions"]]


def found(client, query):
    response = client.get(reverse("search"), {"query": query})
    return [page.title for page in response.context["search_results"].object_list]


def search_html(client, **params):
    return client.get(reverse("search"), {"query": "کارت", **params}).content.decode()


def test_autocomplete_follows_publish_unpublish_and_edits(client, catalog, service_index):
    assert suggested(client, "کارت") == ["صدور کارت ملی"]
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


def test_a_background_reindex_is_picked_up(client, catalog):
    assert found(client, "کارت") == ["صدور کارت ملی"]
    # The page changed without a model signal, then the re-index task ran, as
    # db_worker runs it after a publish in production (the immediate backend runs it here).
    ServicePage.objects.filter(pk=catalog["card"].pk).update(title="صدور کارت هوشمند")
    insert_or_update_object_task.enqueue("services", "servicepage", catalog["card"].pk)
    assert found(client, "هوشمند") == ["صدور کارت هوشمند"]


def unit_option(unit, selected=False):
    return f'<option value="{unit.pk}"{" selected" if selected else ""}>{unit.name}</option>'


def test_unit_filter_lists_units_with_services_and_marks_the_chosen_one(client, catalog):
    rural, audit = catalog["units"]["rural"], catalog["units"]["audit"]
    html = search_html(client, unit=str(rural.pk))
    assert unit_option(rural, selected=True) in html
    assert unit_option(audit) in html
    assert '<option value="">همه واحدها</option>' in html
    html = search_html(client)
    assert unit_option(rural) in html and unit_option(audit) in html
    lonely = OrgUnitFactory(name="دفتر بدون خدمت")
    assert lonely.name not in search_html(client)


def test_unit_filter_follows_unit_and_service_changes(client, catalog, service_index):
    assert "دفتر فناوری" not in search_html(client)
    unit = OrgUnitFactory(name="دفتر فناوری")
    ServicePageFactory(parent=service_index, unit=unit, title="ثبت نام دوره")
    assert unit_option(unit) in search_html(client)
    unit.name = "دفتر فناوری اطلاعات"
    unit.save()
    assert unit_option(unit) in search_html(client)


@pytest.fixture
def menu(home, service_index):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    menu = DashboardMenu.for_site(site)
    DashboardMenuItem.objects.create(menu=menu, sort_order=0, label="لیست خدمات", link_page=service_index)
    DashboardMenuItem.objects.create(menu=menu, sort_order=1, label="ثبت درخواست", link_url="/request/")
    return menu


def test_menu_around_the_results_follows_menu_edits(client, catalog, menu):
    html = search_html(client)
    assert ">لیست خدمات</a>" in html and ">ثبت درخواست</a>" in html
    item = menu.items.get(label="ثبت درخواست")
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
    assert service_index.url.endswith("/khadamat/")
    assert f'href="{service_index.url}"' in search_html(client)


def test_site_settings_follow_an_edit(client, catalog):
    assert "| پورتال آزمایشی" not in search_html(client)
    settings = PortalSettings.objects.get()
    settings.portal_name = "پورتال آزمایشی"
    settings.save()
    assert "| پورتال آزمایشی" in search_html(client)
