"""A request's due-time clock, as pure functions: state, time left, and the due time after pends.

The rules a request is timed by are the timeframe rules that matched at submission, stored on
the request as dicts (`timeframe_rules`), so a later edit of the records never moves a due
time already given. After every pend and every answer the due time is recomputed from those
stored rules (`due_now`), as DOMAIN.md step 8 allows: the rule that won at receipt keeps
governing (see `priorauth.policies.timeframes.earliest_due`); if it is a `clock: complete` rule
it restarts at the answer, if it `pauses_when_pended` it adds the time pended, else it runs on.
The at-risk time (three quarters of that rule's timeframe used) moves with it.

Business hours and business days are judged on the calendar of the plan's state, in its time
zone (`vocab.state_time_zone`); due times stay in UTC. The holidays they skip are stored with the
rules (`timeframe_holidays`, ISO dates from the local receipt date to `HOLIDAY_HORIZON` after it), so an
administrator adding or removing a holiday later moves no due time already given either. A
day past the horizon counts as a working day. A request routed before the holidays were stored
(`timeframe_holidays` is None) is still timed by the current Holiday records.

While a pend is open:

- a governing rule that neither restarts nor pauses keeps its due time (an Ohio request stays
  due 10 days from receipt; the federal rule it beat would pause, but it no longer governs);
- a governing rule that restarts or pauses is stopped (Georgia, West Virginia, or a federal-only
  standard request): `due_at` and `at_risk_at` are None, the state is "stopped", and `due_rule`
  stays that rule, so the screen can still name the rule and its source ("clock stopped while
  waiting for information, under ...");
- a pend begun after the due time had already passed moves nothing: the deadline stays
  missed (see `priorauth.policies.timeframes.due_at_for`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from priorauth.policies import timeframes, vocab
from priorauth.policies.snapshot import TimeframeRecord
from priorauth.requests import extension

DueState = Literal["on_track", "at_risk", "overdue", "stopped"]
EASTERN = ZoneInfo("America/New_York")


@dataclass(frozen=True)
class DueTime:
    """The due time now, the rule that gives it (a dict, as stored), and when it turns at risk."""

    due_at: datetime.datetime | None
    rule: dict[str, Any] | None
    at_risk_at: datetime.datetime | None


def rule_as_json(rule: TimeframeRecord) -> dict[str, Any]:
    """Return a timeframe rule as the dict stored on a request (every field, defaults included)."""
    return asdict(rule)


def rule_from_json(data: Mapping[str, Any]) -> TimeframeRecord:
    """Return the rule a stored dict describes; unknown keys (added later) are ignored."""
    known = TimeframeRecord.__dataclass_fields__
    return TimeframeRecord(**{key: value for key, value in data.items() if key in known})


# The longest rule a record may hold (365 business days, about 17 months with weekends and
# holidays, see vocab.TIMEFRAME_MAXIMUMS) plus months of pends.
HOLIDAY_HORIZON = datetime.timedelta(days=731)


def holidays_as_json(
    holidays: Iterable[datetime.date], received_at: datetime.datetime, *, state: str
) -> list[str]:
    """Return the holidays a request received at `received_at` may be timed by, as stored: ISO dates.

    Only those from the receipt date (on the calendar of the plan's `state`, as the clock counts
    its local days) to `HOLIDAY_HORIZON` after it: the clock never counts a day before receipt.
    """
    first = received_at.astimezone(vocab.state_time_zone(state)).date()
    last = first + HOLIDAY_HORIZON
    return [day.isoformat() for day in sorted(set(holidays)) if first <= day <= last]


def holidays_from_json(data: Iterable[str]) -> frozenset[datetime.date]:
    """Return the stored holidays as dates."""
    return frozenset(datetime.date.fromisoformat(day) for day in data)


def matching_rules(rules: Iterable[TimeframeRecord], *, urgency: str, state: str) -> list[TimeframeRecord]:
    """Return the rules that time a request of this urgency in this state (the state's and federal)."""
    return [rule for rule in rules if rule.urgency == urgency and rule.state in (state, vocab.ANY_STATE)]


def due_now(
    *,
    rules: Sequence[Mapping[str, Any]],
    received_at: datetime.datetime,
    pends: Sequence[timeframes.Pend],
    holidays: Iterable[datetime.date] = (),
    state: str,
    extended: bool = False,
) -> DueTime:
    """Return the due time given the stored rules and every pend so far (open ones included).

    The at-risk time is when three quarters of the governing rule's timeframe have been used,
    counted in its own units from its clock's start or restart, pauses skipped, as the due time
    is. Business units are judged on the calendar of the plan's `state`, in its time zone. With
    no stored rules there is nothing to time the request by: the result is all None. An
    `extended` request is timed by its governing rule lengthened by the rule's extension
    (`extension.extended`); the rule returned is the one as stored, unextended.
    """
    if not rules:
        return DueTime(None, None, None)
    records = [rule_from_json(rule) for rule in rules]
    holidays, zone = frozenset(holidays), vocab.state_time_zone(state)
    due_at, rule = timeframes.earliest_due(records, received_at, pends, holidays, zone=zone)
    governing = rule
    if extended and extension.extension_of(rule_as_json(rule)) is not None:
        governing = extension.extended(rule)
        due_at = timeframes.due_at_for(governing, received_at, pends, holidays, zone=zone)
    at_risk_at = timeframes.at_risk_at_for(governing, received_at, pends, holidays, zone=zone)
    return DueTime(due_at, rule_as_json(rule), at_risk_at)


def due_state(
    *,
    received_at: datetime.datetime | None,
    due_at: datetime.datetime | None,
    at_risk_at: datetime.datetime | None,
    now: datetime.datetime,
) -> DueState:
    """Return where a request stands against its due time.

    No due time means the clock is stopped (every rule waits for information). A missing
    `at_risk_at` (a row routed before it was stored, whose rules are unknown) is approximated
    as three quarters of the way from receipt to the due time.
    """
    if due_at is None:
        return "stopped"
    if now >= due_at:
        return "overdue"
    if at_risk_at is None and received_at is not None:
        at_risk_at = received_at + (due_at - received_at) * timeframes.AT_RISK_FRACTION
    if at_risk_at is not None and now >= at_risk_at:
        return "at_risk"
    return "on_track"


@dataclass(frozen=True)
class RespondWindow:
    """When a provider asked for information may be told to answer by: the bounds and a default."""

    earliest: datetime.datetime
    latest: datetime.datetime
    default: datetime.datetime
    minimum: str  # the federal minimum in words, "45 days"
    source: str


# The least time the provider must be given to supply missing information, by urgency
# (data/timeframes.md, regulatory.md 1.3 and 1.5).
RESPOND_MINIMUMS: dict[str, tuple[datetime.timedelta, str, str]] = {
    "standard": (datetime.timedelta(days=45), "45 days", "29 CFR 2560.503-1(f)(4)"),
    "expedited": (datetime.timedelta(hours=48), "48 hours", "29 CFR 2560.503-1(f)(2)(i)"),
}
# Further ahead than this is a typing slip (and the year 9999 cannot be stored), not a deadline.
RESPOND_LIMIT = datetime.timedelta(days=365)


def respond_window(urgency: str, now: datetime.datetime) -> RespondWindow:
    """Return the respond-by bounds for a pend made `now`: the federal minimum to a year ahead.

    The default is the first whole hour at least an hour past the minimum, so a form opened
    now still offers a valid time when the reviewer sends it a little later. An unknown
    urgency is a KeyError (every submitted request has one of the two).
    """
    span, words, source = RESPOND_MINIMUMS[urgency]
    earliest = now + span
    default = (earliest + datetime.timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    return RespondWindow(earliest, now + RESPOND_LIMIT, default, words, source)


def respond_by_problem(respond_by: datetime.datetime | None, urgency: str, now: datetime.datetime) -> str:
    """Return why a provider may not be told to answer by `respond_by`, in plain words; "" if they may.

    Refused: no time, a time without its time zone (it names no moment), a time not in the
    future, one sooner than the federal minimum for the urgency (`respond_window`), one more
    than a year ahead. The pend form and the pend service both ask this, so the web, REST and
    FHIR requests meet one rule.
    """
    if respond_by is None:
        return "Please give the date and time the provider should respond by."
    if respond_by.utcoffset() is None:
        return "Please give the respond-by time with its time zone."
    window = respond_window(urgency, now)
    if respond_by <= now:
        return "The respond-by time must be in the future."
    if respond_by < window.earliest:
        earliest = window.earliest.astimezone(EASTERN)
        return (
            f"The provider must be given at least {window.minimum} to respond ({window.source}): "
            f"please choose {earliest:%B %-d, %Y, %-I:%M %p} Eastern or later."
        )
    if respond_by > window.latest:
        return "The respond-by time can be at most a year from now."
    return ""


def _parts(span: datetime.timedelta) -> list[str]:
    minutes = int(span.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    named = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    parts = [f"{count} {unit}{'' if count == 1 else 's'}" for count, unit in named if count]
    # Two units are precise enough for a queue ("2 days 4 hours"); minutes only when close.
    return parts[:2] if days == 0 else [part for part in parts if "minute" not in part][:2]


def time_left(due_at: datetime.datetime | None, now: datetime.datetime) -> str:
    """Return the time to the due time in words: "2 days 4 hours left", "5 hours overdue".

    No due time reads "clock stopped"; less than a minute either way reads "due now".
    """
    if due_at is None:
        return "clock stopped"
    span = due_at - now
    parts = _parts(abs(span))
    if not parts:
        return "due now"
    return f"{' '.join(parts)} {'left' if span > datetime.timedelta(0) else 'overdue'}"
