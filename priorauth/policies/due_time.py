"""Step 8 of the deferral logic: the due time, from the timeframe rules for the request.

Where several rules match (the federal default and the state's own), the one that gives the
earliest due time applies (DOMAIN.md step 8). Pure, like the rest of the deferral logic.
"""

from __future__ import annotations

import datetime

from priorauth.policies import timeframes
from priorauth.policies.snapshot import (
    PlanRecord,
    RequestFacts,
    Snapshot,
    TimeframeRecord,
    TraceStep,
    UndecidableRequest,
)
from priorauth.policies.vocab import ANY_STATE, TIMEFRAME_UNITS, state_time_zone


def _moment(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%m/%d/%Y %H:%M UTC")


def _describe(rule: TimeframeRecord) -> str:
    where = "federal" if rule.state == ANY_STATE else rule.state
    unit = TIMEFRAME_UNITS.get(rule.unit, rule.unit).lower()
    start = "a complete request" if rule.clock == "complete" else "receipt"
    return f"{rule.amount} {unit} from {start} ({where} {rule.urgency} rule)"


def matching_rules(urgency: str, state: str, snapshot: Snapshot) -> list[TimeframeRecord]:
    """Return the timeframe rules for an urgency in a state: its own and the federal `*` ones.

    Raises UndecidableRequest when there are none.
    """
    rules = [
        rule for rule in snapshot.timeframes if rule.urgency == urgency and rule.state in (state, ANY_STATE)
    ]
    if not rules:
        raise UndecidableRequest(f"no timeframe rule for {urgency} requests in {state}")
    return rules


def due_at(facts: RequestFacts, plan: PlanRecord, snapshot: Snapshot) -> datetime.datetime:
    """Return the due time `due_time` gives, without its trace: for re-deciding many requests.

    Raises UndecidableRequest as `due_time` does.
    """
    rules = matching_rules(facts.urgency, plan.state, snapshot)
    try:
        due, _ = timeframes.earliest_due(
            rules, facts.received_at, (), snapshot.holidays, zone=state_time_zone(plan.state)
        )
    except OverflowError as error:
        raise UndecidableRequest(_out_of_range(rules, facts.received_at)) from error
    except ValueError as error:
        raise UndecidableRequest(
            f"a timeframe rule for {facts.urgency} requests is invalid: {error}"
        ) from error
    assert due is not None  # no pend at submission, so no clock is stopped
    return due


def due_time(
    facts: RequestFacts, plan: PlanRecord, snapshot: Snapshot
) -> tuple[datetime.datetime, TimeframeRecord, TraceStep]:
    """Return the earliest due time among the rules for the urgency and the plan's state (step 8).

    Business units are judged on the calendar of the plan's state, in its time zone. Raises
    UndecidableRequest when no rule matches, a rule is invalid, or the time is out of range.
    """
    rules = matching_rules(facts.urgency, plan.state, snapshot)
    holidays, zone = snapshot.holidays, state_time_zone(plan.state)
    try:
        due_at, winner = timeframes.earliest_due(rules, facts.received_at, (), holidays, zone=zone)
        assert due_at is not None  # no pend at submission, so no clock is stopped
        result = f"Due {_moment(due_at)}: {_describe(winner)}"
        for rule in (rule for rule in rules if rule is not winner):
            due = timeframes.add_timeframe(facts.received_at, rule.unit, rule.amount, holidays, zone=zone)
            tie = " too; on a tie the state's own rule applies" if due == due_at else ""
            result += f"; beats {_describe(rule)}, due {_moment(due)}{tie}"
    except OverflowError as error:
        raise UndecidableRequest(_out_of_range(rules, facts.received_at)) from error
    except ValueError as error:
        raise UndecidableRequest(
            f"a timeframe rule for {facts.urgency} requests is invalid: {error}"
        ) from error
    return due_at, winner, TraceStep("due_time", result, winner.source or _describe(winner))


def _out_of_range(rules: list[TimeframeRecord], received_at: datetime.datetime) -> str:
    """Return why no due time can be given: it falls past the year 9999, or before the year 1.

    Past 9999: a receipt near the year 9999, or a huge amount stored before amounts were
    bounded. Before 1: a receipt on 0001-01-01 UTC is still 12/31 of the year 0 in the state's
    zone, the local day business units are judged on.
    """
    received = received_at.astimezone(datetime.UTC)
    if received.year == 1:
        return (
            f"the due time is out of range: received {received.date().isoformat()} UTC, "
            "still the year 0 on the calendar of the plan's state"
        )
    return (
        f"the due time is out of range: {_describe(_longest(rules))}, received "
        f"{received_at:%Y-%m-%d}, falls past the year 9999"
    )


def _longest(rules: list[TimeframeRecord]) -> TimeframeRecord:
    return max(rules, key=lambda rule: rule.amount * timeframes.HOURS_PER_UNIT.get(rule.unit, 1))
