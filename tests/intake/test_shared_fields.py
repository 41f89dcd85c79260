"""The wizard forms share their declared fields instead of deep-copying them for every
form (the final submission builds four steps' forms again): a form that changes a
field changes its own copy, never another form's or another request's."""

from types import SimpleNamespace

from intake.forms import AttachmentsForm, CitizenForm, VisitForm
from tests.intake.conftest import VALID_CITIZEN


def test_a_valid_form_uses_the_declared_fields_as_they_are():
    form = CitizenForm(data=VALID_CITIZEN)
    assert form.is_valid(), form.errors
    assert form.fields["national_code"] is CitizenForm.base_fields["national_code"]


def test_error_marks_stay_on_the_form_that_has_the_error():
    wrong = CitizenForm(data={**VALID_CITIZEN, "national_code": "0076229646"})
    assert not wrong.is_valid()
    html = str(wrong["national_code"])
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_national_code_error"' in html
    assert "aria-invalid" not in CitizenForm.base_fields["national_code"].widget.attrs
    right = CitizenForm(data=VALID_CITIZEN)
    assert right.is_valid()
    assert "aria-invalid" not in str(right["national_code"])


def test_each_form_offers_its_own_choices():
    first = [SimpleNamespace(pk=1, full_name="مریم احمدی", position="ریاست سازمان")]
    second = [SimpleNamespace(pk=2, full_name="رضا رضایی", position="کارشناس")]
    a = VisitForm(officers=first, result_choices=["پاسخ داده شد"])
    b = VisitForm(officers=second, result_choices=[])
    assert [value for value, _label in a.fields["officer"].choices] == ["", "1"]
    assert [value for value, _label in b.fields["officer"].choices] == ["", "2"]
    assert [value for value, _label in a.fields["previous_visit_result"].choices] == ["", "پاسخ داده شد"]
    assert [value for value, _label in b.fields["previous_visit_result"].choices] == [""]
    assert not list(VisitForm.base_fields["officer"].choices)
    assert VisitForm(officers=[], result_choices=[]).fields["officer"].required is False
    assert VisitForm.base_fields["officer"].required is True


def test_the_attachment_fields_are_the_forms_own():
    existing = [SimpleNamespace(pk=7, original_name="scan.png")]
    form = AttachmentsForm(existing=existing)
    assert [value for value, _label in form.fields["remove"].choices] == ["7"]
    assert not list(AttachmentsForm.base_fields["remove"].choices)
    assert "accept" in form.fields["file1"].widget.attrs
    assert "accept" not in AttachmentsForm.base_fields["file1"].widget.attrs
