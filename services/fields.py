"""The national service ID (شناسه خدمت): 11 digits, typed in any digit script."""

from django import forms
from django.core.validators import RegexValidator
from django.db import models

from portal.persian import canonical_digits

SERVICE_ID_MESSAGE = "شناسه خدمت باید دقیقاً ۱۱ رقم باشد (مانند ۱۰۰۱۲۱۳۵۰۰۰)."
validate_service_id = RegexValidator(r"^\d{11}$", SERVICE_ID_MESSAGE, code="invalid_service_id")


class ServiceIdFormField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"})

    def to_python(self, value):
        value = super().to_python(value)
        return canonical_digits(value) if value else value


class ServiceIdField(models.CharField):
    """Stores ASCII digits whatever the editor typed (Persian, Arabic, spaces, dashes)."""

    default_validators = [validate_service_id]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 11)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return canonical_digits(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return canonical_digits(value) if value else value

    def formfield(self, **kwargs):
        kwargs["form_class"] = ServiceIdFormField
        kwargs["max_length"] = 32
        return super().formfield(**kwargs)
