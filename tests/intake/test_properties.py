"""Property tests: normalisation is idempotent, no input makes a step's form raise, and
a tracking code typed in any digit script with separators is the same code."""

import string
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake import tracking, validators
from intake.forms import AttachmentsForm, ChooseServiceForm, CitizenForm, RequestDetailsForm, VisitForm
from tests.intake.test_tracking import KNOWN_VALID_CODES

PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكى"
DIGITS = "0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩²"
MARKS = "\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069 -+/()\r\n\t\x00"
alphabet = st.sampled_from(PERSIAN + DIGITS + MARKS + string.ascii_letters + string.punctuation)
typed = st.one_of(st.text(alphabet, max_size=40), st.text(max_size=40))
digits_like = st.text(st.sampled_from(DIGITS + " -+()\u200f"), max_size=20)
PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def idempotent(normalise, value):
    try:
        once = normalise(value)
    except ValidationError:
        return
    assert normalise(once) == once


@PROPERTY_SETTINGS
@given(st.one_of(typed, digits_like))
def test_normalisers_are_idempotent(value):
    for normalise in (
        validators.normalise_national_code,
        validators.normalise_mobile,
        validators.normalise_landline,
        validators.normalise_name,
        validators.normalise_free_text,
    ):
        idempotent(normalise, value)


@PROPERTY_SETTINGS
@given(digits_like)
def test_normalised_numbers_are_ascii_digits(value):
    for normalise in (validators.normalise_national_code, validators.normalise_mobile):
        try:
            result = normalise(value)
        except ValidationError:
            continue
        assert result.isascii() and result.isdigit()


def fake_services():
    unit = SimpleNamespace(pk=1, name="واحد")
    return [SimpleNamespace(unit_id=1, unit=unit, service_id="10012135000", title="خدمت")]


def fake_officers():
    return [SimpleNamespace(pk=7, full_name="مریم احمدی", position="کارشناس")]


FORMS = {
    "choose": (
        lambda data: ChooseServiceForm(data=data, services=fake_services()),
        ["unit", "service", "service_id", "agree"],
    ),
    "details": (
        lambda data: RequestDetailsForm(data=data, services=fake_services()),
        ["unit", "service", "service_id", "request_text"],
    ),
    "attachments": (lambda data: AttachmentsForm(data=data, files={}), ["remove"]),
    "citizen": (
        lambda data: CitizenForm(data=data),
        ["national_code", "first_name", "last_name", "mobile", "landline", "email", "address"],
    ),
    "visit": (
        lambda data: VisitForm(data=data, officers=fake_officers(), result_choices=["الف"]),
        ["officer", "visit_date", "previous_visit_result", "visit_description"],
    ),
}
date_like = st.from_regex(r"\A[0-9۰-۹]{1,5}[/\-.][0-9۰-۹]{1,3}[/\-.][0-9۰-۹]{1,3}\Z")


@PROPERTY_SETTINGS
@given(st.sampled_from(sorted(FORMS)), st.data())
def test_no_input_makes_a_step_form_raise(name, data):
    build, fields = FORMS[name]
    values = {}
    for field in fields:
        strategy = st.one_of(
            typed, digits_like, date_like, st.sampled_from(["10012135000", "1", "7", "on", "الف"])
        )
        values[field] = data.draw(strategy, label=field)
    form = build(values)
    valid = form.is_valid()  # must not raise
    assert isinstance(valid, bool)
    if not valid:
        for errors in form.errors.values():
            assert all(isinstance(message, str) and message for message in errors)


SCRIPTS = (str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"), str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"), {})
SEPARATORS = st.text(st.sampled_from(" -\u200e\u200f\u202a\u202c\u2066\u2069"), max_size=2)


@PROPERTY_SETTINGS
@given(
    st.sampled_from(KNOWN_VALID_CODES),
    st.lists(st.sampled_from(SCRIPTS), min_size=16, max_size=16),
    st.lists(SEPARATORS, min_size=17, max_size=17),
)
def test_a_code_typed_in_any_script_with_separators_is_the_same_code(code, scripts, separators):
    typed = separators[0] + "".join(
        digit.translate(script) + separator
        for digit, script, separator in zip(code, scripts, separators[1:], strict=True)
    )
    assert tracking.normalise_tracking_code(typed) == code
    assert tracking.is_valid_tracking_code(tracking.normalise_tracking_code(typed))


@PROPERTY_SETTINGS
@given(st.one_of(typed, digits_like, st.text(st.sampled_from(DIGITS), min_size=14, max_size=18)))
def test_no_typed_value_makes_the_code_check_raise(value):
    normalised = tracking.normalise_tracking_code(value)
    if tracking.is_valid_tracking_code(normalised):
        assert len(normalised) == 16 and normalised.isascii() and normalised.isdigit()
        assert normalised[0] != "0"
