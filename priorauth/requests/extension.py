"""The timeframe extension, as pure functions: may a request's timeframe be extended now, and to when.

Federal rule (29 CFR 2560.503-1(f)(2)(iii)(A), through 45 CFR 147.136(b)(3) for Marketplace
plans): a standard (non-urgent) pre-service request may be extended once, by up to 15 days,
when matters beyond the plan's control require it, with notice to the requester before the
first period ends. Urgent (expedited) requests have no extension (29 CFR 2560.503-1(f)(2)(i)):
they may only be pended for the missing information.

Whether and by how long is the timeframe rule's to say (`extension_unit`, `extension_amount`,
stored on the request with its rules). The rule that governs the due time decides: where a
state's stricter rule beats the federal one (all four states' rules do), the state's deadline
is the one the law holds the plan to, and a federal extension cannot move it; the rule then
allows no extension unless the record says the state's law allows one.

The extension is in the rule's own unit: it lengthens the governing rule's timeframe, counted
on the calendar of the plan's state as every due time is (business units skip weekends and
holidays there), with every pend the rule counts.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import asdict, replace
from typing import Any

from priorauth.policies import timeframes, vocab
from priorauth.policies.snapshot import TimeframeRecord

STANDARD = "standard"


def extension_of(rule: Mapping[str, Any] | None) -> tuple[str, int] | None:
    """Return the governing rule's extension (unit, amount), or None when it allows none."""
    if not rule:
        return None
    unit, amount = rule.get("extension_unit") or "", rule.get("extension_amount")
    if unit not in timeframes.HOURS_PER_UNIT or not isinstance(amount, int) or amount < 1:
        return None
    return unit, amount


def extension_words(rule: Mapping[str, Any] | None) -> str:
    """Return the rule's extension in words ("15 calendar days"), or "" when it allows none."""
    extension = extension_of(rule)
    if extension is None:
        return ""
    unit, amount = extension
    return f"{amount} {vocab.TIMEFRAME_UNITS[unit].lower()}"


def _rule_name(rule: Mapping[str, Any]) -> str:
    where = "federal" if rule.get("state") == vocab.ANY_STATE else str(rule.get("state"))
    source = f" ({rule['source']})" if rule.get("source") else ""
    return f"the {where} {rule.get('urgency', '')} rule{source}"


def extension_problem(
    *,
    urgency: str,
    due_rule: Mapping[str, Any] | None,
    due_at: datetime.datetime | None,
    extended_at: datetime.datetime | None,
    now: datetime.datetime,
) -> str:
    """Return why the request's timeframe may not be extended now, in plain words; "" if it may.

    Refused: an expedited request (pend it instead); one already extended (once only); one with
    no due time running (a clock stopped by a pend, or no rules); one whose due time has passed
    (the notice must come before the first period ends); one whose governing rule allows none.
    """
    if urgency != STANDARD:
        return (
            "An expedited request's timeframe cannot be extended (29 CFR 2560.503-1(f)(2)(i)); "
            "if information is missing, pend it for the information instead."
        )
    if extended_at is not None:
        return "The timeframe was already extended once; it may be extended only once."
    if due_rule is None or due_at is None:
        return "The clock is stopped while the request waits for information: there is no due time to extend."
    if now >= due_at:
        return "The due time has passed: a timeframe can be extended only before it ends."
    if extension_of(due_rule) is None:
        return f"The due time is set by {_rule_name(due_rule)}, which allows no extension."
    return ""


def extended(rule: TimeframeRecord) -> TimeframeRecord:
    """Return the rule as extended: its timeframe lengthened by its extension (same unit).

    Lengthening the rule itself, rather than adding time after its due time, keeps every pend
    that rule counts (a pend begun after the first due time but before the extended one still
    pauses a `pauses_when_pended` clock) and keeps the at-risk time at three quarters of the
    whole, extended timeframe. A rule that allows no extension is a ValueError.
    """
    found = extension_of(asdict(rule))
    if found is None or found[0] != rule.unit:
        raise ValueError("the rule allows no extension in its own unit")
    return replace(rule, amount=rule.amount + found[1])
