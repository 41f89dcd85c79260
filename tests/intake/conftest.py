import shutil

import pytest
from django.conf import settings
from django.core.cache import cache

from intake.models import IntakePage
from tests.factories import OfficerFactory, OrgUnitFactory, ServicePageFactory

VALID_CITIZEN = {
    "national_code": "۰۴۹۹۳۷۰۸۹۹",
    "first_name": "علي",
    "last_name": "كريمی",
    "mobile": "+98 912 123 4567",
    "landline": "021-12345678",
    "email": "Citizen@Example.com",
    "address": "تهران، خیابان آزادی، پلاک ۱۲",
}


@pytest.fixture(autouse=True)
def _clean_state():
    cache.clear()
    yield
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def intake_page(home):
    page = IntakePage(title="ثبت درخواست ارباب رجوع", slug="request")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def unit(db):
    return OrgUnitFactory(name="دفتر ارزیابی عملکرد، بازرسی و پاسخگویی به شکایات")


@pytest.fixture
def officer(unit):
    return OfficerFactory(unit=unit, full_name="مریم احمدی", position="ریاست سازمان")


@pytest.fixture
def service(service_index, unit, officer):
    return ServicePageFactory(
        parent=service_index,
        unit=unit,
        title="نظارت و ارزیابی عملکرد شهرداریها و دهیاریهای کشور",
        service_id="10012135000",
        processing_days=7,
    )


@pytest.fixture
def other_service(service_index):
    other_unit = OrgUnitFactory(name="دفتر برنامه ریزی و مدیریت توسعه روستایی")
    OfficerFactory(unit=other_unit, full_name="رضا رضایی", position="کارشناس")
    return ServicePageFactory(
        parent=service_index,
        unit=other_unit,
        title="صدور مجوز تاسیس دهیاری های کشور",
        service_id="10012135001",
    )
