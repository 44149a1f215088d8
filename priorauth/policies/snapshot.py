"""The records and facts the deferral logic reads, and the decision it returns: frozen values.

`priorauth.policies.deferral` re-exports every name here; callers may import from either.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class UndecidableRequest(ValueError):
    """The facts cannot be decided (unknown plan or product, missing service)."""


@dataclass(frozen=True)
class Coverage:
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class RequestFacts:
    plan: str
    coverage: tuple[Coverage, ...]
    hcpcs: str | None
    category: str | None
    genetically_modified: bool | None
    diagnoses: tuple[str, ...]
    urgency: str
    date_of_service: datetime.date
    received_at: datetime.datetime
    # A service code the records do not handle (an EHR's unknown code): triage, saying which.
    unhandled_service: str = ""


@dataclass(frozen=True)
class PolicyRecord:
    number: str
    title: str
    type: str
    lines_of_business: frozenset[str]
    states: frozenset[str]
    effective: datetime.date
    archived: datetime.date | None
    products: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ProductRecord:
    hcpcs: str
    brand: str
    generic: str
    category: str
    genetically_modified: bool
    benefit: str
    requires_prior_auth: bool


@dataclass(frozen=True)
class PlanRecord:
    code: str
    line_of_business: str
    state: str
    excluded_products: frozenset[str] = frozenset()
    excluded_categories: frozenset[str] = frozenset()
    no_auth_products: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RoutingRecord:
    key: str
    category: str | None
    queue: str


@dataclass(frozen=True)
class TimeframeRecord:
    urgency: str
    state: str
    unit: str
    amount: int
    clock: str = "receipt"
    pauses_when_pended: bool = False
    missed: str = "breach"
    source: str = ""
    # The one extension a reviewer may grant (a unit of TIMEFRAME_UNITS and an amount), or none.
    extension_unit: str = ""
    extension_amount: int | None = None


@dataclass(frozen=True)
class Snapshot:
    policies: tuple[PolicyRecord, ...]
    products: Mapping[str, ProductRecord]
    plans: Mapping[str, PlanRecord]
    routing: tuple[RoutingRecord, ...]
    timeframes: tuple[TimeframeRecord, ...]
    holidays: frozenset[datetime.date] = frozenset()


@dataclass(frozen=True)
class TraceStep:
    step: str
    result: str
    cites: str


@dataclass(frozen=True)
class Decision:
    outcome: str
    routing_key: str | None
    queue: str | None
    governing: PolicyRecord | None
    criteria: PolicyRecord | None
    due_at: datetime.datetime | None
    timeframe: TimeframeRecord | None
    trace: tuple[TraceStep, ...] = field(default_factory=tuple)


def _utc(moment: datetime.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def decision_as_json(decision: Decision) -> dict[str, Any]:
    """Return the decision line of DOMAIN.md (without `id`), JSON-ready."""
    return {
        "outcome": decision.outcome,
        "routing_key": decision.routing_key,
        "queue": decision.queue,
        "governing_policy": decision.governing.number if decision.governing else None,
        "criteria_policy": decision.criteria.number if decision.criteria else None,
        "due_at": _utc(decision.due_at),
        "trace": [{"step": s.step, "result": s.result, "cites": s.cites} for s in decision.trace],
    }


def policy_versions(decision: Decision) -> list[dict[str, str]]:
    """Return the policy versions a decision used (governing, then criteria), to store with it."""
    used = [("governing", decision.governing), ("criteria", decision.criteria)]
    return [
        {"role": role, "number": policy.number, "effective": policy.effective.isoformat()}
        for role, policy in used
        if policy is not None
    ]
