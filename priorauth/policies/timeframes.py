"""Due-time arithmetic for the timeframe rules (DOMAIN.md, step 8), as pure functions.

The clock is a set of running time: every instant from its start, minus the instants it does
not count. Business units do not count Saturdays, Sundays or holidays, judged on the calendar of
the plan's state in its own time zone (`zone`, see `vocab.state_time_zone`): a request received
Friday 21:00 in New York (Saturday 02:00 UTC) is received on a Friday. The zone is always passed
in, never the server's. Instants may carry any offset; every one returned is in UTC. A rule that
`pauses_when_pended` does not count the time a request spent pended either. The due time is the
instant at which the running time reaches the rule's amount; the at-risk time is the instant
at which it reaches three quarters of it.

Definitions chosen here (the rules' sources speak of days, not of instants):

- `hours` and `calendar_days`: exact elapsed time (N or N * 24 hours), whatever the zone; across
  a change to or from daylight saving time the local hour of the due time moves by one.
- `business_hours`: every hour of a local business day counts, midnight to midnight (not 9 to 5).
- `business_days`: N * 24 *business* hours, i.e. N whole business days, consistent with
  `business_hours` (received Friday 15:00, 1 business day is due Monday 15:00 local time, even
  when the clocks changed over the weekend in between).
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
# Three quarters of the timeframe used: the request is at risk of missing its due time (issue 4).
AT_RISK_FRACTION = 3 / 4

Pend = tuple[datetime.datetime, datetime.datetime | None]
Interval = tuple[datetime.datetime, datetime.datetime]


def _aware(value: datetime.datetime, name: str) -> datetime.datetime:
    """Return `value` in UTC; a naive datetime is a ValueError (its instant is unknown)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(UTC)


def _local_day(moment: datetime.datetime, zone: datetime.tzinfo) -> datetime.date:
    """Return the date of `moment` on the calendar of `zone`."""
    return moment.astimezone(zone).date()


def _next_midnight(moment: datetime.datetime, zone: datetime.tzinfo) -> datetime.datetime:
    """Return, in UTC, the local midnight in `zone` that ends `moment`'s local day.

    US clocks change at 02:00, so a local midnight always exists and is never ambiguous.
    """
    day = _local_day(moment, zone) + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(), tzinfo=zone).astimezone(UTC)


def is_business_day(day: datetime.date, holidays: Iterable[datetime.date]) -> bool:
    """Return whether the local date `day` counts for business units: a weekday, not a holiday."""
    return day.weekday() < 5 and day not in holidays


def _advance(
    start: datetime.datetime,
    remaining: datetime.timedelta,
    business: bool,
    holidays: frozenset[datetime.date],
    stops: Sequence[Interval],
    zone: datetime.tzinfo,
) -> datetime.datetime:
    """Return when `remaining` running time has elapsed from `start` (instants in UTC).

    `stops` are sorted, non-overlapping intervals the clock does not count. Under business
    units, whole local days in `zone` that are weekends or `holidays` are not counted either.
    """
    moment = start
    while True:
        stop = next(((a, b) for a, b in stops if b > moment), None)
        if stop is not None and stop[0] <= moment:
            moment = stop[1]
            continue
        if business and not is_business_day(_local_day(moment, zone), holidays):
            moment = _next_midnight(moment, zone)
            continue
        limits = [stop[0]] if stop is not None else []
        if business:
            limits.append(_next_midnight(moment, zone))
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
    start: datetime.datetime,
    unit: str,
    amount: int,
    holidays: Iterable[datetime.date] = (),
    *,
    zone: datetime.tzinfo,
) -> datetime.datetime:
    """Return `start` plus `amount` `unit`s, in UTC.

    Business units skip Saturdays, Sundays and `holidays`, whole days on the calendar of `zone`:
    Friday 15:00 plus 24 business hours is Monday 15:00 local time, or Tuesday 15:00 when that
    Monday is a holiday. Hours and calendar days are exact elapsed time.
    """
    span = _span(unit, amount)
    business = unit in BUSINESS_UNITS
    return _advance(_aware(start, "start"), span, business, frozenset(holidays), (), zone)


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


def _counted_pends(
    rule: TimeframeRecord,
    received: datetime.datetime,
    pends: Sequence[Pend],
    holidays: frozenset[datetime.date],
    zone: datetime.tzinfo,
) -> list[Interval] | None:
    """Return the answered pends that move the rule's clock, or None while one of them is open.

    A rule that neither restarts nor pauses counts no pend. A pend that begins at or after the
    due time then in effect counts for nothing: the deadline was already missed.
    """
    _answered(pends)  # validates every pend, open or answered
    if rule.clock != "complete" and not rule.pauses_when_pended:
        return []
    span = _span(rule.unit, rule.amount)
    due = _due_with(rule, received, [], span, holidays, zone)
    counted: list[Interval] = []
    for pended_at, answered_at in sorted(pends, key=lambda pend: _aware(pend[0], "pended_at")):
        pended = _aware(pended_at, "pended_at")
        if pended >= due:
            continue
        if answered_at is None:
            return None
        counted.append((pended, _aware(answered_at, "answered_at")))
        due = _due_with(rule, received, counted, span, holidays, zone)
    return counted


def due_at_for(
    rule: TimeframeRecord,
    received_at: datetime.datetime,
    pends: Sequence[Pend] = (),
    holidays: Iterable[datetime.date] = (),
    *,
    zone: datetime.tzinfo,
) -> datetime.datetime | None:
    """Return the rule's due time in UTC, or None while its clock is stopped.

    `pends` are (pended_at, answered_at) intervals, answered_at None while still open. A
    `clock: complete` rule starts from the last answer (the request is complete again); a
    `pauses_when_pended` rule does not count the time pended (only its business time, under
    business units). Either kind is stopped while a pend is open. A rule that neither restarts
    nor pauses ignores pends. A pend that begins at or after the due time then in effect moves
    nothing: the deadline was already missed, and asking for information cannot revive it.
    Business units are judged on the calendar of `zone`.
    """
    return _used_by(rule, received_at, pends, holidays, 1, zone)


def at_risk_at_for(
    rule: TimeframeRecord,
    received_at: datetime.datetime,
    pends: Sequence[Pend] = (),
    holidays: Iterable[datetime.date] = (),
    *,
    zone: datetime.tzinfo,
) -> datetime.datetime | None:
    """Return when three quarters of the rule's timeframe have been used, in UTC; None while stopped.

    The quarters are the rule's own running time, counted as the due time is: from the clock's
    start or restart (the last answer, under `clock: complete`), skipping weekends and holidays
    under business units (on the calendar of `zone`), and skipping the time pended under
    `pauses_when_pended`. So Indiana's 48 business hours from Friday 13:00 are at risk at Tuesday
    01:00 (36 business hours), not on Monday, and a Georgia request restarted by an answer is at
    risk 5.25 days after the answer.
    """
    return _used_by(rule, received_at, pends, holidays, AT_RISK_FRACTION, zone)


def _used_by(
    rule: TimeframeRecord,
    received_at: datetime.datetime,
    pends: Sequence[Pend],
    holidays: Iterable[datetime.date],
    fraction: float,
    zone: datetime.tzinfo,
) -> datetime.datetime | None:
    """Return when `fraction` of the rule's timeframe has been used, or None while its clock is stopped."""
    received = _aware(received_at, "received_at")
    holidays = frozenset(holidays)
    counted = _counted_pends(rule, received, pends, holidays, zone)
    if counted is None:
        return None
    return _due_with(rule, received, counted, _span(rule.unit, rule.amount) * fraction, holidays, zone)


def _due_with(
    rule: TimeframeRecord,
    received: datetime.datetime,
    counted: Sequence[Interval],
    span: datetime.timedelta,
    holidays: frozenset[datetime.date],
    zone: datetime.tzinfo,
) -> datetime.datetime:
    """Return the rule's due time given the answered pends that count against its clock."""
    start = received
    if rule.clock == "complete":
        start = max([received, *(end for _, end in counted)])
    stops = _pended_intervals(counted, start) if rule.pauses_when_pended else []
    return _advance(start, span, rule.unit in BUSINESS_UNITS, holidays, stops, zone)


def earliest_due(
    rules: Sequence[TimeframeRecord],
    received_at: datetime.datetime,
    pends: Sequence[Pend] = (),
    holidays: Iterable[datetime.date] = (),
    *,
    zone: datetime.tzinfo,
) -> tuple[datetime.datetime | None, TimeframeRecord]:
    """Return the due time and the rule that governs it: the one earliest at receipt.

    Step 8 of DOMAIN.md picks, among the matching rules, the one that yields the earliest due
    time when the request is received (a tie goes to the state's own rule over the federal `*`
    one), and says that a pend then moves the due time "only as the winning rules allow". So
    that winning rule keeps governing after every pend: its `clock` and `pauses_when_pended`
    decide the new due time (None while a pend it stops for is open), and its `missed` setting
    still says what a missed deadline means. The losing rules are not consulted again.

    This matters where rules tie or nearly tie: a Georgia expedited request (72 hours from the
    complete request, deemed approved if missed) ties the federal 72 hours from receipt and wins
    the tie; after a pend the Georgia clock restarts at the answer and the request stays deemed
    approved when that restarted clock runs out. Letting the federal clock, which ignores pends,
    take over would turn every pended Georgia expedited request into a plain breach, which is
    not how the rule that won describes the deadline. Business units are judged on the calendar
    of `zone`. No rules is a ValueError.
    """
    if not rules:
        raise ValueError("no timeframe rule to compute a due time from")
    holidays = frozenset(holidays)
    at_receipt = [
        (add_timeframe(received_at, rule.unit, rule.amount, holidays, zone=zone), rule) for rule in rules
    ]
    due, winner = min(at_receipt, key=lambda pair: (pair[0], pair[1].state == "*"))
    if not pends:
        # No pend moves any clock: the winner's due time is its time at receipt (re-deciding
        # thousands of requests for the impact preview relies on not counting it twice).
        return due, winner
    return due_at_for(winner, received_at, pends, holidays, zone=zone), winner
