"""شناسه خدمت: 11 digits in any digit script, stored ASCII, unique, Persian errors."""

import pytest
from django.core.exceptions import ValidationError

from services.fields import ServiceIdFormField
from services.models import ServicePage
from tests.factories import OrgUnitFactory, ServicePageFactory


@pytest.mark.parametrize(
    "typed",
    ["۱۰۰۱۲۱۳۵۰۰۰", "١٠٠١٢١٣٥٠٠٠", "10012135000", " ۱۰۰۱۲-۱۳۵۰۰۰ ", "\u200f۱۰۰۱۲۱۳۵۰۰۰"],
)
def test_persian_and_arabic_digits_are_stored_as_ascii(service_index, typed):
    page = ServicePageFactory(parent=service_index, service_id=typed)
    page.refresh_from_db()
    assert page.service_id == "10012135000"
    assert ServicePage.objects.filter(service_id="10012135000").count() == 1


@pytest.mark.parametrize("typed", ["1001213500", "100121350001", "۱۰۰۱۲۱۳۵۰۰", "1001213500a", "abcdefghijk"])
def test_wrong_length_or_letters_refused_with_persian_message(service_index, typed):
    with pytest.raises(ValidationError) as error:
        ServicePageFactory(parent=service_index, service_id=typed)
    assert "شناسه خدمت باید دقیقاً ۱۱ رقم باشد" in str(error.value.message_dict["service_id"])
    assert not ServicePage.objects.exists()


def test_duplicate_refused_even_when_typed_in_persian_digits(service_index):
    unit = OrgUnitFactory()
    ServicePageFactory(parent=service_index, unit=unit, service_id="10012135000")
    with pytest.raises(ValidationError) as error:
        ServicePageFactory(parent=service_index, unit=unit, service_id="۱۰۰۱۲۱۳۵۰۰۰")
    assert "این شناسه خدمت برای خدمت دیگری ثبت شده است" in str(error.value.message_dict["service_id"])
    assert ServicePage.objects.count() == 1


def test_form_field_normalises_before_validation():
    field = ServiceIdFormField(required=True)
    assert field.clean("۱۰۰۱۲۱۳۵۰۰۰") == "10012135000"
    assert field.widget.attrs["inputmode"] == "numeric"


def test_priced_service_needs_an_amount(service_index):
    with pytest.raises(ValidationError) as error:
        ServicePageFactory(parent=service_index, is_free=False, cost_rials=None)
    assert "مبلغ هزینه" in str(error.value.message_dict["cost_rials"])
