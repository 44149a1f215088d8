"""The CMS figures as the public sees them: small counts suppressed, then written as rows, CSV or JSON.

Pure: no Django. How counts are suppressed is SUPPRESSION, said once for the page, the
downloads and this code.
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
    """Return the names of the counts to hide, with their complements (see SUPPRESSION)."""
    if figures.requests < SMALLEST_SHOWN:
        return {"requests", *COUNTS} if figures.requests else set()
    hidden = {name for name in COUNTS if is_small(getattr(figures, name))}
    while True:
        hidden_sum = sum(getattr(figures, name) for name in PARTITION if name in hidden)
        shown = [name for name in PARTITION if name not in hidden and getattr(figures, name) > 0]
        if not is_small(hidden_sum) or not shown:
            return hidden
        hidden.add(min(shown, key=lambda name: getattr(figures, name)))


def published(figures: CmsFigures, *, suppress: bool = True) -> dict[str, Any]:
    """Return one urgency's figures for the public: counts and percents, None where suppressed.

    `suppress=False` gives every figure, for the plan's own reporting (never the public's).
    """
    hidden = hidden_counts(figures) if suppress else set()
    row: dict[str, Any] = {"requests": None if "requests" in hidden else figures.requests}
    for name in COUNTS:
        row[name] = None if name in hidden else getattr(figures, name)
        row[f"{name}_percent"] = None if name in hidden else figures.percent(name)
    timed = (figures.durations.count >= SMALLEST_SHOWN or not suppress) and "requests" not in hidden
    row["mean_hours"] = _hours(figures.durations.mean_hours) if timed else None
    row["median_hours"] = _hours(figures.durations.median_hours) if timed else None
    return row


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


COVERS = (
    "Prior-authorization requests for Marketplace members in Georgia, Indiana, Ohio and West Virginia "
    "decided in the period (initial determinations), split standard and expedited, for items and "
    "services other than drugs: CMS-0057-F leaves drugs out, physician-administered ones included "
    "(45 CFR 156.223(a)(2)), and most cell and gene therapy products are biologics billed as drugs "
    "(J- and Q-codes), so their requests are not counted here; transplants and other services are. "
    "Approved includes approvals by operation of law; approved in part or with changes is neither "
    "approved nor denied. Times run from receipt to the initial determination."
)
SUPPRESSION = (
    "A count from 1 to 10 is suppressed, as CMS's cell-size suppression policy does for published "
    "data (zero identifies no one and is shown), so that no member can be singled out. Suppression "
    "is complementary: approved, denied and approved in part add up to the requests decided, so one "
    "small count hidden among shown ones could be worked out by subtraction; while the hidden counts "
    "of those three add up to 1-10, the smallest shown non-zero one is hidden too. A percentage, "
    "average or median is hidden with the count it comes from, and every figure of an urgency with "
    "fewer than 11 requests decided is hidden."
)


def document(
    period_label: str, figures: Mapping[str, CmsFigures], *, suppress: bool = True
) -> dict[str, Any]:
    """Return the JSON document: the period, what it covers, a `standard` and an `expedited` object."""
    return {
        "period": period_label,
        "covers": COVERS,
        "suppression": SUPPRESSION if suppress else "none: every count as computed (not for publication)",
        **{urgency: published(figures[urgency], suppress=suppress) for urgency in URGENCIES},
    }


FIELDS = [
    "requests",
    *(f"{part}" for name in COUNTS for part in (name, f"{name}_percent")),
    "mean_hours",
    "median_hours",
]


def csv_text(period_label: str, figures: Mapping[str, CmsFigures], *, suppress: bool = True) -> str:
    """Return the CSV: one line per figure and urgency, the suppressed ones saying so."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["period", "urgency", "figure", "value"])
    for urgency in URGENCIES:
        row = published(figures[urgency], suppress=suppress)
        for name in FIELDS:
            value = row[name]
            writer.writerow(
                [period_label, urgency, figure_label(name), SUPPRESSED if value is None else value]
            )
    return out.getvalue()


def figure_label(name: str) -> str:
    if name.endswith("_percent"):
        return f"{LABELS[name.removesuffix('_percent')]} (% of requests decided)"
    return LABELS[name]
