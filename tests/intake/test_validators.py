import pytest
from django.core.exceptions import ValidationError

from intake.forms import CitizenForm
from intake.validators import normalise_landline, normalise_mobile, normalise_name, normalise_national_code

VALID_CODES = [
    "0499370899",
    "0790419904",
    "0084575948",
    "1583250689",
    "4032152314",
    "0076229645",
    "1234567891",
    "9876543210",
    "۰۴۹۹۳۷۰۸۹۹",
]
INVALID_CODES = [
    "0076229646",
    "0684159415",
    "4271427685",
    "1111111111",
    "0000000000",
    "0100000002",
    "049937089",
    "04993708990",
    "049937089²",
]
CITIZEN = {"first_name": "علی", "last_name": "کریمی", "mobile": "09121234567"}


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_national_codes_are_accepted_and_stored_ascii(code):
    value = normalise_national_code(code)
    assert value.isascii() and len(value) == 10


def test_arabic_indic_digits_accepted():
    assert normalise_national_code("٠٤٩٩٣٧٠٨٩٩") == "0499370899"


@pytest.mark.parametrize("code", INVALID_CODES)
def test_invalid_national_codes_are_refused(code):
    with pytest.raises(ValidationError):
        normalise_national_code(code)


@pytest.mark.parametrize("code", INVALID_CODES)
def test_invalid_national_code_is_a_persian_form_error(code):
    form = CitizenForm(data={**CITIZEN, "national_code": code})
    assert not form.is_valid()
    assert form.errors["national_code"] == ["شماره ملی معتبر نیست؛ ۱۰ رقم شماره ملی را درست وارد کنید."]


@pytest.mark.parametrize(
    "typed",
    [
        "09121234567",
        "9121234567",
        "+989121234567",
        "00989121234567",
        "989121234567",
        "۰۹۱۲ ۱۲۳ ۴۵۶۷",
        "0912-123-4567",
    ],
)
def test_mobile_prefixes_are_normalised(typed):
    assert normalise_mobile(typed) == "09121234567"


@pytest.mark.parametrize("typed", ["0912123456", "08121234567", "+19121234567", "abc", "", "091212345678"])
def test_bad_mobiles_are_refused(typed):
    with pytest.raises(ValidationError):
        normalise_mobile(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("02112345678", "02112345678"), ("۰۳۱-۳۲۱۲۳۴۵۶", "03132123456"), ("+98 21 1234 5678", "02112345678")],
)
def test_landlines_with_area_codes(typed, stored):
    assert normalise_landline(typed) == stored


@pytest.mark.parametrize("typed", ["12345678", "09121234567", "01912345678", "0211234567"])
def test_landlines_without_a_real_area_code_are_refused(typed):
    with pytest.raises(ValidationError):
        normalise_landline(typed)


def test_names_get_persian_letters_and_lose_bidi_controls():
    assert normalise_name("\u202bعلي\u202c  كاظمی\u200f") == "علی کاظمی"


@pytest.mark.parametrize("typed", ["علی۲", "<script>", "Ali1"])
def test_names_with_digits_or_markup_are_refused(typed):
    with pytest.raises(ValidationError):
        normalise_name(typed)


def test_citizen_form_requires_the_starred_fields_in_persian():
    form = CitizenForm(data={})
    assert not form.is_valid()
    assert form.errors["national_code"] == ["«شماره ملی» را وارد کنید."]
    assert form.errors["first_name"] == ["«نام» را وارد کنید."]
    assert form.errors["last_name"] == ["«نام خانوادگی» را وارد کنید."]
    assert form.errors["mobile"] == ["«تلفن همراه» را وارد کنید."]
    assert "landline" not in form.errors and "email" not in form.errors and "address" not in form.errors


def test_numeric_inputs_use_inputmode_not_type_number():
    html = str(CitizenForm())
    assert 'type="number"' not in html
    assert html.count('inputmode="numeric"') == 3
