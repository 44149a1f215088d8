"""The provider's request list: its search and filters."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms

from priorauth.policies import vocab
from priorauth.requests.form_fields import use_plain_messages
from priorauth.requests.models import Status


class ListFilterForm(forms.Form):
    """The request list's search and filters.

    The search may name a member, so the view keeps it in the session and never in a URL; the
    other filters carry no health information and travel in the list's links (`public_query`).
    """

    PUBLIC = ("status", "category", "date_from", "date_to")

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "Request number, member name or ID, therapy"}),
    )
    status = forms.ChoiceField(required=False)
    category = forms.ChoiceField(label="Therapy category", required=False)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "Any status"), *Status.choices]
        self.fields["category"].choices = [("", "Any therapy"), *vocab.choices(vocab.CATEGORIES)]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name in ("status", "category") else "form-control"
        use_plain_messages(self, names={"q": "search", "date_from": "“From” date", "date_to": "“To” date"})

    def public_query(self) -> str:
        """Return the valid filters other than the search as a query string, for the list's links."""
        data = getattr(self, "cleaned_data", {})
        values = {name: data[name] for name in self.PUBLIC if data.get(name)}
        return urlencode({k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in values.items()})
