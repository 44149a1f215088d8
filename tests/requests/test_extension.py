"""The timeframe extension's rule, as pure functions: once, standard only, before the due time."""

from __future__ import annotations

import datetime

import pytest

from priorauth.requests import clock
from priorauth.requests.extension import extended, extension_problem, extension_words

UTC = datetime.UTC
FEDERAL = {
    "urgency": "standard",
    "state": "*",
    "unit": "calendar_days",
    "amount": 15,
    "clock": "receipt",
    "pauses_when_pended": True,
    "missed": "breach",
    "source": "29 CFR 2560.503-1(f)(2)(iii)(A), (f)(4)",
    "extension_unit": "calendar_days",
    "extension_amount": 15,
}
OHIO = {**FEDERAL, "state": "OH", "amount": 10, "source": "ORC 1751.72", "extension_unit": ""}
OHIO["extension_amount"] = None
NOW = datetime.datetime(2026, 6, 3, 15, 0, tzinfo=UTC)
DUE = datetime.datetime(2026, 6, 16, 14, 0, tzinfo=UTC)


def problem(**changes: object) -> str:
    arguments: dict[str, object] = {
        "urgency": "standard",
        "due_rule": FEDERAL,
        "due_at": DUE,
        "extended_at": None,
        "now": NOW,
    }
    arguments.update(changes)
    return extension_problem(**arguments)  # type: ignore[arg-type]


def test_it_allows_a_standard_request_under_a_rule_with_an_extension_before_its_due_time():
    assert problem() == ""
    assert extension_words(FEDERAL) == "15 calendar days"


def test_it_never_extends_an_expedited_request():
    assert problem(urgency="expedited").startswith("An expedited request's timeframe cannot be extended")


def test_it_extends_only_once():
    assert (
        problem(extended_at=NOW) == "The timeframe was already extended once; it may be extended only once."
    )


@pytest.mark.parametrize("now", [DUE, DUE + datetime.timedelta(seconds=1)])
def test_it_refuses_at_or_after_the_due_time(now):
    assert problem(now=now) == "The due time has passed: a timeframe can be extended only before it ends."


def test_it_refuses_while_the_clock_is_stopped():
    assert "clock is stopped" in problem(due_at=None)


def test_it_names_the_governing_rule_that_allows_no_extension():
    assert (
        problem(due_rule=OHIO)
        == "The due time is set by the OH standard rule (ORC 1751.72), which allows no extension."
    )
    assert extension_words(OHIO) == ""


def test_it_counts_business_hours_on_the_indiana_calendar_skipping_the_weekend_and_a_holiday():
    # Indiana's 48 business hours, extended by 48, from Wednesday 06/17/2026 10:00 in Indianapolis
    # (14:00 UTC); Friday 06/19 is Juneteenth.
    rule = {**FEDERAL, "state": "IN", "unit": "business_hours", "amount": 48, "pauses_when_pended": False}
    rule.update(extension_unit="business_hours", extension_amount=48)
    received = datetime.datetime(2026, 6, 17, 14, 0, tzinfo=UTC)
    holidays = [datetime.date(2026, 6, 19)]
    first = clock.due_now(rules=[rule], received_at=received, pends=[], holidays=holidays, state="IN")
    due = clock.due_now(
        rules=[rule], received_at=received, pends=[], holidays=holidays, state="IN", extended=True
    )
    # 48 business hours: Wednesday 14, Thursday 24, Friday to Sunday skipped, Monday 10: Monday 10:00 local.
    assert first.due_at == datetime.datetime(2026, 6, 22, 14, 0, tzinfo=UTC)
    # 96: then Monday 14, Tuesday 24, Wednesday 10: Wednesday 06/24 10:00 local.
    assert due.due_at == datetime.datetime(2026, 6, 24, 14, 0, tzinfo=UTC)
    # At risk at 72 of the 96 business hours: Tuesday 10:00 local.
    assert due.at_risk_at == datetime.datetime(2026, 6, 23, 14, 0, tzinfo=UTC)
    assert due.rule == rule


def test_it_counts_business_days_on_the_georgia_calendar_across_the_end_of_daylight_saving_time():
    # A Georgia rule of 5 business days, extended by 2, from Friday 10/23/2026 16:00 in Atlanta (EDT).
    rule = {**FEDERAL, "state": "GA", "unit": "business_days", "amount": 5}
    rule.update(extension_unit="business_days", extension_amount=2)
    received = datetime.datetime(2026, 10, 23, 20, 0, tzinfo=UTC)
    due = clock.due_now(rules=[rule], received_at=received, pends=[], state="GA", extended=True)
    # Seven business days: Tuesday 11/03 16:00 local, after the clocks fell back on 11/01: EST, 21:00 UTC.
    assert due.due_at == datetime.datetime(2026, 11, 3, 21, 0, tzinfo=UTC)


def test_a_rule_extends_only_in_its_own_unit():
    record = clock.rule_from_json({**FEDERAL, "extension_unit": "business_days"})
    with pytest.raises(ValueError):
        extended(record)
    assert extended(clock.rule_from_json(FEDERAL)).amount == 30


def test_the_clock_adds_the_extension_to_the_governing_rule_and_keeps_it_after_a_pend():
    received = datetime.datetime(2026, 6, 1, 14, 0, tzinfo=UTC)
    base = clock.due_now(rules=[FEDERAL], received_at=received, pends=[], state="WV")
    extended = clock.due_now(rules=[FEDERAL], received_at=received, pends=[], state="WV", extended=True)
    assert base.due_at == received + datetime.timedelta(days=15)
    assert extended.due_at == received + datetime.timedelta(days=30)
    assert extended.at_risk_at == received + datetime.timedelta(days=30) * 3 / 4
    # A pend begun after the first due time but before the extended one still pauses the federal clock.
    pend = (received + datetime.timedelta(days=20), received + datetime.timedelta(days=22))
    later = clock.due_now(rules=[FEDERAL], received_at=received, pends=[pend], state="WV", extended=True)
    assert later.due_at == received + datetime.timedelta(days=32)


def test_the_clock_ignores_the_extension_of_a_losing_rule():
    received = datetime.datetime(2026, 6, 1, 14, 0, tzinfo=UTC)
    due = clock.due_now(rules=[FEDERAL, OHIO], received_at=received, pends=[], state="OH", extended=True)
    # Ohio's 10 days win and allow no extension: the federal extension cannot move Ohio's deadline.
    assert due.due_at == received + datetime.timedelta(days=10)
