"""The dashboard's series over time: weekly volume and decisions, at-risk and overdue, decision times.

Pure: no Django, no database, no clock. Weeks start on Monday, in the plans' time zone (the
selector truncates every time to its week there before it gets here).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

WEEK = datetime.timedelta(days=7)
# The decision-time distribution's buckets: (label, up to this many hours, exclusive).
BUCKETS: tuple[tuple[str, float], ...] = (
    ("Under 24 hours", 24),
    ("1 to 3 days", 72),
    ("3 to 7 days", 168),
    ("7 to 15 days", 360),
    ("15 days or more", float("inf")),
)


def weeks_of(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Return the Monday of every week that has a day in [start, end)."""
    first = start - datetime.timedelta(days=start.weekday())
    return [
        first + WEEK * n for n in range(max(0, (end - first + WEEK - datetime.timedelta(days=1)) // WEEK))
    ]


@dataclass(frozen=True)
class WeekVolume:
    week: datetime.date
    received: int
    decided: int


def weekly_volume(
    weeks: Iterable[datetime.date],
    received: Mapping[datetime.date, int],
    decided: Mapping[datetime.date, int],
) -> list[WeekVolume]:
    """Return each week's requests received and decided, zero for a week with none."""
    return [WeekVolume(week, received.get(week, 0), decided.get(week, 0)) for week in weeks]


@dataclass(frozen=True)
class Marks:
    """Requests alike in the weeks of their at-risk time, due time, and closing (each None if none).

    `risk_closed` and `due_closed` are the week of the later of the mark and the closing (a
    decision or a withdrawal): a request passed the mark and was closed, both, by then.
    """

    risk: datetime.date | None
    risk_closed: datetime.date | None
    due: datetime.date | None
    due_closed: datetime.date | None
    count: int = 1


@dataclass(frozen=True)
class OpenAtWeekEnd:
    week: datetime.date
    at_risk: int
    overdue: int


def at_risk_and_overdue(weeks: Iterable[datetime.date], marks: Iterable[Marks]) -> list[OpenAtWeekEnd]:
    """Return, at the end of each week, how many open requests were at risk and how many overdue.

    At an instant t, a request is overdue when its due time is before t and it was not closed
    before t: #(due < t) - #(due < t and closed < t), and the second is #(later of the two < t).
    At risk likewise from its at-risk time, less those already overdue. t is the end of a week,
    so "before t" is "in that week or an earlier one", read off the weeks' running totals.
    """
    passed: dict[str, dict[datetime.date, int]] = {k: defaultdict(int) for k in Marks.__dataclass_fields__}
    for mark in marks:
        for name in ("risk", "risk_closed", "due", "due_closed"):
            week = getattr(mark, name)
            if week is not None:
                passed[name][week] += mark.count
    ordered = sorted(weeks)
    rows = []
    for week in ordered:
        total = {name: sum(n for w, n in by_week.items() if w <= week) for name, by_week in passed.items()}
        overdue = total["due"] - total["due_closed"]
        rows.append(OpenAtWeekEnd(week, total["risk"] - total["risk_closed"] - overdue, overdue))
    return rows


def bucket_label(hours: float) -> str:
    """Return the decision-time bucket a duration in hours falls in."""
    return next(label for label, upper in BUCKETS if hours < upper)
