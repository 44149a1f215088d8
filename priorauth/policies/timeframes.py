"""Due-time arithmetic for the timeframe rules (DOMAIN.md, step 8), as pure functions.

The clock is a set of running time: every instant from its start, minus the instants it does
not count. Business units do not count Saturdays, Sundays or holidays (the weekday and the date
are judged in UTC, so a due time does not depend on the server's zone). A rule that
`pauses_when_pended` does not count the time a request spent pended either. The due time is the
instant at which the running time reaches the rule's amount.

Definitions chosen here (the rules' sources speak of days, not of instants):

- `calendar_days`: N * 24 hours.
- `business_days`: N * 24 *business* hours, i.e. N whole business days, consistent with
  `business_hours` (received Friday 15:00, 1 business day is due Monday 15:00).
- A pause under a business unit adds back only the business time pended: a pend from Friday
  17:00 to Monday 09:00 costs the clock Friday 17:00-24:00 and Monday 00:00-09:00, not the
  weekend, which the clock never counted.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from priorauth.policies.snapshot import TimeframeRecord

UTC = datetime.UTC
HOURS_PER_UNIT: dict[str, int] = {"hours": 1, "business_hours": 1, "calendar_days": 24, "business_days": 24}
BUSINESS_UNITS = frozenset({"business_hours", "business_days"})

Pend = tuple[datetime.datetime, datetime.datetime | None]
Interval = tuple[datetime.datetime, datetime.datetime]


def _aware(value: datetime.datetime, name: str) -> datetime.datetime:
    """Return `value` in UTC; a naive datetime is a ValueError (its instant is unknown)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(UTC)


def _next_midnight(moment: datetime.datetime) -> datetime.datetime:
    """Return the UTC midnight that ends `moment`'s day."""
    day = moment.date() + datetime.timedelta(days=1)
    return datetime.datetime(day.year, day.month, day.day, tzinfo=UTC)


def is_business_day(day: datetime.date, holidays: Iterable[datetime.date]) -> bool:
    """Return whether `day` counts for business units: a weekday that is not a holiday."""
    return day.weekday() < 5 and day not in holidays


def _advance(
    start: datetime.datetime,
    remaining: datetime.timedelta,
    business: bool,
    holidays: frozenset[datetime.date],
    stops: Sequence[Interval],
) -> datetime.datetime:
    """Return when `remaining` running time has elapsed from `start` (all in UTC).

    `stops` are sorted, non-overlapping intervals the clock does not count.
    """
    moment = start
    while True:
        stop = next(((a, b) for a, b in stops if b > moment), None)
        if stop is not None and stop[0] <= moment:
            moment = stop[1]
            continue
        if business and not is_business_day(moment.date(), holidays):
            moment = _next_midnight(moment)
            continue
        limits = [stop[0]] if stop is not None else []
        if business:
            limits.append(_next_midnight(moment))
        if not limits or moment + remaining <= min(limits):
            return moment + remaining
        remaining -= min(limits) - moment
        moment = min(limits)


def _span(unit: str, amount: int) -> datetime.timedelta:
    """Return a timeframe's running time; an unknown unit or a negative amount is a ValueError."""
    if unit not in HOURS_PER_UNIT:
        raise ValueError(f"unknown timeframe unit {unit!r} (expected one of {', '.join(HOURS_PER_UNIT)})")
    if amount < 0:
        raise ValueError(f"a timeframe cannot be negative ({amount} {unit})")
    return datetime.timedelta(hours=amount * HOURS_PER_UNIT[unit])


def add_timeframe(
    start: datetime.datetime, unit: str, amount: int, holidays: Iterable[datetime.date] = ()
) -> datetime.datetime:
    """Return `start` plus `amount` `unit`s, in UTC.

    Business units skip Saturdays, Sundays and `holidays` (whole UTC days): Friday 15:00 plus
    24 business hours is Monday 15:00, or Tuesday 15:00 when that Monday is a holiday.
    """
    span = _span(unit, amount)
    return _advance(_aware(start, "start"), span, unit in BUSINESS_UNITS, frozenset(holidays), ())


def _answered(pends: Iterable[Pend]) -> list[Interval] | None:
    """Return the pends as UTC intervals, or None if one is still open (the clock is stopped)."""
    intervals = []
    still_open = False
    for pended_at, answered_at in pends:
        pended = _aware(pended_at, "pended_at")
        if answered_at is None:
            still_open = True
            continue
        answered = _aware(answered_at, "answered_at")
        if answered < pended:
            raise ValueError(f"a pend cannot be answered ({answered.isoformat()}) before it began")
        intervals.append((pended, answered))
    return None if still_open else intervals


def _pended_intervals(pends: Iterable[Interval], since: datetime.datetime) -> list[Interval]:
    """Return the pends as sorted, merged intervals, clipped to start at `since`."""
    intervals = []
    for pended, answered in pends:
        if answered > since:
            intervals.append((max(pended, since), answered))
    merged: list[Interval] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def due_at_for(
    rule: TimeframeRecord,
    received_at: datetime.datetime,
    pends: Sequence[Pend] = (),
    holidays: Iterable[datetime.date] = (),
) -> datetime.datetime | None:
    """Return the rule's due time in UTC, or None while its clock is stopped.

    `pends` are (pended_at, answered_at) intervals, answered_at None while still open. A
    `clock: complete` rule starts from the last answer (the request is complete again); a
    `pauses_when_pended` rule does not count the time pended (only its business time, under
    business units). Either kind is stopped while a pend is open. A rule that neither restarts
    nor pauses ignores pends. A pend that begins at or after the due time then in effect moves
    nothing: the deadline was already missed, and asking for information cannot revive it.
    """
    received = _aware(received_at, "received_at")
    span = _span(rule.unit, rule.amount)
    business = rule.unit in BUSINESS_UNITS
    holidays = frozenset(holidays)
    _answered(pends)  # validates every pend, open or answered
    due = _advance(received, span, business, holidays, ())
    if rule.clock != "complete" and not rule.pauses_when_pended:
        return due
    counted: list[Interval] = []
    for pended_at, answered_at in sorted(pends, key=lambda pend: _aware(pend[0], "pended_at")):
        pended = _aware(pended_at, "pended_at")
        if pended >= due:
            continue
        if answered_at is None:
            return None
        counted.append((pended, _aware(answered_at, "answered_at")))
        due = _due_with(rule, received, counted, span, holidays)
    return due


def _due_with(
    rule: TimeframeRecord,
    received: datetime.datetime,
    counted: Sequence[Interval],
    span: datetime.timedelta,
    holidays: frozenset[datetime.date],
) -> datetime.datetime:
    """Return the rule's due time given the answered pends that count against its clock."""
    start = received
    if rule.clock == "complete":
        start = max([received, *(end for _, end in counted)])
    stops = _pended_intervals(counted, start) if rule.pauses_when_pended else []
    return _advance(start, span, rule.unit in BUSINESS_UNITS, holidays, stops)


def earliest_due(
    rules: Sequence[TimeframeRecord],
    received_at: datetime.datetime,
    pends: Sequence[Pend] = (),
    holidays: Iterable[datetime.date] = (),
) -> tuple[datetime.datetime | None, TimeframeRecord]:
    """Return the earliest due time among `rules` and the rule that gives it.

    A tie goes to the state's own rule over the federal (`*`) one. Rules whose clock is stopped
    by an open pend give no due time and are passed over; if every clock is stopped, the due
    time is None and the rule is the one that was earliest at receipt. No rules is a ValueError.
    """
    if not rules:
        raise ValueError("no timeframe rule to compute a due time from")
    holidays = frozenset(holidays)
    running = [(due_at_for(rule, received_at, pends, holidays), rule) for rule in rules]
    running = [(due, rule) for due, rule in running if due is not None]
    if running:
        return min(running, key=lambda pair: (pair[0], pair[1].state == "*"))
    _, at_receipt = earliest_due(rules, received_at, (), holidays)
    return None, at_receipt
