"""The due-time clock as pure functions: at-risk time, state, time left, due time after pends."""

from __future__ import annotations

import datetime

import pytest

from priorauth.policies.snapshot import TimeframeRecord
from priorauth.requests.clock import (
    due_now,
    due_state,
    holidays_as_json,
    holidays_from_json,
    matching_rules,
    rule_as_json,
    rule_from_json,
    time_left,
)

UTC = datetime.UTC
RECEIVED = datetime.datetime(2026, 6, 1, 14, 0, tzinfo=UTC)  # a Monday

FEDERAL = TimeframeRecord("standard", "*", "calendar_days", 15, pauses_when_pended=True, source="29 CFR")
OHIO = TimeframeRecord("standard", "OH", "calendar_days", 10, source="ORC 1751.72")
GEORGIA = TimeframeRecord(
    "standard", "GA", "calendar_days", 7, clock="complete", missed="deemed_approved", source="O.C.G.A."
)
WEST_VIRGINIA = TimeframeRecord("standard", "WV", "calendar_days", 5, clock="complete", source="W. Va.")
OHIO_EXPEDITED = TimeframeRecord("expedited", "OH", "hours", 48)


def days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def stored(*rules: TimeframeRecord) -> list[dict]:
    return [rule_as_json(rule) for rule in rules]


INDIANA = TimeframeRecord("standard", "IN", "business_hours", 48, missed="deemed_approved")
FRIDAY = datetime.datetime(2026, 6, 5, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("rules", "received", "pends", "due_at", "at_risk_at"),
    [
        pytest.param(
            [FEDERAL, OHIO], RECEIVED, [], RECEIVED + days(10), RECEIVED + days(7.5), id="calendar-days"
        ),
        pytest.param([OHIO_EXPEDITED], RECEIVED, [], RECEIVED + days(2), RECEIVED + days(1.5), id="hours"),
        pytest.param(
            [FEDERAL, INDIANA],
            FRIDAY,
            [],
            FRIDAY + days(4),
            FRIDAY + days(3.5),
            id="business-hours-36-of-48-used-on-tuesday-not-monday",
        ),
        pytest.param(
            [FEDERAL, GEORGIA],
            RECEIVED,
            [(RECEIVED + days(1), RECEIVED + days(30))],
            RECEIVED + days(37),
            RECEIVED + days(35.25),
            id="georgia-restarted-is-not-at-risk-the-moment-it-comes-back",
        ),
        pytest.param(
            [FEDERAL],
            RECEIVED,
            [(RECEIVED + days(2), RECEIVED + days(12))],
            RECEIVED + days(25),
            RECEIVED + days(21.25),
            id="federal-pause-adds-the-ten-days-pended",
        ),
    ],
)
def test_it_puts_the_at_risk_time_at_three_quarters_of_the_governing_rules_time(
    rules, received, pends, due_at, at_risk_at
):
    state = next((rule.state for rule in rules if rule.state != "*"), "WV")
    due = due_now(rules=stored(*rules), received_at=received, pends=pends, state=state)
    assert (due.due_at, due.at_risk_at) == (due_at, at_risk_at)
    answered = max([received, *(end for _, end in pends)])
    state = due_state(received_at=received, due_at=due.due_at, at_risk_at=due.at_risk_at, now=answered)
    assert state == "on_track"


@pytest.mark.parametrize(
    ("due_at", "at_risk_at", "now", "expected"),
    [
        pytest.param(None, None, RECEIVED, "stopped", id="no-due-time-is-a-stopped-clock"),
        pytest.param(RECEIVED + days(10), RECEIVED + days(7.5), RECEIVED + days(1), "on_track", id="early"),
        pytest.param(
            RECEIVED + days(10), RECEIVED + days(7.5), RECEIVED + days(7.5), "at_risk", id="at-risk"
        ),
        pytest.param(RECEIVED + days(10), RECEIVED + days(7.5), RECEIVED + days(10), "overdue", id="due-now"),
        pytest.param(RECEIVED + days(10), None, RECEIVED + days(8), "at_risk", id="at-risk-derived"),
        pytest.param(RECEIVED + days(10), None, RECEIVED + days(7), "on_track", id="derived-not-yet"),
    ],
)
def test_it_tells_where_a_request_stands(due_at, at_risk_at, now, expected):
    assert due_state(received_at=RECEIVED, due_at=due_at, at_risk_at=at_risk_at, now=now) == expected


@pytest.mark.parametrize(
    ("left", "expected"),
    [
        pytest.param(days(2) + datetime.timedelta(hours=4), "2 days 4 hours left", id="days-and-hours"),
        pytest.param(
            days(2) + datetime.timedelta(hours=4, minutes=30), "2 days 4 hours left", id="no-minutes"
        ),
        pytest.param(days(1), "1 day left", id="one-day"),
        pytest.param(datetime.timedelta(hours=1, minutes=30), "1 hour 30 minutes left", id="close"),
        pytest.param(datetime.timedelta(minutes=45), "45 minutes left", id="minutes"),
        pytest.param(-datetime.timedelta(hours=5), "5 hours overdue", id="overdue"),
        pytest.param(-days(3), "3 days overdue", id="days-overdue"),
        pytest.param(datetime.timedelta(seconds=20), "due now", id="under-a-minute"),
    ],
)
def test_it_says_the_time_left_in_words(left, expected):
    assert time_left(RECEIVED + left, RECEIVED) == expected


def test_it_says_a_stopped_clock_has_no_time_left():
    assert time_left(None, RECEIVED) == "clock stopped"


def test_it_matches_the_states_and_the_federal_rules_for_the_urgency():
    rules = [FEDERAL, OHIO, GEORGIA, OHIO_EXPEDITED]
    assert matching_rules(rules, urgency="standard", state="OH") == [FEDERAL, OHIO]
    assert matching_rules(rules, urgency="standard", state="WV") == [FEDERAL]


def test_it_reads_back_a_stored_rule_ignoring_keys_it_does_not_know():
    assert rule_from_json({**rule_as_json(GEORGIA), "note": "added later"}) == GEORGIA


def test_it_keeps_the_ohio_due_time_through_an_open_pend():
    due = due_now(
        rules=stored(FEDERAL, OHIO), received_at=RECEIVED, pends=[(RECEIVED + days(2), None)], state="OH"
    )
    assert due.due_at == RECEIVED + days(10)
    assert due.rule["state"] == "OH" and due.rule["source"] == "ORC 1751.72"
    assert due.at_risk_at == RECEIVED + days(7.5)


def test_it_stops_the_clock_when_every_rule_waits_for_the_information():
    due = due_now(
        rules=stored(FEDERAL, GEORGIA), received_at=RECEIVED, pends=[(RECEIVED + days(2), None)], state="GA"
    )
    assert due.due_at is None and due.at_risk_at is None
    assert due.rule == rule_as_json(GEORGIA)
    state = due_state(received_at=RECEIVED, due_at=due.due_at, at_risk_at=due.at_risk_at, now=RECEIVED)
    assert state == "stopped"


def test_it_restarts_the_georgia_clock_at_the_answer_and_keeps_at_risk_in_step():
    answered = RECEIVED + days(4)
    pends = [(RECEIVED + days(2), answered)]
    due = due_now(rules=stored(FEDERAL, GEORGIA), received_at=RECEIVED, pends=pends, state="GA")
    assert due.due_at == answered + days(7)
    assert due.at_risk_at == answered + days(5.25)


def test_it_adds_the_time_pended_under_the_federal_rule_alone():
    pends = [(RECEIVED + days(1), RECEIVED + days(4))]
    due = due_now(rules=stored(FEDERAL), received_at=RECEIVED, pends=pends, state="WV")
    assert due.due_at == RECEIVED + days(18) and due.rule["state"] == "*"


def test_it_has_no_due_time_without_stored_rules():
    due = due_now(rules=[], received_at=RECEIVED, pends=[], state="OH")
    assert (due.due_at, due.rule, due.at_risk_at) == (None, None, None)


@pytest.mark.parametrize("state", ["GA", "IN", "OH", "WV"])
def test_it_stores_the_holidays_from_the_local_receipt_date_to_the_horizon(state):
    # 20:00 on May 31 in New York is June 1 in UTC, but May 31 is the day the clock counts from.
    received = datetime.datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
    known = [datetime.date(2028, 5, 31), datetime.date(2026, 5, 30), datetime.date(2026, 5, 31)]
    known += [datetime.date(2026, 6, 19), datetime.date(2028, 6, 1), datetime.date(2026, 6, 19)]
    stored_days = holidays_as_json(known, received, state=state)
    assert stored_days == ["2026-05-31", "2026-06-19", "2028-05-31"]
    assert holidays_from_json(stored_days) == {known[2], known[3], known[0]}


# Friday 02/06/2026 21:00 Eastern (EST) is Saturday 02:00 UTC; the clock counts it as Friday.
FRIDAY_EVENING = datetime.datetime(2026, 2, 7, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("rules", "state", "due_at", "at_risk_at"),
    [
        pytest.param(
            [FEDERAL, INDIANA],
            "IN",
            datetime.datetime(2026, 2, 11, 2, 0, tzinfo=UTC),  # Tuesday 21:00 EST: 3 + 24 + 21 hours
            datetime.datetime(2026, 2, 10, 14, 0, tzinfo=UTC),  # Tuesday 09:00 EST: 3 + 24 + 9 hours
            id="indiana-business-hours-count-friday-evening",
        ),
        pytest.param(
            [FEDERAL, OHIO],
            "OH",
            FRIDAY_EVENING + days(10),
            FRIDAY_EVENING + days(7.5),
            id="ohio-calendar-days-stay-exact",
        ),
    ],
)
def test_it_judges_business_hours_on_the_states_calendar(rules, state, due_at, at_risk_at):
    due = due_now(rules=stored(*rules), received_at=FRIDAY_EVENING, pends=[], state=state)
    assert (due.due_at, due.at_risk_at) == (due_at, at_risk_at)
