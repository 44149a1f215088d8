"""The appeal's clock, as pure functions: the filing window and the decision's due time.

Federal floor for a non-grandfathered individual-market plan, which 45 CFR 147.136(b)(3)
makes the DOL claims rule's (29 CFR 2560.503-1), with one level of internal appeal:

- the member has at least 180 days from receiving the notice of an adverse determination to
  appeal (29 CFR 2560.503-1(h)(3)(i));
- an urgent (expedited) appeal is decided within 72 hours of its receipt (29 CFR
  2560.503-1(i)(2)(i)), a standard pre-service appeal within 30 days (29 CFR
  2560.503-1(i)(2)(ii), one level of appeal).

A timeframe rule record with `applies_to: appeal` may give a shorter time for a state (or for
every state); the earliest due time wins, as it does for requests (DOMAIN.md step 8). A rule
can shorten the federal time, never lengthen it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import asdict

from priorauth.policies import timeframes
from priorauth.policies.snapshot import TimeframeRecord

# 29 CFR 2560.503-1(h)(3)(i): at least 180 days after the notice to file an appeal.
FILING_WINDOW_DAYS = 180
FEDERAL_SOURCE_EXPEDITED = "45 CFR 147.136(b); 29 CFR 2560.503-1(i)(2)(i)"
FEDERAL_SOURCE_STANDARD = "45 CFR 147.136(b); 29 CFR 2560.503-1(i)(2)(ii)"
FEDERAL_RULES = {
    # Urgent care appeals: 72 hours after receipt.
    "expedited": TimeframeRecord("expedited", "*", "hours", 72, source=FEDERAL_SOURCE_EXPEDITED),
    # Pre-service appeals, one level of appeal: 30 days after receipt.
    "standard": TimeframeRecord("standard", "*", "calendar_days", 30, source=FEDERAL_SOURCE_STANDARD),
}


def last_filing_day(notice_at: datetime.datetime, *, zone: datetime.tzinfo) -> datetime.date:
    """Return the last day (on the plan's state calendar) an appeal of a notice may be filed.

    The notice's own day is day 0, so a notice on January 1 may be appealed through June 30
    (180 days later) of a common year; the whole of that day counts.
    """
    return notice_at.astimezone(zone).date() + datetime.timedelta(days=FILING_WINDOW_DAYS)


def filing_window_problem(
    notice_at: datetime.datetime, filed_at: datetime.datetime, *, zone: datetime.tzinfo
) -> str:
    """Return why an appeal filed at `filed_at` is too late, or "" when it is within the window."""
    last = last_filing_day(notice_at, zone=zone)
    if filed_at.astimezone(zone).date() <= last:
        return ""
    return (
        f"An appeal must be filed within {FILING_WINDOW_DAYS} days of the decision letter: the last "
        f"day to appeal this decision was {last:%B} {last.day}, {last.year}."
    )


def matching_rules(urgency: str, state: str, records: Iterable[TimeframeRecord]) -> list[TimeframeRecord]:
    """Return the federal floor for the urgency and every appeal record for it in `state` or `*`."""
    return [FEDERAL_RULES[urgency], *(r for r in records if r.urgency == urgency and r.state in ("*", state))]


def appeal_due(
    received_at: datetime.datetime,
    urgency: str,
    state: str,
    records: Iterable[TimeframeRecord],
    holidays: Iterable[datetime.date] = (),
    *,
    zone: datetime.tzinfo,
) -> tuple[datetime.datetime, datetime.datetime, dict[str, object]]:
    """Return the appeal's due time, its at-risk time (both UTC) and the rule that gave them.

    The candidates are the federal floor and the appeal rules for the urgency and state; the
    earliest due time applies (a tie keeps the federal rule). An appeal is never pended, so
    every rule runs from receipt. An unknown urgency is a KeyError.
    """
    holidays = frozenset(holidays)
    best: tuple[datetime.datetime, TimeframeRecord] | None = None
    for rule in matching_rules(urgency, state, records):
        due = timeframes.add_timeframe(received_at, rule.unit, rule.amount, holidays, zone=zone)
        if best is None or due < best[0]:
            best = (due, rule)
    assert best is not None
    due, rule = best
    at_risk = timeframes.at_risk_at_for(rule, received_at, (), holidays, zone=zone)
    return due, at_risk or due, asdict(rule)


def timeframe_words(rule: dict[str, object]) -> str:
    """Return a rule's timeframe as a person reads it ("72 hours", "30 calendar days")."""
    unit = str(rule.get("unit", "")).replace("_", " ")
    return f"{rule.get('amount')} {unit}"
