"""The supervisor's confirmation of a re-route: the list they saw, and that they mean it."""

from __future__ import annotations

from django import forms


class RerouteForm(forms.Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(
        label="I have checked the list: move these requests to the queues shown",
        error_messages={"required": "Tick the box to confirm the move; nothing was moved."},
    )
