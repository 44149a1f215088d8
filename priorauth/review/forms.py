"""The reviewers' forms: they normalise and validate input, the review services decide.

Several forms share one review screen, so each has its own prefix (`pend-needed`,
`adverse-reason`, ...): field names and ids never collide, and a refused form comes back
with its own input and its own message.
"""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils import timezone

from priorauth import limits
from priorauth.members.models import User
from priorauth.members.roles import DECIDING_ROLES, QUEUE_ROLES
from priorauth.policies import vocab
from priorauth.policies.deferral import GENERAL_MEDICAL_NECESSITY
from priorauth.policies.models import ReviewQueue
from priorauth.requests import clock
from priorauth.requests.models import PriorAuthRequest, Status
from priorauth.review.determinations import MAX_APPROVED_UNITS
from priorauth.review.models import DenialCode, Outcome
from priorauth.review.selectors import CLAIM_MINE, CLAIM_UNCLAIMED, state_choices


def _reviewers(roles: tuple[str, ...] = DECIDING_ROLES) -> Any:
    return User.objects.filter(role__in=roles, is_active=True).order_by("last_name", "username")


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


class _ReviewForm(forms.Form):
    """A form rendered by crispy inside the template's own <form> tag."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


def _text(label: str, required: str = "", rows: int = 3, limit: int = limits.NOTE) -> forms.CharField:
    """Return a textarea field of at most `limit` characters; `required` is the message for an empty one."""
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=bool(required),
        max_length=limit,
        help_text=limits.help_text(limit),
        error_messages={
            "required": required,
            "max_length": "Please keep this to %(limit_value)d characters (it has %(show_value)d).",
            "null_characters_not_allowed": "This contains a character we cannot store (a NUL).",
        },
    )


class ClaimForm(_ReviewForm):
    """No fields: the button is the whole form; a refusal (already claimed) shows beside it."""

    prefix = "claim"


class ReleaseForm(_ReviewForm):
    prefix = "release"


class NoteForm(_ReviewForm):
    prefix = "note"
    text = _text("Internal note (reviewers only)", "Please write the note.")


class PendForm(_ReviewForm):
    """What the provider is asked for, and by when: at least the federal minimum for the request's
    urgency, at most a year ahead, offered at the minimum (an hour or two past it) to start with."""

    prefix = "pend"
    needed = _text(
        "Information needed from the provider",
        "Please say what information is needed.",
        rows=4,
        limit=limits.PEND_QUESTION,
    )
    respond_by = forms.DateTimeField(
        label="Respond by",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        error_messages={"required": "Please give the date and time the provider should respond by."},
    )

    def __init__(self, *args: Any, urgency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.urgency = urgency
        window = clock.respond_window(urgency, timezone.now())
        field = self.fields["respond_by"]
        field.initial = window.default
        field.help_text = (
            f"Eastern time. The provider must be given at least {window.minimum} ({window.source}), "
            "and at most a year."
        )

    def clean_respond_by(self) -> datetime.datetime:
        # The service asks the same question; asking here puts the answer next to the field.
        respond_by = self.cleaned_data["respond_by"]
        if problem := clock.respond_by_problem(respond_by, self.urgency, timezone.now()):
            raise forms.ValidationError(problem)
        return respond_by


class EscalateForm(_ReviewForm):
    prefix = "escalate"
    reason = _text("Why a physician should review it", "Please give the reason for escalating.")


class _ApprovalFields(_ReviewForm):
    # A textarea: a product's full name and code does not fit a one-line box in the action column.
    approved_service = forms.CharField(
        label="Approved service",
        max_length=limits.APPROVED_SERVICE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    approved_units = forms.IntegerField(
        label="Approved units",
        min_value=1,
        max_value=MAX_APPROVED_UNITS,
        required=False,
        error_messages={
            "min_value": "Please approve at least 1 unit.",
            "max_value": f"At most {MAX_APPROVED_UNITS:,} units can be approved: please check the number.",
            "invalid": "Please give the units as a whole number.",
        },
    )
    approved_start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    approved_end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("approved_start"), data.get("approved_end")
        if start and end and end < start:
            self.add_error("approved_end", "The approved period cannot end before it starts.")
        return data

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


class ApproveForm(_ApprovalFields):
    prefix = "approve"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("approved_service", "approved_units", "approved_start", "approved_end"):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = "Please fill this in to approve."


ADVERSE_CHOICES = [
    (Outcome.DENIED, Outcome.DENIED.label),
    (Outcome.PARTIALLY_APPROVED, Outcome.PARTIALLY_APPROVED.label),
    (Outcome.MODIFIED, Outcome.MODIFIED.label),
]


class AdverseForm(_ApprovalFields):
    """A physician's denial, partial approval or modification, with what its notice must carry."""

    prefix = "adverse"
    field_order = ["outcome", "reason", "criteria_policy", "criteria_section", "denial_code"]
    outcome = forms.ChoiceField(label="Determination", choices=ADVERSE_CHOICES)
    reason = _text(
        "Specific reason, in plain language",
        "Please give the specific reason in plain language.",
        rows=4,
        limit=limits.REASON,
    )
    criteria_policy = forms.CharField(
        label="Criteria policy applied",
        max_length=limits.CRITERIA_POLICY,
        error_messages={"required": "Please name the criteria policy applied."},
    )
    criteria_section = forms.CharField(
        label="Section applied",
        max_length=limits.CRITERIA_SECTION,
        error_messages={"required": "Please give the section of the criteria policy applied."},
    )
    denial_code = forms.ChoiceField(
        label="Denial code",
        choices=[("", "Choose a denial code"), *((c.value, f"{c.value}: {c.label}") for c in DenialCode)],
        error_messages={"required": "Please choose a denial code."},
    )
    peer_to_peer_offered = forms.BooleanField(
        label="A peer-to-peer discussion with the reviewer is offered", required=False, initial=True
    )
    peer_to_peer_instructions = _text(
        "How to request the peer-to-peer discussion", rows=2, limit=limits.PEER_TO_PEER_INSTRUCTIONS
    )
    alternatives = _text(
        "Suggested alternatives (required for Indiana members)", rows=2, limit=limits.ALTERNATIVES
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A denial approves nothing: static/js/review.js hides the approved part while "Denied" is chosen.
        self.helper.layout = Layout(
            "outcome",
            "reason",
            "criteria_policy",
            "criteria_section",
            "denial_code",
            Div(
                Fieldset(
                    "What is approved (approve in part or modify)",
                    "approved_service",
                    "approved_units",
                    "approved_start",
                    "approved_end",
                ),
                css_id="adverse-approved-part",
            ),
            "peer_to_peer_offered",
            "peer_to_peer_instructions",
            "alternatives",
        )

    @staticmethod
    def initial_for(pa: PriorAuthRequest) -> dict[str, Any]:
        """Return the criteria policy the request was routed to, and the approval as requested."""
        initial = _ApprovalFields.initial_for(pa)
        if pa.criteria_policy_number:
            initial["criteria_policy"] = pa.criteria_policy_number
        elif pa.routing_key == "medical-necessity":
            initial["criteria_policy"] = GENERAL_MEDICAL_NECESSITY
        initial["peer_to_peer_offered"] = True
        initial["peer_to_peer_instructions"] = (
            "Call Utilization Management at 1-800-555-0142, Monday to Friday 8 a.m. to 6 p.m. Eastern, "
            "within 14 days of this notice, and ask for a peer-to-peer discussion with the reviewer."
        )
        return initial


class QueueFilterForm(forms.Form):
    """The queue page's filters: every value is a code, so no member data ever goes in a URL."""

    urgency = forms.ChoiceField(required=False)
    category = forms.ChoiceField(label="Therapy category", required=False)
    state = forms.ChoiceField(label="Plan state", required=False)
    status = forms.ChoiceField(required=False)
    claim = forms.ChoiceField(label="Claimed", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["urgency"].choices = [("", "Any urgency"), *vocab.choices(vocab.URGENCIES)]
        self.fields["category"].choices = [("", "Any therapy"), *vocab.choices(vocab.CATEGORIES)]
        self.fields["state"].choices = [("", "Any state"), *state_choices()]
        self.fields["status"].choices = [
            ("", "Any open status"),
            *((s.value, s.label) for s in (Status.SUBMITTED, Status.IN_REVIEW, Status.PENDED)),
        ]
        self.fields["claim"].choices = [
            ("", "Anyone or no one"),
            (CLAIM_UNCLAIMED, "Not claimed"),
            (CLAIM_MINE, "Claimed by me"),
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class ReassignForm(_ReviewForm):
    prefix = "reassign"
    reviewer = ReviewerChoiceField(
        label="Give it to",
        queryset=User.objects.none(),
        error_messages={"required": "Please choose a reviewer."},
    )
    reason = _text("Reason", "Please give the reason for reassigning.", rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = _reviewers()


class MoveForm(_ReviewForm):
    prefix = "move"
    queue = forms.ModelChoiceField(
        label="Move to queue",
        queryset=ReviewQueue.objects.all(),
        to_field_name="code",
        error_messages={"required": "Please choose a queue."},
    )
    reason = _text("Reason", "Please give the reason for moving it.", rows=2)

    def __init__(self, *args: Any, exclude: ReviewQueue | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if exclude is not None:
            self.fields["queue"].queryset = ReviewQueue.objects.exclude(pk=exclude.pk)


class AssignmentForm(_ReviewForm):
    prefix = "assign"
    reviewer = ReviewerChoiceField(
        label="Reviewer or supervisor",
        queryset=User.objects.none(),
        help_text="A nurse or physician works the queue; a supervisor watches it (its at-risk warnings).",
        error_messages={
            "required": "Please choose a reviewer or a supervisor.",
            "invalid_choice": "Please choose an active nurse, physician or supervisor from the list.",
        },
    )
    queue = forms.ModelChoiceField(
        label="Queue",
        queryset=ReviewQueue.objects.all(),
        error_messages={"required": "Please choose a queue."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = _reviewers(QUEUE_ROLES)


class ExtendForm(_ReviewForm):
    """The reason a standard request's timeframe is extended: the provider reads it."""

    prefix = "extend"
    reason = _text(
        "Why more time is needed (the provider is told)",
        "Please give the reason for the extension.",
        rows=3,
    )
