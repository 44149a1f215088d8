"""The review screen's criteria checklist form: per criterion a mark, the document that shows it, a note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms

from priorauth import limits
from priorauth.requests.models import Attachment
from priorauth.review.checklists import MarkInput, Row
from priorauth.review.models import Mark

NOT_MARKED = ("", "Not marked")


@dataclass(frozen=True)
class Entry:
    """One criterion as the form shows it: the criterion, its number, and its three fields."""

    number: int
    row: Row
    mark: forms.BoundField
    document: forms.BoundField
    note: forms.BoundField


class ChecklistForm(forms.Form):
    prefix = "checklist"

    def __init__(
        self, *args: Any, rows: Sequence[Row], documents: Sequence[Attachment], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        choices = [("", "No document chosen"), *((str(d.pk), d.original_name) for d in documents)]
        for row in self.rows:
            pk, marked = row.criterion.pk, row.assessment
            self.fields[f"mark_{pk}"] = forms.ChoiceField(
                label="Mark",
                choices=[NOT_MARKED, *Mark.choices],
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                initial=marked.mark if marked else "",
            )
            self.fields[f"document_{pk}"] = forms.ChoiceField(
                label="Document that shows it",
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                initial=str(marked.document_id or "") if marked else "",
            )
            self.fields[f"note_{pk}"] = forms.CharField(
                label="Note",
                required=False,
                max_length=limits.CRITERION_NOTE,
                help_text=f"Why, in a sentence; explains a criterion an approval goes without. "
                f"{limits.help_text(limits.CRITERION_NOTE)}",
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
                initial=marked.note if marked else "",
            )

    def entries(self) -> list[Entry]:
        """Return the criteria in order, each with its bound fields, for the template."""
        return [
            Entry(
                number=number,
                row=row,
                mark=self[f"mark_{row.criterion.pk}"],
                document=self[f"document_{row.criterion.pk}"],
                note=self[f"note_{row.criterion.pk}"],
            )
            for number, row in enumerate(self.rows, start=1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        marks = {}
        for row in self.rows:
            pk = row.criterion.pk
            document = data.get(f"document_{pk}") or ""
            marks[pk] = MarkInput(
                mark=data.get(f"mark_{pk}") or "",
                document_id=int(document) if document else None,
                note=data.get(f"note_{pk}") or "",
            )
        data["marks"] = marks
        return data
