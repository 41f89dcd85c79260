"""Every page type: allowed parents, an editor creating it in the admin, rendering."""

import datetime

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms_pages.models import (
    FAQPage,
    FormPage,
    InfoPackageIndexPage,
    InfoPackagePage,
    RequiredFormsPage,
    RulesIndexPage,
    RulesPage,
)
from home.models import HomePage
from services.models import ServiceIndexPage, ServicePage
from tests.factories import (
    FAQPageFactory,
    InfoPackageIndexPageFactory,
    InfoPackagePageFactory,
    OrgUnitFactory,
    RulesIndexPageFactory,
    RulesPageFactory,
    ServiceIndexPageFactory,
    make_site,
)


class PageTypeTests(WagtailPageTestCase):
    def setUp(self):
        self.home = make_site()
        self.login()

    def test_parent_and_child_rules(self):
        self.assertAllowedParentPageTypes(ServiceIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ServiceIndexPage, {ServicePage})
        self.assertAllowedParentPageTypes(ServicePage, {ServiceIndexPage})
        self.assertAllowedSubpageTypes(ServicePage, set())
        self.assertAllowedParentPageTypes(InfoPackagePage, {InfoPackageIndexPage})
        self.assertAllowedParentPageTypes(RulesPage, {RulesIndexPage})
        for model in (FAQPage, RequiredFormsPage, FormPage, RulesIndexPage, InfoPackageIndexPage):
            self.assertAllowedParentPageTypes(model, {HomePage})
        self.assertCanNotCreateAt(Page, ServicePage)
        self.assertCanNotCreateAt(HomePage, RulesPage)

    def test_editor_creates_a_service_page(self):
        index = ServiceIndexPageFactory(parent=self.home)
        unit = OrgUnitFactory()
        data = nested_form_data(
            {
                "title": "صدور مجوز تاسیس دهیاری های کشور",
                "slug": "dehyari",
                "unit": unit.pk,
                "service_id": "۱۰۰۱۲۱۳۱۰۰۰",
                "summary": "خلاصه",
                "accepts_online_requests": "on",
                "recipient_type": "g2c",
                "applicants": "شوراهای روستا",
                "delivery_channel": "mixed",
                "processing_days": "30",
                "objection_days": "10",
                "visits_required": "0",
                "is_free": "on",
                "rules_text": rich_text("<p>مقررات</p>"),
                "description": rich_text("<p>شرح</p>"),
                "inquiries": inline_formset(
                    [{"title": "استعلام هویت", "authority": "ثبت احوال", "note": ""}]
                ),
                "workflow_steps": inline_formset([{"title": "ثبت", "description": ""}]),
                "responsible_officers": inline_formset([]),
                "faqs": inline_formset([{"question": "چقدر طول می‌کشد؟", "answer": "۳۰ روز"}]),
                "rule_links": inline_formset([]),
                "documents": inline_formset([]),
            }
        )
        self.assertCanCreate(index, ServicePage, data)
        page = ServicePage.objects.get(slug="dehyari")
        assert page.service_id == "10012131000"
        assert page.faqs.get().question == "چقدر طول می‌کشد؟"

    def test_editor_gets_persian_error_for_a_bad_service_id(self):
        index = ServiceIndexPageFactory(parent=self.home)
        unit = OrgUnitFactory()
        url = f"/admin/pages/add/services/servicepage/{index.pk}/"
        data = nested_form_data(
            {
                "title": "خدمت",
                "slug": "bad-id",
                "unit": unit.pk,
                "service_id": "۱۲۳۴",
                "summary": "خلاصه",
                "applicants": "همه",
                "recipient_type": "g2c",
                "delivery_channel": "mixed",
                "processing_days": "5",
                "objection_days": "10",
                "visits_required": "0",
                "is_free": "on",
                "description": rich_text("<p>شرح</p>"),
                "inquiries": inline_formset([]),
                "workflow_steps": inline_formset([]),
                "responsible_officers": inline_formset([]),
                "faqs": inline_formset([]),
                "rule_links": inline_formset([]),
                "documents": inline_formset([]),
                "action-publish": "publish",
            }
        )
        response = self.client.post(url, data)
        assert response.status_code == 200
        assert "شناسه خدمت باید دقیقاً ۱۱ رقم باشد" in response.content.decode()
        assert not ServicePage.objects.filter(slug="bad-id").exists()

    def test_editor_creates_content_pages(self):
        self.assertCanCreate(
            self.home,
            FAQPage,
            nested_form_data(
                {
                    "title": "پرسش و پاسخ",
                    "slug": "faq",
                    "intro": rich_text(""),
                    "groups": streamfield([("group", {"title": "عمومی", "questions": streamfield([])})]),
                }
            ),
        )
        rules_index = RulesIndexPageFactory(parent=self.home)
        self.assertCanCreate(
            rules_index,
            RulesPage,
            nested_form_data(
                {
                    "title": "آیین نامه درجه بندی دهیاری ها",
                    "slug": "grading",
                    "kind": "regulation",
                    "approving_authority": "هیئت وزیران",
                    "reference_number": "",
                    "effective_date": "۱۳۹۷/۱۲/۲۰",
                    "in_force": "on",
                    "summary": "خلاصه",
                    "body": streamfield([("paragraph", rich_text("<p>متن</p>"))]),
                }
            ),
        )
        rules = RulesPage.objects.get(slug="grading")
        assert rules.effective_date == datetime.date(2019, 3, 11)  # Jalali typed, Gregorian stored
        self.assertCanCreate(
            self.home,
            FormPage,
            nested_form_data(
                {
                    "title": "فرم درخواست نقشه",
                    "slug": "map-request",
                    "intro": rich_text(""),
                    "thank_you_text": rich_text(""),
                    "from_address": "",
                    "to_address": "",
                    "subject": "",
                    "form_fields": inline_formset(
                        [{"label": "نام و نام خانوادگی", "field_type": "singleline", "required": "on",
                          "choices": "", "default_value": "", "help_text": ""}]
                    ),
                }
            ),
        )  # fmt: skip
        self.assertCanCreate(
            self.home,
            RequiredFormsPage,
            nested_form_data(
                {
                    "title": "فرمهای مورد نیاز جهت دریافت خدمات",
                    "slug": "required-forms",
                    "intro": rich_text(""),
                    "forms": inline_formset([]),
                }
            ),
        )


@pytest.fixture
def rendered(client, home):
    def get(page):
        response = client.get(page.url)
        assert response.status_code == 200
        return response.content.decode()

    return get


def test_rules_pages_show_jalali_date_and_status(rendered, home):
    index = RulesIndexPageFactory(parent=home)
    in_force = RulesPageFactory(
        parent=index, title="قانون تاسیس دهیاری ها", effective_date=datetime.date(1998, 7, 5), in_force=True
    )
    RulesPageFactory(parent=index, title="بخشنامه منسوخ", in_force=False)
    html = rendered(in_force)
    assert "۱۴ تیر ۱۳۷۷" in html
    assert "لازم‌الاجرا" in html
    listing = rendered(index)
    assert listing.index("قانون تاسیس دهیاری ها") < listing.index("بخشنامه منسوخ")
    assert "منسوخ" in listing


def test_info_package_and_faq_render(rendered, home):
    index = InfoPackageIndexPageFactory(parent=home)
    package = InfoPackagePageFactory(parent=index, title="راهنمای ثبت درخواست", summary="آنچه باید بدانید")
    assert "آنچه باید بدانید" in rendered(index)
    assert "راهنمای ثبت درخواست" in rendered(package)
    faq = FAQPageFactory(parent=home)
    html = rendered(faq)
    assert "<summary>چه؟</summary>" in html and "عمومی" in html
