from django import forms

from portal.persian import canonical_digits


class TokenForm(forms.Form):
    token = forms.CharField(
        label="کد شش‌رقمی",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "dir": "ltr",
                "autofocus": True,
            }
        ),
        error_messages={"required": "کد شش‌رقمی برنامه احراز هویت را وارد کنید."},
    )

    def clean_token(self):
        token = canonical_digits(self.cleaned_data["token"]).replace(" ", "")
        if not (token.isascii() and token.isdigit() and len(token) == 6):
            raise forms.ValidationError("کد باید شش رقم باشد.")
        return token
