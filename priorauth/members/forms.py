"""The member lookup: member ID and date of birth, posted (never put in a URL)."""

from __future__ import annotations

from typing import Any

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms


class MemberLookupForm(forms.Form):
    member_id = forms.CharField(
        label="Member ID",
        max_length=30,
        error_messages={"required": "Please enter the member ID from the member's card."},
    )
    date_of_birth = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Please enter the member's date of birth.",
            "invalid": "Please enter the date of birth as a date, e.g. 04/21/1961.",
        },
    )
    date_of_service = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional: shows whether coverage is active on that date.",
        error_messages={"invalid": "Please enter the date of service as a date."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "member-lookup-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Div(
                Div("member_id", css_class="col-md-4"),
                Div("date_of_birth", css_class="col-md-4"),
                Div("date_of_service", css_class="col-md-4"),
                css_class="row",
            ),
            StrictButton("Find member", type="submit", css_class="btn btn-primary"),
        )
