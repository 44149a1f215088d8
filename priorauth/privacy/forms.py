"""The privacy officer's searches: the access log's filters, and a member by member ID.

Both are posted and kept in the session, never in a URL: a member ID is health information.
"""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms

from priorauth.members.models import Member

NO_MEMBER = "No member has that member ID. Please check it."


def _member_by_id(value: str) -> Member | None:
    return Member.objects.filter(member_id__iexact=value.strip()).first() if value.strip() else None


class LogFilterForm(forms.Form):
    username = forms.CharField(label="User name", required=False, max_length=150)
    member_id = forms.CharField(label="Member ID", required=False, max_length=30)
    request_number = forms.CharField(label="Request number", required=False, max_length=30)
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Please enter the “From” date as a date."},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Please enter the “To” date as a date."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "access-log-filter"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Div(
                Div("username", css_class="col-md-4"),
                Div("member_id", css_class="col-md-4"),
                Div("request_number", css_class="col-md-4"),
                Div("date_from", css_class="col-md-3"),
                Div("date_to", css_class="col-md-3"),
                css_class="row",
            ),
            StrictButton("Search", type="submit", name="search", css_class="btn btn-primary me-2"),
            StrictButton("Clear", type="submit", name="clear", css_class="btn btn-outline-secondary"),
        )

    def clean_member_id(self) -> str:
        value = self.cleaned_data["member_id"].strip()
        if value and _member_by_id(value) is None:
            raise forms.ValidationError(NO_MEMBER)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The “To” date is before the “From” date.")
        return data

    def filters(self) -> dict[str, Any]:
        """Return the valid filters as the session keeps them: the member by its pk, dates as text."""
        data = self.cleaned_data
        member = _member_by_id(data.get("member_id", ""))
        dates = {k: data[k].isoformat() for k in ("date_from", "date_to") if data.get(k)}
        return {
            "username": data.get("username", "").strip(),
            "member_pk": member.pk if member else None,
            "member_id": member.member_id if member else "",
            "request_number": data.get("request_number", "").strip(),
            **dates,
        }


def filters_initial(filters: dict[str, Any]) -> dict[str, Any]:
    """Return the form's initial values from the session's filters."""
    initial = {k: filters.get(k, "") for k in ("username", "member_id", "request_number")}
    for key in ("date_from", "date_to"):
        if filters.get(key):
            initial[key] = datetime.date.fromisoformat(filters[key])
    return initial


class MemberSearchForm(forms.Form):
    member_id = forms.CharField(
        label="Member ID",
        max_length=30,
        error_messages={"required": "Please enter the member ID."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member: Member | None = None
        self.helper = FormHelper()
        self.helper.form_id = "disclosures-member"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Div(Div("member_id", css_class="col-md-4"), css_class="row"),
            StrictButton("Show the accounting", type="submit", css_class="btn btn-primary"),
        )

    def clean_member_id(self) -> str:
        value = self.cleaned_data["member_id"].strip()
        self.member = _member_by_id(value)
        if self.member is None:
            raise forms.ValidationError(NO_MEMBER)
        return value
