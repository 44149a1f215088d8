"""What one member's rows in an enrollment file change: the rules of the upsert, without a database.

A member's rows must agree on the member's details (birth date, name, plan): the model keeps one
of each, and picking one of two would be a guess, so disagreeing rows are all rejected. Their
coverage periods must not overlap each other (both rows are rejected: which one is right cannot
be told) nor a stored period the file leaves in force.

A coverage period is known by its start. A row whose period is stored already changes nothing; a
row with a stored period's start and another end moves that end (a termination or an extension,
as an 834 maintenance record does); any other row adds a period. Stored periods the file does
not list are kept: an extract may be partial (one plan, one month's changes), and past requests
were decided on them. Only the admin removes a period.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from priorauth.members.enrollment.rows import EnrollmentRow

DETAIL_FIELDS = ("first_name", "last_name", "date_of_birth", "plan_code")
_DETAIL_WORDS = {"date_of_birth": "birth dates", "name": "names", "plan_code": "plans"}


@dataclass(frozen=True)
class StoredPeriod:
    pk: int
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class StoredMember:
    pk: int
    first_name: str
    last_name: str
    date_of_birth: datetime.date
    plan_code: str
    periods: tuple[StoredPeriod, ...] = ()


@dataclass(frozen=True)
class MemberDecision:
    """What to write for one member ID, and each of its rows' outcome (applied, unchanged, rejected)."""

    member_id: str
    create: bool = False
    changed_fields: tuple[str, ...] = ()
    details: EnrollmentRow | None = None
    periods_added: tuple[tuple[datetime.date, datetime.date], ...] = ()
    periods_ended: tuple[tuple[int, datetime.date], ...] = ()
    applied: tuple[int, ...] = ()
    unchanged: tuple[int, ...] = ()
    rejected: dict[int, str] = field(default_factory=dict)

    @property
    def writes(self) -> bool:
        return bool(self.create or self.changed_fields or self.periods_added or self.periods_ended)


def member_reconcile(rows: Sequence[EnrollmentRow], stored: StoredMember | None) -> MemberDecision:
    """Return what a member's checked rows (all of one member ID) change against the stored member."""
    member_id = rows[0].member_id
    conflict = _details_conflict(rows)
    if conflict:
        return MemberDecision(member_id=member_id, rejected={row.line: conflict for row in rows})
    rejected = _overlaps_in_file(rows)
    survivors = [row for row in rows if row.line not in rejected]
    stored_periods = stored.periods if stored else ()
    rejected |= _overlaps_with_stored(survivors, stored_periods)
    survivors = [row for row in survivors if row.line not in rejected]
    if not survivors:
        return MemberDecision(member_id=member_id, rejected=rejected)
    return _decision(member_id, survivors, stored, rejected)


def _decision(
    member_id: str, survivors: list[EnrollmentRow], stored: StoredMember | None, rejected: dict[int, str]
) -> MemberDecision:
    by_start = {period.start: period for period in (stored.periods if stored else ())}
    added, ended, applied, unchanged = [], [], [], []
    for row in survivors:
        period = by_start.get(row.coverage_start)
        if period is None:
            added.append((row.coverage_start, row.coverage_end))
        elif period.end != row.coverage_end:
            ended.append((period.pk, row.coverage_end))
        else:
            unchanged.append(row.line)
            continue
        applied.append(row.line)
    details = survivors[0]
    changed = (
        () if stored is None else tuple(f for f in DETAIL_FIELDS if getattr(stored, f) != getattr(details, f))
    )
    if (stored is None or changed) and details.line in unchanged:
        # The row that carries the member's new details is the one applied for them.
        unchanged.remove(details.line)
        applied.append(details.line)
    return MemberDecision(
        member_id=member_id,
        create=stored is None,
        changed_fields=changed,
        details=details,
        periods_added=tuple(added),
        periods_ended=tuple(ended),
        applied=tuple(sorted(applied)),
        unchanged=tuple(unchanged),
        rejected=rejected,
    )


def _details_conflict(rows: Sequence[EnrollmentRow]) -> str | None:
    differing = []
    if len({row.date_of_birth for row in rows}) > 1:
        differing.append("date_of_birth")
    if len({(row.first_name, row.last_name) for row in rows}) > 1:
        differing.append("name")
    if len({row.plan_code for row in rows}) > 1:
        differing.append("plan_code")
    if not differing:
        return None
    words = " and ".join(_DETAIL_WORDS[name] for name in differing)
    return f"different {words} for this member ID on {lines_text(row.line for row in rows)}"


def _overlaps_in_file(rows: Sequence[EnrollmentRow]) -> dict[int, str]:
    """Return the rows whose period overlaps another row's (both rows of each overlap), naming the other."""
    rejected: dict[int, str] = {}
    latest: EnrollmentRow | None = None
    for row in sorted(rows, key=lambda r: (r.coverage_start, r.coverage_end, r.line)):
        if latest is not None and row.coverage_start <= latest.coverage_end:
            rejected.setdefault(row.line, f"coverage overlaps the coverage on line {latest.line}")
            rejected.setdefault(latest.line, f"coverage overlaps the coverage on line {row.line}")
        if latest is None or row.coverage_end > latest.coverage_end:
            latest = row
    return rejected


def _overlaps_with_stored(rows: list[EnrollmentRow], periods: Sequence[StoredPeriod]) -> dict[int, str]:
    """Return the rows whose period overlaps a stored period that stays in force.

    A stored period stays in force unless an accepted row with its start replaces its end, so a
    rejection can bring one back into force: repeat until nothing more is rejected.
    """
    rejected: dict[int, str] = {}
    while True:
        accepted = [row for row in rows if row.line not in rejected]
        starts = {row.coverage_start for row in accepted}
        in_force = [period for period in periods if period.start not in starts]
        found = {
            row.line: f"coverage overlaps the stored coverage period {period.start} to {period.end}"
            for row in accepted
            for period in in_force
            if row.overlaps(period.start, period.end)
        }
        if not found:
            return rejected
        rejected |= found


def lines_text(lines: Iterable[int]) -> str:
    """Return "line 4", "lines 2 and 7" or "lines 2, 5 and 7"."""
    numbers = [str(n) for n in sorted(lines)]
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    return f"lines {', '.join(numbers[:-1])} and {numbers[-1]}"
