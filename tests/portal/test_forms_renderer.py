"""portal.forms_renderer: the widgets written out in Python give exactly the HTML of
Django's own templates, for every case the portal's forms (and Wagtail's) produce."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from intake.forms import CitizenForm, RequestDetailsForm, VisitForm
from portal.forms_renderer import FormRenderer
from portal.jalali import JalaliDateInput

DJANGO, OURS = DjangoTemplates(), FormRenderer()

CHOICES = [
    ("", "واحد را انتخاب کنید"),
    ("1", "دفتر ارزیابی عملکرد"),
    ("2", mark_safe("<b>safe</b> label")),
    ("3", 'quote " & <tag>'),
    ("گروه", [("4", "یک"), ("5", "دو")]),
]

WIDGETS = [
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.TextInput(attrs={"inputmode": "numeric", "required": True, "disabled": False}), "۰۴۹۹"),
    (forms.TextInput(attrs={"placeholder": 'a "quoted" <value> & more', "maxlength": 10}), '"><script>'),
    (forms.TextInput(attrs={"data-x": None}), 12),
    (forms.EmailInput(attrs={"dir": "ltr"}), "a@example.com"),
    (forms.NumberInput(), 3),
    (forms.PasswordInput(render_value=True), "secret"),
    (forms.HiddenInput(), "x"),
    (forms.DateInput(), "2026-11-24"),
    (JalaliDateInput(attrs={"data-jdp": ""}), "۱۴۰۵/۰۹/۰۳"),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.Textarea(), None),
    (forms.Textarea(attrs={"rows": 3, "maxlength": 500}), 'line one\nline <two> & "three"'),
    (forms.Textarea(), ""),
    (forms.Select(choices=CHOICES), "3"),
    (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=CHOICES, attrs={"aria-describedby": "x_error"}), "5"),
    (forms.SelectMultiple(choices=CHOICES), ["1", "4"]),
    (forms.CheckboxSelectMultiple(choices=CHOICES[1:3]), ["1"]),  # not written out: Django's
    (forms.RadioSelect(choices=CHOICES[1:3]), "1"),  # not written out: Django's
    (forms.ClearableFileInput(), None),  # not written out: Django's
]


@pytest.mark.parametrize(
    "widget,value", WIDGETS, ids=[f"{type(w).__name__}-{i}" for i, (w, _v) in enumerate(WIDGETS)]
)
def test_each_widget_renders_as_with_django_templates(widget, value):
    attrs = {"id": "id_field"}
    assert widget.render("field", value, attrs, renderer=OURS) == widget.render(
        "field", value, attrs, renderer=DJANGO
    )


def test_a_select_with_another_option_template_goes_to_django():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    widget = Custom(choices=CHOICES[:2])
    assert widget.render("f", "1", renderer=OURS) == widget.render("f", "1", renderer=DJANGO)


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {}, {"national_code": "<x>", "email": "bad", "mobile": "۰۹۱۲"}])
def test_the_wizard_forms_render_as_with_django_templates(data):
    from intake.catalog import ServiceOption, UnitOption

    unit = UnitOption(1, "دفتر ارزیابی")
    services = [ServiceOption(10, "10012135000", "صدور مجوز", 1, unit, 7)]
    built = [
        lambda: CitizenForm(data=data),
        lambda: RequestDetailsForm(data=data, services=services, max_length=1000),
        lambda: VisitForm(data=data, officers=[], result_choices=["انجام شد", "نیمه‌کاره <ماند>"]),
    ]
    for build in built:
        form = build()
        form.is_bound and form.is_valid()
        for name in form.fields:
            bound = form[name]
            assert bound.as_widget() == str(bound)  # sanity: the form's renderer is used
            ours = bound.field.widget.render(
                bound.html_name, bound.value(), bound.build_widget_attrs({"id": bound.auto_id}), OURS
            )
            theirs = bound.field.widget.render(
                bound.html_name, bound.value(), bound.build_widget_attrs({"id": bound.auto_id}), DJANGO
            )
            assert ours == theirs, name
