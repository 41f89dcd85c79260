import pytest

from tests.factories import (
    FAQPageFactory,
    OrgUnitFactory,
    RulesIndexPageFactory,
    RulesPageFactory,
    ServicePageFactory,
)

SEED_SERVICE_ID = "10012135000"


@pytest.fixture
def catalog(service_index, home):
    """A small catalog with the seed's units and services and the Persian edge cases."""
    rural = OrgUnitFactory(name="دفتر برنامه ریزی و مدیریت توسعه روستایی")
    audit = OrgUnitFactory(name="دفتر ارزیابی عملکرد، بازرسی و پاسخگویی به شکایات")
    other = OrgUnitFactory(name="دفتر خدمات عمومی")

    def service(title, unit=other, **kwargs):
        return ServicePageFactory(parent=service_index, unit=unit, title=title, **kwargs)

    pages = {
        "license": service("صدور مجوز تاسیس دهیاری های کشور", rural),
        "grading": service("درجه بندی دهیاری های کشور", rural),
        "seed": service(
            "نظارت و ارزیابی عملکرد شهرداریها و دهیاریهای کشور", audit, service_id=SEED_SERVICE_ID
        ),
        "card": service("صدور کارت ملی"),
        "report": service("گزارش عملکرد سال 1403"),
        "name": service("ثبت نام مُحَمَّد در سامانه"),
        "zwnj": service("تمدید گذرنامه\u200cی دانشجویی"),
        "joined": service("تمدید گذرنامهی زیارتی"),
        "plain": service("صدور گذرنامه"),
    }
    rules_index = RulesIndexPageFactory(parent=home)
    pages["circular"] = RulesPageFactory(parent=rules_index, title="بخشنامه بودجه ۱۴۰۳")
    pages["faq"] = FAQPageFactory(parent=home, title="پرسش و پاسخ")
    pages["units"] = {"rural": rural, "audit": audit, "other": other}
    return pages


@pytest.fixture(autouse=True)
def no_response_cache(settings):
    """Tests read response.context: the response cache is tested on its own."""
    settings.SEARCH_CACHE_SECONDS = 0
