from django import forms

from portal.persian import canonical_digits


class SearchForm(forms.Form):
    query = forms.CharField(label="عبارت جستجو", required=False, max_length=200, strip=True)
    unit = forms.CharField(label="واحد سازمانی", required=False)
    page = forms.CharField(required=False)

    def clean_unit(self):
        unit = canonical_digits(self.cleaned_data["unit"])
        return int(unit) if unit.isdigit() else None

    def clean_page(self):
        page = canonical_digits(self.cleaned_data["page"])
        return int(page) if page.isdigit() and int(page) > 0 else 1


class AutocompleteForm(forms.Form):
    query = forms.CharField(required=False, max_length=200, strip=True)
    kind = forms.ChoiceField(choices=[("", "همه"), ("service", "خدمت")], required=False)
