from django import forms

from portal.persian import canonical_digits

# Larger numbers are no unit and no page (and would overflow the database's integer).
LARGEST = 2**31 - 1


def small_number(value):
    """A positive whole number typed in any digits, or None (superscripts, fractions,
    signs and numbers past LARGEST are none)."""
    text = canonical_digits(value or "")
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= LARGEST else None


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
