"""The prior-authorization figures, from plain rows: the CMS-0057-F ones and ours beside them.

Pure: no Django, no database, no clock. The selector (`selectors.py`) groups the requests'
initial decisions in SQL and hands them here as `DecisionGroup` rows.

What counts (CMS-0057-F, 89 FR 8758; for QHP issuers on the FFEs, 45 CFR 156.223(a)(2)):

- A request counts in the year its initial determination was made (a DETERMINED or
  DEEMED_APPROVED event), split by its urgency: standard or expedited.
- Approved: approved in full (X12 A1), or approved by operation of law when a state's deadline
  was missed. Denied: not certified (A3). Approved in part (A2) and approved with changes (A6)
  are neither: they are reported on a line of their own, so the three add up to the whole.
- Approved after appeal: an APPEAL_DECIDED event overturned it, in full or in part.
- Approved after an extended timeframe: an EXTENDED event came before the decision, and the
  decision approved it.
- Time to decision: from receipt to the initial determination, average and median.
- Drugs are left out, physician-administered ones included (from the product record), and so
  are requests of plans other than Marketplace ones, which are not QHPs (`DecisionGroup.outside_cms`);
  our own figures count everything.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

URGENCIES = ("standard", "expedited")
HOUR = 3600.0


@dataclass(frozen=True)
class DecisionGroup:
    """Initial decisions alike in what the figures split by, and how many had each outcome and mark.

    `approved` counts approvals in full, `deemed` (approvals by operation of law) among them;
    `partly` approvals in part or with changes; the rest of `count` were denied.
    `with_due_time` of them had a due time, `on_time` were made by it.
    """

    urgency: str
    count: int
    approved: int = 0
    partly: int = 0
    deemed: int = 0
    approved_after_extension: int = 0
    approved_after_appeal: int = 0
    with_due_time: int = 0
    on_time: int = 0
    outside_cms: bool = False  # a drug, or not a Marketplace plan's request
    queue: str = ""
    category: str = ""
    state: str = ""

    @property
    def denied(self) -> int:
        return self.count - self.approved - self.partly


@dataclass(frozen=True)
class Durations:
    """Average and median seconds from receipt to decision of `count` decisions (None when none)."""

    count: int = 0
    mean_seconds: float | None = None
    median_seconds: float | None = None

    @classmethod
    def of(cls, seconds: Iterable[float]) -> Durations:
        values = list(seconds)
        if not values:
            return cls()
        return cls(len(values), statistics.fmean(values), statistics.median(values))

    @property
    def mean_hours(self) -> float | None:
        return None if self.mean_seconds is None else self.mean_seconds / HOUR

    @property
    def median_hours(self) -> float | None:
        return None if self.median_seconds is None else self.median_seconds / HOUR


@dataclass(frozen=True)
class CmsFigures:
    """One urgency's CMS-0057-F figures: counts, and their share of `requests`."""

    urgency: str
    requests: int = 0
    approved: int = 0
    denied: int = 0
    partly: int = 0
    approved_after_appeal: int = 0
    approved_after_extension: int = 0
    durations: Durations = field(default_factory=Durations)

    def percent(self, name: str) -> float | None:
        """Return a count's share of the requests in percent, one decimal; None when there are none."""
        return round(100 * getattr(self, name) / self.requests, 1) if self.requests else None


COUNTS = ("approved", "denied", "partly", "approved_after_appeal", "approved_after_extension")


def cms_figures(groups: Iterable[DecisionGroup], durations: Mapping[str, Durations]) -> dict[str, CmsFigures]:
    """Return the CMS figures by urgency, from the decision groups (drugs left out) and their durations.

    `durations` holds, by urgency, the times of the same decisions (drugs left out): a median
    does not add up from groups, so the selector computes it apart.
    """
    counts: dict[str, dict[str, int]] = {u: defaultdict(int) for u in URGENCIES}
    for group in groups:
        if group.outside_cms or group.urgency not in counts:
            continue
        tally = counts[group.urgency]
        tally["requests"] += group.count
        for name in COUNTS:
            tally[name] += getattr(group, name)
    return {
        urgency: CmsFigures(
            urgency=urgency,
            requests=tally["requests"],
            **{name: tally[name] for name in COUNTS},
            durations=durations.get(urgency, Durations()),
        )
        for urgency, tally in counts.items()
    }


@dataclass(frozen=True)
class Compliance:
    """Decisions made by their due time (the earliest of the state and federal ones), of those with one."""

    decided: int = 0
    on_time: int = 0

    @property
    def percent(self) -> float | None:
        return round(100 * self.on_time / self.decided, 1) if self.decided else None


@dataclass(frozen=True)
class OurFigures:
    """Ours, counting every request, drugs included."""

    decisions: int
    compliance: Compliance
    compliance_by_queue: dict[str, Compliance]
    deemed_approvals: int
    by_queue: dict[str, int]
    by_category: dict[str, int]
    by_state: dict[str, int]
    by_urgency: dict[str, int]


def our_figures(groups: Iterable[DecisionGroup]) -> OurFigures:
    """Return our figures from every decision group, drugs included; splits sorted by their key."""
    decided: dict[str, int] = defaultdict(int)
    on_time: dict[str, int] = defaultdict(int)
    volumes: dict[str, dict[str, int]] = {
        k: defaultdict(int) for k in ("queue", "category", "state", "urgency")
    }
    total = deemed = 0
    for group in groups:
        total += group.count
        deemed += group.deemed
        for key, split in volumes.items():
            split[getattr(group, key) or "none"] += group.count
        for queue in (group.queue or "none", ""):
            decided[queue] += group.with_due_time
            on_time[queue] += group.on_time
    by_queue = {q: Compliance(decided[q], on_time[q]) for q in sorted(decided) if q and decided[q]}
    return OurFigures(
        decisions=total,
        compliance=Compliance(decided[""], on_time[""]),
        compliance_by_queue=by_queue,
        deemed_approvals=deemed,
        **{f"by_{key}": dict(sorted(split.items())) for key, split in volumes.items()},
    )


@dataclass(frozen=True)
class Pends:
    """Requests for information made in the year, how many were answered, and how fast."""

    count: int = 0
    answered: int = 0
    turnaround: Durations = field(default_factory=Durations)
