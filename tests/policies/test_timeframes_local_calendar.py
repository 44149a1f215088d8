"""Business units judged on the calendar of the plan's state, in its time zone; due times in UTC."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from priorauth.policies.deferral import TimeframeRecord, UndecidableRequest, decide
from priorauth.policies.timeframes import add_timeframe, at_risk_at_for, due_at_for
from priorauth.policies.vocab import state_time_zone
from tests.policies.snapshots import facts, snapshot

UTC = datetime.UTC
NEW_YORK = ZoneInfo("America/New_York")
INDIANAPOLIS = ZoneInfo("America/Indiana/Indianapolis")
MEMORIAL_DAY = datetime.date(2026, 5, 25)
INDEPENDENCE_DAY_OBSERVED = datetime.date(2026, 7, 3)  # a Friday


def utc(month: int, day: int, hour: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=UTC)


def local(month: int, day: int, hour: int = 0, zone: ZoneInfo = NEW_YORK) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=zone)


@pytest.mark.parametrize(
    ("state", "zone"),
    [
        pytest.param("GA", "America/New_York", id="georgia"),
        pytest.param("OH", "America/New_York", id="ohio"),
        pytest.param("WV", "America/New_York", id="west-virginia"),
        pytest.param("IN", "America/Indiana/Indianapolis", id="indiana"),
        pytest.param("KY", "America/New_York", id="a-state-not-served-is-timed-on-eastern-time"),
        pytest.param("", "America/New_York", id="no-state-is-timed-on-eastern-time"),
    ],
)
def test_it_knows_each_states_time_zone(state, zone):
    assert state_time_zone(state) == ZoneInfo(zone)


# 2026: Friday 02/06 is in standard time (UTC-5), Friday 05/22 in daylight time (UTC-4).
# Clocks go forward on Sunday 03/08 and back on Sunday 11/01.
@pytest.mark.parametrize(
    ("start", "unit", "amount", "holidays", "zone", "expected"),
    [
        pytest.param(
            local(2, 6, 21),
            "business_hours",
            1,
            (),
            NEW_YORK,
            utc(2, 7, 3),
            id="friday-21h-est-is-saturday-utc-but-counts-as-friday",
        ),
        pytest.param(
            local(2, 6, 21),
            "business_days",
            1,
            (),
            NEW_YORK,
            utc(2, 10, 2),
            id="one-business-day-from-friday-evening-is-monday-evening",
        ),
        pytest.param(
            local(2, 6, 21, INDIANAPOLIS),
            "business_hours",
            1,
            (),
            INDIANAPOLIS,
            utc(2, 7, 3),
            id="indiana-friday-evening-counts-as-friday",
        ),
        pytest.param(
            local(2, 6, 21),
            "business_hours",
            1,
            (),
            UTC,
            utc(2, 9, 1),
            id="the-same-instant-on-the-utc-calendar-would-be-saturday",
        ),
        pytest.param(
            local(2, 6, 19),
            "business_hours",
            5,
            (),
            NEW_YORK,
            utc(2, 7, 5),
            id="a-business-day-ends-at-local-midnight-not-utc-midnight",
        ),
        pytest.param(
            local(2, 6, 19),
            "business_hours",
            6,
            (),
            NEW_YORK,
            utc(2, 9, 6),
            id="past-local-midnight-friday-goes-on-monday-01h-local",
        ),
        pytest.param(
            utc(2, 9, 0),
            "business_hours",
            1,
            (),
            NEW_YORK,
            utc(2, 9, 6),
            id="monday-midnight-utc-is-sunday-evening-local-so-the-clock-starts-at-local-midnight",
        ),
        pytest.param(
            local(7, 2, 22),
            "business_hours",
            4,
            {INDEPENDENCE_DAY_OBSERVED},
            NEW_YORK,
            utc(7, 6, 6),
            id="thursday-evening-then-a-friday-holiday-and-the-weekend",
        ),
        pytest.param(
            local(5, 25, 21),
            "business_hours",
            1,
            {MEMORIAL_DAY},
            NEW_YORK,
            utc(5, 26, 5),
            id="received-on-a-holiday-evening-that-is-tuesday-in-utc-starts-tuesday-local",
        ),
        pytest.param(
            local(3, 6, 15),
            "business_days",
            1,
            (),
            NEW_YORK,
            local(3, 9, 15),
            id="business-day-over-spring-forward-lands-on-the-same-local-time",
        ),
        pytest.param(
            local(3, 6, 15),
            "business_days",
            3,
            (),
            NEW_YORK,
            utc(3, 11, 19),
            id="three-business-days-over-spring-forward-wednesday-15h-edt",
        ),
        pytest.param(
            local(3, 6, 15),
            "business_hours",
            24,
            (),
            NEW_YORK,
            utc(3, 9, 19),
            id="business-hours-over-spring-forward",
        ),
        pytest.param(
            local(10, 30, 15),
            "business_days",
            1,
            (),
            NEW_YORK,
            local(11, 2, 15),
            id="business-day-over-fall-back-lands-on-the-same-local-time",
        ),
        pytest.param(
            local(10, 30, 15, INDIANAPOLIS),
            "business_days",
            2,
            (),
            INDIANAPOLIS,
            utc(11, 3, 20),
            id="indiana-two-business-days-over-fall-back-tuesday-15h-est",
        ),
        pytest.param(
            local(3, 6, 15),
            "hours",
            72,
            (),
            NEW_YORK,
            utc(3, 9, 20),
            id="hours-over-spring-forward-are-exact-elapsed-hours",
        ),
        pytest.param(
            local(10, 30, 15),
            "hours",
            72,
            (),
            NEW_YORK,
            utc(11, 2, 19),
            id="hours-over-fall-back-are-exact-elapsed-hours",
        ),
        pytest.param(
            local(3, 6, 15),
            "calendar_days",
            3,
            (),
            NEW_YORK,
            utc(3, 9, 20),
            id="calendar-days-over-spring-forward-are-72-hours",
        ),
    ],
)
def test_it_counts_business_time_on_the_local_calendar(start, unit, amount, holidays, zone, expected):
    due = add_timeframe(start, unit, amount, holidays, zone=zone)
    assert due == expected
    assert due.tzinfo is UTC


def test_hours_stay_exact_elapsed_time_across_daylight_saving():
    for start in (local(3, 6, 15), local(10, 30, 15)):
        assert add_timeframe(start, "hours", 72, zone=NEW_YORK) - start == datetime.timedelta(hours=72)


PAUSING_BUSINESS = TimeframeRecord("standard", "IN", "business_hours", 48, pauses_when_pended=True)
INDIANA_DAYS = TimeframeRecord("standard", "IN", "business_days", 2)


@pytest.mark.parametrize(
    ("rule", "received", "pends", "due_at", "at_risk_at"),
    [
        pytest.param(
            PAUSING_BUSINESS,
            local(2, 5, 9, INDIANAPOLIS),
            [(local(2, 6, 17, INDIANAPOLIS), local(2, 9, 9, INDIANAPOLIS))],
            # Thursday 15 and Friday 17 business hours before the pend; the rest after Monday 09:00.
            utc(2, 10, 6),  # 16 more: Tuesday 01:00 EST
            utc(2, 9, 18),  # 36 used: Monday 13:00 EST
            id="a-pend-costs-only-local-business-time",
        ),
        pytest.param(
            INDIANA_DAYS,
            local(3, 6, 15, INDIANAPOLIS),
            [],
            local(3, 10, 15, INDIANAPOLIS),
            local(3, 10, 3, INDIANAPOLIS),
            id="two-business-days-over-spring-forward",
        ),
    ],
)
def test_it_moves_due_and_at_risk_times_on_the_local_calendar(rule, received, pends, due_at, at_risk_at):
    assert due_at_for(rule, received, pends, zone=INDIANAPOLIS) == due_at
    assert at_risk_at_for(rule, received, pends, zone=INDIANAPOLIS) == at_risk_at


@pytest.mark.parametrize(
    ("received_at", "due_at"),
    [
        pytest.param(utc(2, 7, 2), utc(2, 11, 2), id="friday-21h-est-counts-as-friday"),
        pytest.param(utc(2, 7, 5), utc(2, 11, 5), id="saturday-00h-est-starts-monday-local"),
    ],
)
def test_it_times_an_indiana_request_on_indianas_calendar(received_at, due_at):
    decision = decide(facts(plan="IN-MKT-GOLD-2026", received_at=received_at), snapshot())
    assert decision.timeframe is not None and decision.timeframe.state == "IN"
    assert decision.due_at == due_at
    assert decision.trace[-1].result.startswith(f"Due {due_at:%m/%d/%Y %H:%M} UTC: 48 business hours")


def test_it_refuses_a_receipt_whose_local_day_is_before_the_year_1():
    received = datetime.datetime(1, 1, 1, 2, tzinfo=UTC)
    with pytest.raises(UndecidableRequest, match="received 0001-01-01 UTC, still the year 0 on the calendar"):
        decide(facts(plan="IN-MKT-GOLD-2026", received_at=received), snapshot())
