"""The sign-in pages' forms: a six-digit code, and which lockout to clear."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator

from priorauth.accounts.selectors import KINDS


class CodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code",
        max_length=12,
        help_text="The code your authenticator app shows now.",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        # People copy codes with the app's space in the middle ("123 456").
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the 6 digits your authenticator app shows, e.g. 123456.")
        return code


class UnlockForm(forms.Form):
    kind = forms.ChoiceField(choices=[(kind, kind) for kind in KINDS])
    value = forms.CharField(max_length=255, validators=[RegexValidator(r"\S", "Say what to unlock.")])
