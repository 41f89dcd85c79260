"""`load_demo` builds the whole Persian demo and running it twice changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import Page, Revision

from cms_pages.models import FormPage, RequiredFormsPage, RulesPage
from home.models import DashboardMenu, PortalSettings
from services.models import Officer, OrgUnit, ServicePage

MENU_LABELS = [
    "لیست خدمات",
    "بسته اطلاع رسانی",
    "فرمهای مورد نیاز جهت دریافت خدمات",
    "ثبت درخواست ارباب رجوع",
    "نظرسنجی و پیگیری درخواست",
    "مشاهده مراحل گردش کار",
    "مشاهده سوابق درخواست ها",
    "فرم درخواست نقشه",
    "فرم قوانین و مقررات",
    "فرم اطلاعات آمارگیران",
    "پرسش و پاسخ",
]


def snapshot():
    return {
        "pages": sorted(Page.objects.values_list("url_path", "title", "live")),
        "units": sorted(OrgUnit.objects.values_list("name", "address")),
        "officers": sorted(Officer.objects.values_list("full_name", "position")),
        "services": sorted(ServicePage.objects.values_list("service_id", "title", "unit__name")),
        "faqs": sorted(ServicePage.objects.values_list("faqs__question", flat=True)),
        "documents": get_document_model().objects.count(),
        "revisions": Revision.objects.count(),
        "menu": list(DashboardMenu.objects.get().items.values_list("label", "link_url")),
        "users": get_user_model().objects.count(),
    }


@pytest.fixture
def demo(db):
    call_command("load_demo", "--demo-admin", "--no-index", verbosity=0)


def test_demo_twice_gives_the_same_content(demo):
    first = snapshot()
    call_command("load_demo", "--demo-admin", "--no-index", verbosity=0)
    assert snapshot() == first


def test_demo_has_the_seed_catalog(demo):
    evaluation = ServicePage.objects.get(service_id="10012135000")
    assert evaluation.title == "نظارت و ارزیابی عملکرد شهرداریها و دهیاریهای کشور"
    assert evaluation.unit.name == "دفتر ارزیابی عملکرد، بازرسی و پاسخگویی به شکایات"
    rural = ServicePage.objects.filter(unit__name="دفتر برنامه ریزی و مدیریت توسعه روستایی")
    assert sorted(rural.values_list("title", flat=True)) == [
        "درجه بندی دهیاری های کشور",
        "صدور مجوز تاسیس دهیاری های کشور",
    ]
    assert OrgUnit.objects.count() >= 6
    assert ServicePage.objects.live().count() >= 20
    assert Officer.objects.filter(full_name="ابوالفضل یاری", position="ریاست سازمان").exists()
    for service in ServicePage.objects.all():
        facets = service.facet_data
        assert facets["inquiries"] and facets["workflow_steps"] and facets["officers"], service.title
        assert facets["faqs"] and facets["documents"] and service.description, service.title
        assert service.rules_text and service.applicants and service.processing_days
    assert RulesPage.objects.filter(in_force=False).exists()


def test_demo_content_pages_settings_and_admin(demo):
    assert FormPage.objects.live().count() == 3
    forms = RequiredFormsPage.objects.get()
    groups = forms.grouped_forms()
    assert len(groups) >= 3
    document = forms.forms.first().document
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"  # a real downloadable PDF
    portal = PortalSettings.objects.get()
    assert portal.head_name == "ابوالفضل یاری"
    assert len(portal.intro_notes) == 6
    assert portal.version == "1.0.0"
    menu = DashboardMenu.objects.get()
    assert [item.label for item in menu.items.all()] == MENU_LABELS
    assert get_user_model().objects.get(username="admin").check_password("changeme")


def test_demo_admin_refused_outside_development(db, settings):
    from django.core.management.base import CommandError

    settings.DEMO_ADMIN_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_demo", "--demo-admin", "--no-index", verbosity=0)
    assert not get_user_model().objects.filter(username="admin").exists()
