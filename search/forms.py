from django import forms

from portal.persian import small_number


class SearchForm(forms.Form):
    query = forms.CharField(label="عبارت جستجو", required=False, max_length=200, strip=True)
    unit = forms.CharField(label="واحد سازمانی", required=False)
    page = forms.CharField(required=False)

    def clean_unit(self):
        return small_number(self.cleaned_data["unit"])

    def clean_page(self):
        return small_number(self.cleaned_data["page"]) or 1


class AutocompleteForm(forms.Form):
    query = forms.CharField(required=False, max_length=200, strip=True)
    kind = forms.ChoiceField(choices=[("", "همه"), ("service", "خدمت")], required=False)
