"""The deferral logic of MP-AD-1623, as a pure function of a request's facts and the records.

MP-AD-1623 decides nothing by itself: it defers (section D.I) to the member's EOC and SOB,
to the medical or pharmacy policy if one is active, else to a general medical-necessity
determination. `decide` walks those deferrals in the order of DOMAIN.md and returns the
decision with one trace entry per step, each citing the section or rule behind it.

No database, no clock: callers build a `Snapshot` of the records and pass times in. Step 8,
the due time, is `due_time.py`; the records and the decision's JSON form are `snapshot.py`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, replace

from priorauth.policies.due_time import due_time
from priorauth.policies.snapshot import (
    Coverage,
    Decision,
    PlanRecord,
    PolicyRecord,
    ProductRecord,
    RequestFacts,
    RoutingRecord,
    Snapshot,
    TimeframeRecord,
    TraceStep,
    UndecidableRequest,
    decision_as_json,
    policy_versions,
)
from priorauth.policies.vocab import (
    CATEGORIES,
    CELL_BASED_GENE_THERAPY,
    LINES_OF_BUSINESS,
    STEM_CELL_TRANSPLANT,
    URGENCIES,
)

# The policy reviewers apply when no medical or pharmacy policy names the service (D.I, G).
GENERAL_MEDICAL_NECESSITY = "Medical Necessity Determinations"

__all__ = [
    "Coverage",
    "Decision",
    "PlanRecord",
    "PolicyRecord",
    "ProductRecord",
    "RequestFacts",
    "RoutingRecord",
    "Snapshot",
    "TimeframeRecord",
    "TraceStep",
    "UndecidableRequest",
    "decide",
    "decision_as_json",
    "in_effect",
    "policy_versions",
]


@dataclass(frozen=True)
class _Case:
    """The facts with their plan and product records looked up: what every step reads."""

    facts: RequestFacts
    snapshot: Snapshot
    plan: PlanRecord
    product: ProductRecord | None
    category: str

    @property
    def service(self) -> str:
        """Return the service as a provider names it: the product, else the therapy category."""
        if self.product is not None:
            return f"{self.product.brand} ({self.product.hcpcs})"
        return _category(self.category)

    @property
    def service_or_category(self) -> str:
        """Return the product and its category, or the category alone, for a sentence."""
        if self.product is not None:
            return f"{self.service} or {_category(self.category)}"
        return self.service

    @property
    def dos(self) -> str:
        return _date(self.facts.date_of_service)


def _category(category: str) -> str:
    """Return a category's name for the middle of a sentence ("gene therapy", "CAR-T cell therapy")."""
    label = CATEGORIES[category]
    return label if label[1:2].isupper() else label[0].lower() + label[1:]


def _date(day: datetime.date) -> str:
    """Return a date the way the policy statement writes it (05/01/2026)."""
    return day.strftime("%m/%d/%Y")


def _numbers(policies: Iterable[PolicyRecord]) -> str:
    return ", ".join(sorted({policy.number for policy in policies}))


def _case(facts: RequestFacts, snapshot: Snapshot) -> _Case:
    """Return the facts with their plan and product records, or raise UndecidableRequest."""
    plan = snapshot.plans.get(facts.plan)
    if plan is None:
        raise UndecidableRequest(f"unknown plan {facts.plan!r}")
    if facts.received_at.tzinfo is None or facts.received_at.utcoffset() is None:
        raise UndecidableRequest("received_at must carry a UTC offset")
    if facts.urgency not in URGENCIES:
        raise UndecidableRequest(
            f"unknown urgency {facts.urgency!r} (expected one of {', '.join(URGENCIES)})"
        )
    if facts.hcpcs:
        product = snapshot.products.get(facts.hcpcs)
        if product is None:
            raise UndecidableRequest(f"unknown product: no product record for HCPCS {facts.hcpcs!r}")
        # The product's own category comes from its record, never from the provider.
        return _Case(facts, snapshot, plan, product, product.category)
    if not facts.category:
        raise UndecidableRequest("the request names neither a product (hcpcs) nor a therapy category")
    if facts.category not in CATEGORIES:
        raise UndecidableRequest(f"unknown therapy category {facts.category!r}")
    return _Case(facts, snapshot, plan, None, facts.category)


def in_effect(policy: PolicyRecord, day: datetime.date) -> bool:
    """Return whether the policy is in effect on `day` (section H: effective <= day < archived)."""
    return policy.effective <= day and (policy.archived is None or day < policy.archived)


def _applies_to_plan(policy: PolicyRecord, plan: PlanRecord) -> bool:
    return plan.line_of_business in policy.lines_of_business and plan.state in policy.states


def _governing_policy(case: _Case) -> tuple[PolicyRecord | None, TraceStep]:
    """Return the governing policy (step 1): the administrative policy in effect for the plan and service."""
    plan, dos = case.plan, case.facts.date_of_service
    found = [
        policy
        for policy in case.snapshot.policies
        if policy.type == "administrative"
        and _applies_to_plan(policy, plan)
        and (case.category in policy.categories or case.facts.hcpcs in policy.products)
        and in_effect(policy, dos)
    ]
    if not found:
        reason, cites = _why_not_governed(case)
        return None, TraceStep("governing_policy", f"Not governed: {reason}; sent to triage", cites)
    policy = max(found, key=lambda p: (p.effective, p.number))
    lob = LINES_OF_BUSINESS.get(plan.line_of_business, plan.line_of_business)
    result = (
        f"{policy.number} effective {_date(policy.effective)} governs {lob} plans in {plan.state} "
        f"on the date of service {case.dos}"
    )
    return policy, TraceStep("governing_policy", result, f"{policy.number} A, H")


def _why_not_governed(case: _Case) -> tuple[str, str]:
    """Return why no administrative policy governs the request, and the sections that say so."""
    plan, dos = case.plan, case.facts.date_of_service
    candidates = [policy for policy in case.snapshot.policies if policy.type == "administrative"]
    if not candidates:
        return "no administrative policy is on record", "policy records"
    lob = LINES_OF_BUSINESS.get(plan.line_of_business, plan.line_of_business)
    narrowed = [p for p in candidates if plan.line_of_business in p.lines_of_business]
    if not narrowed:
        return (
            f"{_numbers(candidates)} does not apply to {lob} plans like {plan.code}",
            f"{_numbers(candidates)} A",
        )
    candidates, narrowed = narrowed, [p for p in narrowed if plan.state in p.states]
    if not narrowed:
        states = ", ".join(sorted({state for p in candidates for state in p.states}))
        return f"{_numbers(candidates)} applies in {states}, not in {plan.state}", f"{_numbers(candidates)} A"
    candidates, narrowed = (
        narrowed,
        [p for p in narrowed if case.category in p.categories or case.facts.hcpcs in p.products],
    )
    if not narrowed:
        return f"{_numbers(candidates)} does not name {case.service_or_category}", f"{_numbers(candidates)} A"
    first = min(narrowed, key=lambda p: p.effective)
    if dos < first.effective:
        takes_effect = f"{first.number} takes effect on {_date(first.effective)}"
        return f"the date of service {case.dos} is before {takes_effect}", f"{first.number} H"
    archived = max((p for p in narrowed if p.archived and p.archived <= dos), key=lambda p: p.archived or dos)
    reason = (
        f"{archived.number} was archived on {_date(archived.archived or dos)}, "
        f"on or before the date of service {case.dos}"
    )
    return reason, f"{archived.number} H"


def _genetically_modified(case: _Case) -> bool:
    """Return whether a transplant's donor cells are modified: the product record's word, else the provider's.

    Only read for stem cell transplants. A product's flags come from its record, never from the
    provider (DOMAIN.md); only a transplant with no product record is described by the provider.
    """
    if case.product is not None:
        return case.product.genetically_modified
    return bool(case.facts.genetically_modified)


def _scope(case: _Case, governing: PolicyRecord) -> tuple[str | None, TraceStep]:
    """Return `transplant` for a stem cell transplant without genetic manipulation (step 2, section B)."""
    cites = f"{governing.number} B"
    if case.category != STEM_CELL_TRANSPLANT:
        result = f"{case.service}, {_category(case.category)}, is within the scope of {governing.number}"
        return None, TraceStep("scope", result, cites)
    if _genetically_modified(case):
        result = (
            "A stem cell transplant with genetically modified donor cells is a cell-based gene therapy, "
            f"within the scope of {governing.number}"
        )
        return None, TraceStep("scope", result, cites)
    result = (
        "A stem cell transplant with no genetic manipulation of the donor cells "
        f"is not governed by {governing.number}"
    )
    return "transplant", TraceStep("scope", result, cites)


def _as_scoped(case: _Case) -> _Case:
    """Return the case as section B classes it, for every step after scope (steps 3 to 8).

    A stem cell transplant with genetically modified donor cells is a cell-based gene therapy:
    a plan's exclusion of that category, a criteria policy naming it and a routing entry for it
    apply, and the trace names it so. Any other case is returned unchanged.
    """
    if case.category == STEM_CELL_TRANSPLANT and _genetically_modified(case):
        return replace(case, category=CELL_BASED_GENE_THERAPY)
    return case


def _eligibility(case: _Case, governing: PolicyRecord) -> tuple[str | None, TraceStep]:
    """Return `eligibility` unless coverage is active on the date of service, ends inclusive (step 3, EOC)."""
    dos, cites = case.facts.date_of_service, f"{governing.number} D.I (EOC)"
    periods = ", ".join(f"{_date(c.start)}-{_date(c.end)}" for c in case.facts.coverage) or "none on file"
    if any(c.start <= dos <= c.end for c in case.facts.coverage):
        return None, TraceStep(
            "eligibility", f"Coverage is active on the date of service {case.dos} ({periods})", cites
        )
    result = (
        f"No coverage is active on the date of service {case.dos} (coverage: {periods}); "
        "sent to eligibility review"
    )
    return "eligibility", TraceStep("eligibility", result, cites)


def _benefits(case: _Case, governing: PolicyRecord) -> tuple[str | None, TraceStep]:
    """Return `benefits` if the plan excludes the product or its category (step 4, SOB)."""
    plan, cites = case.plan, f"{governing.number} D.I (SOB)"
    excluded = None
    if case.facts.hcpcs and case.facts.hcpcs in plan.excluded_products:
        excluded = case.service
    elif case.category in plan.excluded_categories:
        excluded = _category(case.category)
    if excluded is None:
        result = f"Plan {plan.code} does not exclude {case.service_or_category}"
        return None, TraceStep("benefits", result, cites)
    result = f"Plan {plan.code} excludes {excluded}; sent to benefits review (not a denial)"
    return "benefits", TraceStep("benefits", result, cites)


def _prior_authorization(case: _Case, governing: PolicyRecord) -> tuple[bool, TraceStep]:
    """Return whether the service needs prior authorization under the plan (step 5)."""
    cites, plan = f"{governing.number} D.I", case.plan
    if case.product is not None and not case.product.requires_prior_auth:
        result = f"{case.service} does not require prior authorization; no review is needed"
        return False, TraceStep("prior_authorization", result, cites)
    if case.facts.hcpcs and case.facts.hcpcs in plan.no_auth_products:
        result = (
            f"Plan {plan.code} does not subject {case.service} to prior authorization; no review is needed"
        )
        return False, TraceStep("prior_authorization", result, cites)
    result = f"{case.service} requires prior authorization under plan {plan.code}"
    return True, TraceStep("prior_authorization", result, cites)


def _criteria_source(case: _Case, governing: PolicyRecord) -> tuple[str, PolicyRecord | None, TraceStep]:
    """Return the routing key and the criteria policy, if one is active (step 6, D.I)."""
    active = [
        policy
        for policy in case.snapshot.policies
        if policy.type in ("medical", "pharmacy")
        and _applies_to_plan(policy, case.plan)
        and in_effect(policy, case.facts.date_of_service)
    ]
    level, named = "product", [p for p in active if case.facts.hcpcs and case.facts.hcpcs in p.products]
    if not named:
        level, named = "category", [p for p in active if case.category in p.categories]
    if not named:
        result = (
            f"No medical or pharmacy policy active on {case.dos} names {case.service_or_category}; "
            f"general medical-necessity determination ({GENERAL_MEDICAL_NECESSITY})"
        )
        return "medical-necessity", None, TraceStep("criteria_source", result, f"{governing.number} D.I, G")
    benefit = case.product.benefit if case.product is not None else "medical"
    # Benefit first, then the later effective date, then the lower number so ties are deterministic.
    ranked = sorted(named, key=lambda p: (p.type != benefit, -p.effective.toordinal(), p.number))
    winner = ranked[0]
    named_what = case.service if level == "product" else _category(case.category)
    result = (
        f"{winner.type.capitalize()} policy {winner.number} (effective {_date(winner.effective)}) "
        f"names {named_what} and supplies the coverage criteria"
    )
    if len(ranked) > 1:
        result += f"; preferred over {_numbers(ranked[1:])}: {_tie_break(winner, ranked[1], benefit)}"
    return f"{winner.type}-policy", winner, TraceStep("criteria_source", result, f"{governing.number} D.I")


def _tie_break(winner: PolicyRecord, runner_up: PolicyRecord, benefit: str) -> str:
    """Return what set the criteria policy ahead of the next equally specific one."""
    if winner.type != runner_up.type:
        return f"the product is on the {benefit} benefit"
    if winner.effective != runner_up.effective:
        return "the later effective date"
    return "the same effective date, the lower policy number"


def _queue(case: _Case, routing_key: str) -> tuple[str, TraceStep]:
    """Return the queue: the routing entry for the key and category, else the key's default (step 7)."""
    entries = [entry for entry in case.snapshot.routing if entry.key == routing_key]
    specific = next((entry for entry in entries if entry.category == case.category), None)
    default = next((entry for entry in entries if entry.category is None), None)
    entry = specific or default
    if entry is None:
        raise UndecidableRequest(f"no routing table entry for routing key {routing_key}")
    which = f"the {case.category} entry" if specific else "the key's default entry"
    result = f"Routing key {routing_key} goes to queue {entry.queue} ({which})"
    return entry.queue, TraceStep("queue", result, "routing table")


def _routed(
    case: _Case,
    routing_key: str,
    governing: PolicyRecord | None,
    criteria: PolicyRecord | None,
    trace: list[TraceStep],
) -> Decision:
    """Return the decision for a routing key: its queue (step 7) and due time (step 8)."""
    queue, step = _queue(case, routing_key)
    trace.append(step)
    due_at, rule, step = due_time(case.facts, case.plan, case.snapshot)
    trace.append(step)
    return Decision("routed", routing_key, queue, governing, criteria, due_at, rule, tuple(trace))


def _unhandled(facts: RequestFacts, snapshot: Snapshot) -> Decision:
    """Return triage for a service no product record or therapy category names (section A).

    An electronic request may name any code; a person must then decide what it is, with the
    same due time as any request of its urgency.
    """
    case = _case(replace(facts, hcpcs=None, category=STEM_CELL_TRANSPLANT), snapshot)
    case = replace(case, category="")
    step = TraceStep(
        "service",
        f"The service {facts.unhandled_service} is not a product or therapy these records handle; "
        "sent to triage",
        "MP-AD-1623 A (applies to)",
    )
    return _routed(case, "triage", None, None, [step])


def decide(facts: RequestFacts, snapshot: Snapshot) -> Decision:
    """Return the routing decision for a request, with one trace entry per step taken.

    Raises UndecidableRequest for an unknown plan, product or category, a request naming no
    service, a routing key with no routing table entry, or no timeframe rule. Diagnoses are
    never read: the decision is the same for any diagnosis (MHPAEA parity).
    """
    if facts.unhandled_service:
        return _unhandled(facts, snapshot)
    case = _case(facts, snapshot)
    governing, step = _governing_policy(case)
    trace = [step]
    if governing is None:
        return _routed(case, "triage", None, None, trace)
    routing_key, step = _scope(case, governing)
    trace.append(step)
    if routing_key is not None:
        return _routed(case, routing_key, governing, None, trace)
    case = _as_scoped(case)
    for check in (_eligibility, _benefits):
        routing_key, step = check(case, governing)
        trace.append(step)
        if routing_key is not None:
            return _routed(case, routing_key, governing, None, trace)
    required, step = _prior_authorization(case, governing)
    trace.append(step)
    if not required:
        return Decision("no_auth_required", None, None, governing, None, None, None, tuple(trace))
    routing_key, criteria, step = _criteria_source(case, governing)
    trace.append(step)
    return _routed(case, routing_key, governing, criteria, trace)
