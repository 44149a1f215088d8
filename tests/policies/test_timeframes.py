"""Due-time arithmetic: units, weekends and holidays, pends, and the earliest of several rules."""

from __future__ import annotations

import datetime

import pytest

from priorauth.policies.deferral import TimeframeRecord
from priorauth.policies.timeframes import add_timeframe, due_at_for, earliest_due
from tests.policies.snapshots import FEDERAL_EXPEDITED, FEDERAL_STANDARD, TIMEFRAMES

UTC = datetime.UTC
EASTERN = datetime.timezone(datetime.timedelta(hours=-5))
MEMORIAL_DAY = datetime.date(2026, 5, 25)


def at(day: int, hour: int = 0, month: int = 5, tz: datetime.tzinfo = UTC) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=tz)


def rule_for(state: str, urgency: str) -> TimeframeRecord:
    return next(r for r in TIMEFRAMES if r.state == state and r.urgency == urgency)


# 2026-05-20 is a Wednesday, 05-22 a Friday, 05-25 Memorial Day (a Monday).
@pytest.mark.parametrize(
    ("start", "unit", "amount", "holidays", "expected"),
    [
        pytest.param(at(22, 15), "hours", 72, (), at(25, 15), id="hours-run-through-the-weekend"),
        pytest.param(
            at(20, 14), "calendar_days", 15, (), at(4, 14, month=6), id="calendar-days-are-24-hours"
        ),
        pytest.param(at(20, 14), "business_hours", 24, (), at(21, 14), id="business-hours-midweek"),
        pytest.param(at(22, 15), "business_hours", 24, (), at(25, 15), id="business-hours-skip-the-weekend"),
        pytest.param(
            at(22, 15),
            "business_hours",
            24,
            {MEMORIAL_DAY},
            at(26, 15),
            id="business-hours-skip-a-monday-holiday",
        ),
        pytest.param(
            at(22, 15), "business_hours", 48, (), at(26, 15), id="indiana-48-business-hours-from-friday"
        ),
        pytest.param(
            at(23, 10), "business_hours", 24, (), at(26, 0), id="received-on-saturday-starts-monday"
        ),
        pytest.param(
            at(22, 15), "business_days", 1, (), at(25, 15), id="one-business-day-is-24-business-hours"
        ),
        pytest.param(
            at(22, 15),
            "business_days",
            2,
            {MEMORIAL_DAY},
            at(27, 15),
            id="business-days-skip-weekend-and-holiday",
        ),
        pytest.param(
            at(22, 10, tz=EASTERN), "business_hours", 24, (), at(25, 15), id="offset-converted-to-utc"
        ),
        pytest.param(at(20, 14), "hours", 0, (), at(20, 14), id="zero-timeframe-is-the-start"),
    ],
)
def test_it_adds_a_timeframe(start, unit, amount, holidays, expected):
    due = add_timeframe(start, unit, amount, holidays, zone=UTC)
    assert due == expected
    assert due.tzinfo is UTC


@pytest.mark.parametrize(
    ("start", "unit", "amount", "message"),
    [
        pytest.param(datetime.datetime(2026, 5, 20, 14), "hours", 72, "timezone-aware", id="naive-start"),
        pytest.param(at(20), "fortnights", 1, "unknown timeframe unit", id="unknown-unit"),
        pytest.param(at(20), "hours", -1, "cannot be negative", id="negative-amount"),
    ],
)
def test_it_rejects_bad_timeframes(start, unit, amount, message):
    with pytest.raises(ValueError, match=message):
        add_timeframe(start, unit, amount, (), zone=UTC)


PAUSING_BUSINESS = TimeframeRecord("standard", "IN", "business_hours", 48, pauses_when_pended=True)
BOTH = TimeframeRecord("standard", "GA", "calendar_days", 7, clock="complete", pauses_when_pended=True)


@pytest.mark.parametrize(
    ("rule", "received", "pends", "expected"),
    [
        pytest.param(FEDERAL_STANDARD, at(20, 14), [], at(4, 14, month=6), id="no-pend-due-from-receipt"),
        pytest.param(
            FEDERAL_STANDARD,
            at(20, 14),
            [(at(21, 9), at(23, 9))],
            at(6, 14, month=6),
            id="federal-standard-pause-adds-the-time-pended",
        ),
        pytest.param(
            FEDERAL_STANDARD,
            at(20, 14),
            [(at(21), at(24)), (at(23), at(26))],
            at(9, 14, month=6),
            id="overlapping-pends-count-once",
        ),
        pytest.param(
            FEDERAL_STANDARD,
            at(20, 14),
            [(at(19), at(20, 20))],
            at(4, 20, month=6),
            id="pend-before-receipt-counts-only-after-receipt",
        ),
        pytest.param(
            FEDERAL_STANDARD,
            at(20, 14),
            [(at(10, month=6), at(12, month=6))],
            at(4, 14, month=6),
            id="pend-after-the-due-time-does-not-move-it",
        ),
        pytest.param(
            rule_for("OH", "standard"),
            at(20, 14),
            [(at(21), at(23))],
            at(30, 14),
            id="ohio-rule-neither-restarts-nor-pauses",
        ),
        pytest.param(
            rule_for("OH", "standard"),
            at(20, 14),
            [(at(21), None)],
            at(30, 14),
            id="ohio-rule-runs-through-an-open-pend",
        ),
        pytest.param(
            rule_for("GA", "standard"),
            at(20, 14),
            [(at(21, 9), at(23, 10))],
            at(30, 10),
            id="georgia-complete-clock-restarts-at-the-answer",
        ),
        pytest.param(
            rule_for("GA", "standard"),
            at(20, 14),
            [(at(21), at(22)), (at(24), at(26, 8))],
            at(2, 8, month=6),
            id="georgia-restarts-from-the-last-answer",
        ),
        pytest.param(
            PAUSING_BUSINESS,
            at(21, 9),
            [(at(22, 17), at(25, 9))],
            at(26, 1),
            id="business-pause-adds-only-business-time-pended",
        ),
        pytest.param(
            BOTH, at(20, 14), [(at(21), at(23))], at(30), id="restart-and-pause-restarts-at-the-answer"
        ),
        pytest.param(
            rule_for("GA", "standard"),
            at(20, 14),
            [(at(28), at(29))],
            at(27, 14),
            id="a-pend-after-a-missed-deadline-does-not-restart-the-clock",
        ),
        pytest.param(
            rule_for("GA", "standard"),
            at(20, 14),
            [(at(26), at(29))],
            at(5, 0, month=6),
            id="a-pend-begun-in-time-restarts-even-if-answered-after-the-first-due-time",
        ),
    ],
)
def test_it_moves_due_times_as_the_rule_allows(rule, received, pends, expected):
    assert due_at_for(rule, received, pends, (), zone=UTC) == expected


@pytest.mark.parametrize(
    "rule",
    [
        pytest.param(FEDERAL_STANDARD, id="pausing-rule"),
        pytest.param(rule_for("GA", "expedited"), id="complete-clock-rule"),
    ],
)
def test_it_stops_the_clock_while_a_pend_is_open(rule):
    assert due_at_for(rule, at(20, 14), [(at(21), at(22)), (at(23), None)], (), zone=UTC) is None


@pytest.mark.parametrize(
    "rule",
    [
        pytest.param(FEDERAL_STANDARD, id="pausing-rule"),
        pytest.param(rule_for("GA", "standard"), id="complete-clock-rule"),
    ],
)
def test_it_keeps_a_missed_deadline_missed_while_a_late_pend_is_open(rule):
    missed = due_at_for(rule, at(20, 14), [], (), zone=UTC)
    assert due_at_for(rule, at(20, 14), [(missed, None)], (), zone=UTC) == missed


@pytest.mark.parametrize(
    ("pends", "message"),
    [
        pytest.param([(at(22), at(21))], "before it began", id="answered-before-pended"),
        pytest.param([(datetime.datetime(2026, 5, 21), None)], "timezone-aware", id="naive-pend"),
    ],
)
def test_it_rejects_bad_pends(pends, message):
    with pytest.raises(ValueError, match=message):
        due_at_for(FEDERAL_STANDARD, at(20, 14), pends, (), zone=UTC)


def test_it_rejects_a_naive_received_time():
    with pytest.raises(ValueError, match="received_at must be timezone-aware"):
        due_at_for(FEDERAL_STANDARD, datetime.datetime(2026, 5, 20, 14), (), (), zone=UTC)


@pytest.mark.parametrize(
    ("rules", "received", "pends", "expected_due", "expected_rule"),
    [
        pytest.param(
            [FEDERAL_STANDARD, rule_for("OH", "standard")],
            at(20, 14),
            [],
            at(30, 14),
            rule_for("OH", "standard"),
            id="ohio-stricter-than-federal-wins",
        ),
        pytest.param(
            [FEDERAL_EXPEDITED, rule_for("IN", "expedited")],
            at(22, 15),
            [],
            at(25, 15),
            FEDERAL_EXPEDITED,
            id="federal-72-hours-beats-indiana-over-a-holiday-weekend",
        ),
        pytest.param(
            [FEDERAL_EXPEDITED, rule_for("GA", "expedited")],
            at(20, 14),
            [],
            at(23, 14),
            rule_for("GA", "expedited"),
            id="tie-goes-to-the-state-rule",
        ),
        pytest.param(
            [rule_for("GA", "expedited"), FEDERAL_EXPEDITED],
            at(20, 14),
            [],
            at(23, 14),
            rule_for("GA", "expedited"),
            id="tie-goes-to-the-state-rule-whatever-the-order",
        ),
        pytest.param(
            [FEDERAL_STANDARD, rule_for("OH", "standard")],
            at(20, 14),
            [(at(21), None)],
            at(30, 14),
            rule_for("OH", "standard"),
            id="running-clock-wins-over-a-stopped-one",
        ),
        pytest.param(
            [FEDERAL_STANDARD, rule_for("GA", "standard")],
            at(20, 14),
            [(at(21), None)],
            None,
            rule_for("GA", "standard"),
            id="every-clock-stopped-names-the-rule-earliest-at-receipt",
        ),
        pytest.param(
            [FEDERAL_STANDARD, rule_for("OH", "standard")],
            at(20, 14),
            [(at(21), at(29))],
            at(30, 14),
            rule_for("OH", "standard"),
            id="long-pend-federal-paused-ohio-still-earlier",
        ),
        pytest.param(
            [FEDERAL_STANDARD, rule_for("GA", "standard")],
            at(20, 14),
            [(at(21), at(29))],
            at(5, month=6),
            rule_for("GA", "standard"),
            id="georgia-restarted-still-earlier-than-paused-federal",
        ),
        pytest.param(
            [FEDERAL_EXPEDITED, rule_for("GA", "expedited")],
            at(20, 14),
            [(at(21), at(22))],
            at(25),
            rule_for("GA", "expedited"),
            id="georgia-expedited-keeps-governing-after-a-pend-72-hours-from-the-answer",
        ),
        pytest.param(
            [FEDERAL_EXPEDITED, rule_for("GA", "expedited")],
            at(20, 14),
            [(at(21), None)],
            None,
            rule_for("GA", "expedited"),
            id="georgia-expedited-stopped-while-pended-though-the-federal-clock-runs",
        ),
        pytest.param(
            [FEDERAL_EXPEDITED, rule_for("WV", "expedited")],
            at(20, 14),
            [(at(21), at(22, 12))],
            at(24, 12),
            rule_for("WV", "expedited"),
            id="west-virginia-expedited-restarts-past-the-federal-72-hours",
        ),
        pytest.param(
            [FEDERAL_EXPEDITED],
            at(20, 14),
            [(at(21), at(22))],
            at(23, 14),
            FEDERAL_EXPEDITED,
            id="federal-only-expedited-runs-on-through-a-pend",
        ),
        pytest.param(
            [FEDERAL_STANDARD],
            at(20, 14),
            [(at(21), at(23))],
            at(6, 14, month=6),
            FEDERAL_STANDARD,
            id="federal-only-standard-adds-the-time-pended",
        ),
    ],
)
def test_it_applies_the_earliest_due_time(rules, received, pends, expected_due, expected_rule):
    assert earliest_due(rules, received, pends, {MEMORIAL_DAY}, zone=UTC) == (expected_due, expected_rule)


def test_it_needs_a_rule_for_the_earliest_due_time():
    with pytest.raises(ValueError, match="no timeframe rule"):
        earliest_due([], at(20, 14), (), (), zone=UTC)
