"""The at-risk time: three quarters of the rule's own timeframe used, counted like the due time."""

from __future__ import annotations

import datetime

import pytest

from priorauth.policies.deferral import TimeframeRecord
from priorauth.policies.timeframes import at_risk_at_for, due_at_for
from tests.policies.snapshots import FEDERAL_EXPEDITED, FEDERAL_STANDARD, TIMEFRAMES

UTC = datetime.UTC
MEMORIAL_DAY = datetime.date(2026, 5, 25)
INDIANA_DAYS = TimeframeRecord("standard", "IN", "business_days", 2)


def at(day: int, hour: int = 0, month: int = 5) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=UTC)


def rule_for(state: str, urgency: str) -> TimeframeRecord:
    return next(r for r in TIMEFRAMES if r.state == state and r.urgency == urgency)


# 2026-05-20 is a Wednesday, 05-22 a Friday, 05-25 Memorial Day (a Monday).
@pytest.mark.parametrize(
    ("rule", "received", "pends", "holidays", "expected"),
    [
        pytest.param(rule_for("OH", "standard"), at(20, 14), [], (), at(28, 2), id="calendar-days-7.5-of-10"),
        pytest.param(FEDERAL_EXPEDITED, at(22, 15), [], (), at(24, 21), id="hours-54-of-72-over-a-weekend"),
        pytest.param(
            rule_for("IN", "standard"),
            at(22, 13),
            [],
            (),
            at(26, 1),
            id="business-hours-36-of-48-skip-the-weekend-not-monday-13h",
        ),
        pytest.param(
            rule_for("IN", "standard"),
            at(22, 13),
            [],
            {MEMORIAL_DAY},
            at(27, 1),
            id="business-hours-skip-the-weekend-and-a-holiday",
        ),
        pytest.param(
            INDIANA_DAYS,
            at(22, 15),
            [],
            {MEMORIAL_DAY},
            at(27, 3),
            id="business-days-skip-weekend-and-holiday",
        ),
        pytest.param(
            rule_for("GA", "standard"),
            at(20, 14),
            [(at(21), at(29))],
            (),
            at(3, 6, month=6),
            id="complete-clock-restarts-at-the-answer-5.25-days-after-it",
        ),
        pytest.param(
            FEDERAL_STANDARD,
            at(20, 14),
            [(at(21), at(31))],
            (),
            at(10, 20, month=6),
            id="pause-adds-the-ten-days-pended-11.25-of-15-days-used",
        ),
        pytest.param(
            FEDERAL_STANDARD,
            at(20, 14),
            [(at(1, month=6), at(3, month=6))],
            (),
            at(31, 20),
            id="pause-after-the-at-risk-time-does-not-move-it",
        ),
        pytest.param(
            rule_for("GA", "standard"),
            at(20, 14),
            [(at(28), at(29))],
            (),
            at(25, 20),
            id="pend-after-a-missed-deadline-moves-nothing",
        ),
        pytest.param(
            rule_for("OH", "standard"),
            at(20, 14),
            [(at(21), None)],
            (),
            at(28, 2),
            id="runs-on-through-a-pend",
        ),
        pytest.param(FEDERAL_STANDARD, at(20, 14), [(at(21), None)], (), None, id="stopped-while-pended"),
    ],
)
def test_it_puts_the_at_risk_time_at_three_quarters_of_the_rules_running_time(
    rule, received, pends, holidays, expected
):
    assert at_risk_at_for(rule, received, pends, holidays, zone=UTC) == expected


@pytest.mark.parametrize(
    ("rule", "pends"),
    [
        pytest.param(rule_for("GA", "expedited"), [(at(21), at(27))], id="restart"),
        pytest.param(FEDERAL_STANDARD, [(at(21), at(31))], id="pause"),
        pytest.param(rule_for("IN", "standard"), [], id="business-hours"),
    ],
)
def test_it_comes_back_from_a_pend_on_track_not_at_risk(rule, pends):
    # The request is not at risk the moment the answer comes back, and is before the due time.
    answered = max([at(20, 14), *(end for _, end in pends)])
    at_risk = at_risk_at_for(rule, at(20, 14), pends, {MEMORIAL_DAY}, zone=UTC)
    assert answered < at_risk < due_at_for(rule, at(20, 14), pends, {MEMORIAL_DAY}, zone=UTC)
