"""The peer-to-peer forms: staff ask for a talk, a physician schedules it and records its outcome.

They normalise and check the shape of the input; `requests.peer_to_peer` and the services decide.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from priorauth import limits
from priorauth.members.models import Role, User
from priorauth.requests import peer_to_peer as rules
from priorauth.review.forms import AdverseForm, ReviewerChoiceField, _ReviewForm, _text
from priorauth.review.models import Outcome


class TalkRequestForm(forms.Form):
    """Office staff's request: the ordering physician's phone and the times that suit them."""

    prefix = "talk"
    phone = forms.CharField(
        label="Ordering physician's phone",
        max_length=30,
        help_text="The number the physician reviewer should call, with the area code "
        "(e.g. 317-555-0142, ext. 12).",
        error_messages={"required": "Please give the ordering physician's phone number."},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    availability = forms.CharField(
        label="Times that suit the ordering physician",
        max_length=rules.AVAILABILITY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Days and times, with the time zone (e.g. weekdays 12:00 to 1:00 PM Eastern).",
        error_messages={"required": "Please give the times that suit the ordering physician."},
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if problem := rules.phone_problem(phone):
            raise forms.ValidationError(problem)
        return phone


class _TalkForm(_ReviewForm):
    talk = forms.IntegerField(widget=forms.HiddenInput)


class TalkScheduleForm(_TalkForm):
    """A physician reviewer offers and confirms a time; a supervisor names the physician too."""

    prefix = "talk-schedule"
    slot_at = forms.DateTimeField(
        label="Date and time of the talk (Eastern)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "Please give the date and time of the talk."},
    )
    physician = ReviewerChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Physician reviewer (supervisors: who will talk)",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        physicians = User.objects.filter(role=Role.PHYSICIAN_REVIEWER, is_active=True)
        self.fields["physician"].queryset = physicians.order_by("last_name", "username")

    def clean_slot_at(self) -> Any:
        slot_at = self.cleaned_data["slot_at"]
        if problem := rules.slot_problem(slot_at, timezone.now()):
            raise forms.ValidationError(problem)
        return slot_at


class TalkUpheldForm(_TalkForm):
    prefix = "talk-upheld"
    note = _text("What was discussed (the decision stands)", "Please say what was discussed.", rows=3)


CHANGED_CHOICES = [(value, label) for value, label in Outcome.choices]


class TalkChangedForm(AdverseForm):
    """The new decision after the talk: any outcome, with the reason it changed.

    The adverse fields are the service's to require (an approval needs none of them).
    """

    prefix = "talk-changed"
    talk = forms.IntegerField(widget=forms.HiddenInput)
    note = _text(
        "Why the decision changed (the new letter says so)",
        "Please say why the decision changed.",
        rows=3,
        limit=limits.NOTE,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = CHANGED_CHOICES
        self.fields["outcome"].label = "New decision"
        for name in ("reason", "criteria_policy", "criteria_section", "denial_code"):
            self.fields[name].required = False
        self.helper.layout.fields[0:0] = ["talk", "note"]
