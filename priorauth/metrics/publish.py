"""The CMS figures as the public sees them: small counts suppressed, then written as rows, CSV or JSON.

Pure: no Django. A count from 1 to 10 is suppressed, as CMS's cell-size suppression policy
does for published data (zero identifies no one and is shown), so that no member can be
singled out. Suppression is complementary: approved, denied and approved-in-part add up to the
requests, so one small count hidden among shown ones could be worked out by subtraction. While
the hidden counts of that partition add up to 1-10, the smallest shown non-zero count is hidden
too. A percentage, average or median is hidden with the count it comes from, and all the
figures of an urgency with fewer than 11 requests are hidden.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from priorauth.metrics.figures import COUNTS, URGENCIES, CmsFigures

SMALLEST_SHOWN = 11
SUPPRESSED = "suppressed (fewer than 11)"
# The partition of the requests by initial outcome: hiding one of them may call for another.
PARTITION = ("approved", "denied", "partly")
LABELS = {
    "requests": "Requests decided",
    "approved": "Approved",
    "denied": "Denied",
    "partly": "Approved in part or with changes",
    "approved_after_appeal": "Approved after appeal",
    "approved_after_extension": "Approved after an extended timeframe",
    "mean_hours": "Average time from receipt to decision (hours)",
    "median_hours": "Median time from receipt to decision (hours)",
}


def is_small(count: int) -> bool:
    return 0 < count < SMALLEST_SHOWN


def hidden_counts(figures: CmsFigures) -> set[str]:
    """Return the names of the counts to hide, with their complements (see the module's docstring)."""
    if figures.requests < SMALLEST_SHOWN:
        return {"requests", *COUNTS} if figures.requests else set()
    hidden = {name for name in COUNTS if is_small(getattr(figures, name))}
    while True:
        hidden_sum = sum(getattr(figures, name) for name in PARTITION if name in hidden)
        shown = [name for name in PARTITION if name not in hidden and getattr(figures, name) > 0]
        if not is_small(hidden_sum) or not shown:
            return hidden
        hidden.add(min(shown, key=lambda name: getattr(figures, name)))


def published(figures: CmsFigures) -> dict[str, Any]:
    """Return one urgency's figures for the public: counts and percents, None where suppressed."""
    hidden = hidden_counts(figures)
    row: dict[str, Any] = {"requests": None if "requests" in hidden else figures.requests}
    for name in COUNTS:
        row[name] = None if name in hidden else getattr(figures, name)
        row[f"{name}_percent"] = None if name in hidden else figures.percent(name)
    timed = figures.durations.count >= SMALLEST_SHOWN and "requests" not in hidden
    row["mean_hours"] = _hours(figures.durations.mean_hours) if timed else None
    row["median_hours"] = _hours(figures.durations.median_hours) if timed else None
    return row


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def document(year_label: str, covers: str, figures: Mapping[str, CmsFigures]) -> dict[str, Any]:
    """Return the JSON document: the period, what it covers, a `standard` and an `expedited` object."""
    return {
        "period": year_label,
        "covers": covers,
        "suppressed": "null: a count from 1 to 10, or a figure computed from one (see `suppression`)",
        "suppression": __doc__.split("\n\n", 1)[1].replace("\n", " ").strip(),
        **{urgency: published(figures[urgency]) for urgency in URGENCIES},
    }


FIELDS = [
    "requests",
    *(f"{part}" for name in COUNTS for part in (name, f"{name}_percent")),
    "mean_hours",
    "median_hours",
]


def csv_text(year_label: str, figures: Mapping[str, CmsFigures]) -> str:
    """Return the CSV: one line per figure and urgency, the suppressed ones saying so."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["period", "urgency", "figure", "value"])
    for urgency in URGENCIES:
        row = published(figures[urgency])
        for name in FIELDS:
            value = row[name]
            writer.writerow([year_label, urgency, figure_label(name), SUPPRESSED if value is None else value])
    return out.getvalue()


def figure_label(name: str) -> str:
    if name.endswith("_percent"):
        return f"{LABELS[name.removesuffix('_percent')]} (% of requests decided)"
    return LABELS[name]
