"""Admin forms for policy records: normalise what an administrator types, and say clearly what is wrong.

The lists that the models keep as JSON (lines of business, states, categories, related
policies) are edited as checkboxes or one line per entry, never as raw JSON.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from priorauth.policies import vocab
from priorauth.policies.indications import indications_json, problem_lines, read_indications
from priorauth.policies.json_text import UnreadableJson, json_read
from priorauth.policies.models import Policy, Product, RoutingEntry, TimeframeRule

_STATE_CHOICES = sorted(vocab.US_STATES.items())


def code_checkboxes(
    vocabulary: dict[str, str] | list[tuple[str, str]], *, what: str, required: bool = True
) -> forms.MultipleChoiceField:
    """Return a checkbox field over a vocabulary whose unknown-value message names what it is."""
    choices = list(vocabulary.items()) if isinstance(vocabulary, dict) else vocabulary
    return forms.MultipleChoiceField(
        choices=choices,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": f"Unknown {what} “%(value)s”: choose one of the listed {what}s.",
            "required": f"Choose at least one {what}.",
        },
    )


class LinesField(forms.CharField):
    """A list of short texts, typed one per line; blank lines are dropped."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class UnixNewlinesMixin(forms.BaseForm):
    """Store multi-line text with \\n line ends: browsers submit textareas with \\r\\n."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if isinstance(field.widget, forms.Textarea) and isinstance(value, str):
                # Otherwise every save from a browser would rewrite every section in the history.
                cleaned[name] = value.replace("\r\n", "\n").replace("\r", "\n")
        return cleaned


class PolicyAdminForm(UnixNewlinesMixin, forms.ModelForm):
    lines_of_business = code_checkboxes(vocab.LINES_OF_BUSINESS, what="line of business")
    states = code_checkboxes(_STATE_CHOICES, what="state")
    categories = code_checkboxes(vocab.CATEGORIES, what="therapy category", required=False)
    related = LinesField(
        label="G. Related policies/rules",
        required=False,
        help_text="One related policy or rule per line.",
    )

    class Meta:
        model = Policy
        fields = "__all__"
        widgets = {
            "title": forms.TextInput(attrs={"size": 80}),
            "subject": forms.Textarea(attrs={"rows": 2}),
            "background": forms.Textarea(attrs={"rows": 20}),
            "definitions": forms.Textarea(attrs={"rows": 8}),
            "policy": forms.Textarea(attrs={"rows": 6}),
            "state_specific": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "references": forms.Textarea(attrs={"rows": 20}),
        }


class RoutingEntryAdminForm(forms.ModelForm):
    class Meta:
        model = RoutingEntry
        fields = "__all__"
        error_messages = {
            NON_FIELD_ERRORS: {
                "unique_together": "The routing table already has an entry for this routing key and "
                "category: change that entry's queue instead of adding another.",
            },
        }


class IndicationsField(forms.CharField):
    """The structured indications, edited as indented JSON and stored in their one canonical form."""

    widget = forms.Textarea(attrs={"rows": 16, "class": "vLargeTextField"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return json.dumps(value, indent=2, ensure_ascii=False)
        return value

    def to_python(self, value: Any) -> list[dict[str, Any]]:  # type: ignore[override]
        text = (super().to_python(value) or "").strip()
        if not text:
            return []
        try:
            data = json_read(text)
        except UnreadableJson as error:
            raise ValidationError(f"The indications are {error}.") from None
        indications, problems = read_indications(data)
        if problems:
            raise ValidationError(problem_lines(problems))
        return indications_json(indications)


class ProductAdminForm(UnixNewlinesMixin, forms.ModelForm):
    indications = IndicationsField(
        label="FDA-labeled indications (structured)",
        required=False,
        help_text="A JSON list; each indication: condition, icd10 (codes, families such as C83.3, "
        'ranges such as C81-C96), optional age_at_least and age_under ("18 years", "6 months"), '
        "min_prior_lines, to_verify (label facts the intake does not record), and clinical_signoff "
        '({"status": "pending"} until a clinician signs off: "signed_off" with by and on).',
    )

    class Meta:
        model = Product
        fields = "__all__"


class TimeframeRuleAdminForm(forms.ModelForm):
    state = forms.ChoiceField(
        choices=[(vocab.ANY_STATE, "* (federal default, every state)"), *_STATE_CHOICES],
        error_messages={
            "invalid_choice": "Unknown state “%(value)s”: use a two-letter state code, or * for "
            "the federal default that applies everywhere.",
        },
    )

    class Meta:
        model = TimeframeRule
        fields = "__all__"
        widgets = {"source": forms.TextInput(attrs={"size": 60})}
        error_messages = {
            NON_FIELD_ERRORS: {
                "unique_together": "There is already a rule for this urgency and state (for requests, "
                "or for appeals): edit that rule instead. Where a federal and a state rule both "
                "match, the earlier due time applies.",
            },
        }
