"""Factories for the catalog and content (wagtail-factories + factory_boy).

Page factories need a parent: `ServicePageFactory(parent=index, unit=unit)`.
Pages are validated with full_clean() by `create_page`, as the admin would.
"""

import factory
import wagtail_factories
from wagtail.models import Locale, Page, Site

from cms_pages.models import FAQPage, InfoPackageIndexPage, InfoPackagePage, RulesIndexPage, RulesPage
from home.models import HomePage
from services.models import (
    Officer,
    OrgUnit,
    ServiceFAQ,
    ServiceIndexPage,
    ServiceInquiry,
    ServicePage,
    ServiceWorkflowStep,
)


def default_locale():
    return Locale.get_default()


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"واحد آزمایشی {n}")
    address = "خیابان آزادی"
    phone = "02100000000"
    locale = factory.LazyFunction(default_locale)


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    full_name = factory.Sequence(lambda n: f"متصدی {n}")
    position = "کارشناس"
    unit = factory.SubFactory(OrgUnitFactory)
    locale = factory.LazyFunction(default_locale)


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "داشبورد شهروندان"


class ServiceIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ServiceIndexPage

    title = "لیست خدمات"
    slug = "services"


class ServicePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ServicePage

    title = factory.Sequence(lambda n: f"خدمت آزمایشی {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    unit = factory.SubFactory(OrgUnitFactory)
    service_id = factory.Sequence(lambda n: f"{20000000000 + n}")
    summary = "خلاصه خدمت آزمایشی"
    applicants = "همه شهروندان"
    processing_days = 10
    description = "<p>شرح خدمت آزمایشی</p>"


class ServiceFAQFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceFAQ

    question = factory.Sequence(lambda n: f"پرسش {n}؟")
    answer = "پاسخ"


class ServiceInquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceInquiry

    title = factory.Sequence(lambda n: f"استعلام {n}")
    authority = "اداره ثبت احوال"


class ServiceWorkflowStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceWorkflowStep

    title = factory.Sequence(lambda n: f"مرحله {n}")


class InfoPackageIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = InfoPackageIndexPage

    title = "بسته اطلاع رسانی"


class InfoPackagePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = InfoPackagePage

    title = factory.Sequence(lambda n: f"بسته {n}")
    summary = "خلاصه بسته"
    body = factory.LazyFunction(lambda: [("paragraph", "<p>متن</p>")])


class RulesIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = RulesIndexPage

    title = "قوانین و مقررات"


class RulesPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = RulesPage

    title = factory.Sequence(lambda n: f"آیین‌نامه {n}")
    approving_authority = "هیئت وزیران"
    effective_date = factory.Faker("date_object")
    summary = "خلاصه"
    body = factory.LazyFunction(lambda: [("paragraph", "<p>متن</p>")])


class FAQPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FAQPage

    title = "پرسش و پاسخ"
    groups = factory.LazyFunction(
        lambda: [("group", {"title": "عمومی", "questions": [{"question": "چه؟", "answer": "<p>این.</p>"}]})]
    )


def make_site():
    """A HomePage as the default site's root (replacing Wagtail's welcome page)."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="home-test")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    return home
