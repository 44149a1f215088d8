"""The appeal's forms: filing (office staff) and deciding (physician reviewer)."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms

from priorauth import limits
from priorauth.appeals.models import AppealOutcome
from priorauth.members.models import Specialty
from priorauth.requests.form_fields import (
    DocumentsMixin,
    MultipleFileField,
    use_plain_messages,
)
from priorauth.requests.models import PriorAuthRequest
from priorauth.requests.services import Upload
from priorauth.review.determinations import MAX_APPROVED_UNITS

EXPEDITED_HELP = (
    "Only when the standard timeframe could seriously jeopardize the member's life, health or ability "
    "to regain maximum function (the same statement as for an expedited request)."
)


class AppealFileForm(DocumentsMixin, forms.Form):
    member_consents = forms.BooleanField(
        label="The member (or their authorized representative) agrees that we file this appeal "
        "on their behalf.",
        error_messages={"required": "Please confirm that the member agrees to this appeal."},
    )
    reason = forms.CharField(
        label="Why the decision should change",
        max_length=limits.REASON,
        help_text=limits.help_text(limits.REASON),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    ordering_specialty = forms.ChoiceField(
        label="Ordering provider's specialty",
        choices=[("", "Choose…"), *Specialty.choices],
        required=False,
        help_text="Some states ask for the appeal to be decided by a physician of the same or a "
        "similar specialty.",
    )
    urgency = forms.ChoiceField(
        label="Review type",
        choices=[
            ("standard", "Standard appeal (decided within 30 days)"),
            ("expedited", "Expedited appeal (decided within 72 hours)"),
        ],
        initial="standard",
        widget=forms.RadioSelect,
    )
    expedited_statement = forms.CharField(
        label="Why the standard timeframe could seriously jeopardize the member",
        required=False,
        max_length=limits.EXPEDITED_STATEMENT,
        help_text=EXPEDITED_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = MultipleFileField(
        label="Documents supporting the appeal", help_text=limits.documents_help()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.uploads: list[Upload] = []
        self.helper = FormHelper()
        self.helper.form_tag = False
        use_plain_messages(
            self,
            names={
                "reason": "reason for the appeal",
                "attachments": "documents",
                "urgency": "review type",
            },
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("urgency") == "expedited" and not data.get("expedited_statement", "").strip():
            self.add_error(
                "expedited_statement",
                "Please say why the standard timeframe could seriously jeopardize the member.",
            )
        return data


class AppealDecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Appeal decision", choices=AppealOutcome.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label="Reason for the decision, in plain language (it goes in the letter)",
        max_length=limits.REASON,
        help_text=limits.help_text(limits.REASON),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    approved_service = forms.CharField(
        label="Approved service (overturned or partly overturned)",
        max_length=limits.APPROVED_SERVICE,
        required=False,
    )
    approved_units = forms.IntegerField(
        label="Approved units", min_value=1, max_value=MAX_APPROVED_UNITS, required=False
    )
    approved_start = forms.DateField(
        label="Approved from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    approved_end = forms.DateField(
        label="Approved to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    mismatch_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        use_plain_messages(self, names={"outcome": "decision", "rationale": "reason for the decision"})

    @staticmethod
    def initial_for(pa: PriorAuthRequest) -> dict[str, Any]:
        """Return the approval as requested: the service, one unit, the date of service."""
        service = pa.therapy_label + (f" (HCPCS {pa.product.hcpcs})" if pa.product else "")
        return {
            "approved_service": service,
            "approved_units": 1,
            "approved_start": pa.date_of_service,
            "approved_end": pa.date_of_service,
        }
