"""MHPAEA parity: a behavioural-health diagnosis (ICD-10-CM F01-F99) never changes the decision.

The same request with a behavioural-health diagnosis in place of a medical one must get the
same routing, queue, due time and trace. Hypothesis generates the requests across plans, products,
categories, dates, urgencies and coverage, and swaps each diagnosis in turn.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from priorauth.policies.deferral import (
    Coverage,
    PlanRecord,
    ProductRecord,
    RequestFacts,
    Snapshot,
    UndecidableRequest,
    decide,
    decision_as_json,
)
from tests.policies.snapshots import MP_AD_1623, PLANS, PRODUCTS, facts, policy, snapshot

D = datetime.date
MEDICAL_DIAGNOSES = ("C83.30", "C91.00", "D57.1", "E75.25", "G12.0", "D66", "C90.00", "C85.10", "D81.0")
NAMED_BH_DIAGNOSES = ("F32.9", "F20.0", "F90.2", "F84.0", "F10.20", "F41.1", "F01.50", "F99")
CATEGORIES = (
    "car_t",
    "tcr_t",
    "til",
    "gene_therapy",
    "cell_based_gene_therapy",
    "cell_therapy",
    "stem_cell_transplant",
)

EXTRA_PRODUCTS = (
    ProductRecord("NOC-OMISIRGE", "Omisirge", "omidubicel", "stem_cell_transplant", False, "medical", True),
    ProductRecord(
        "J9999", "Example", "example pharmacy-benefit gene therapy", "gene_therapy", True, "pharmacy", True
    ),
    ProductRecord("Q9998", "Exempt", "example product without prior auth", "car_t", True, "medical", False),
)
EXTRA_PLANS = (
    PlanRecord("OH-MKT-BRONZE-2026", "marketplace", "OH", excluded_categories=frozenset({"car_t"})),
    PlanRecord("IN-MKT-GOLD-2026", "marketplace", "IN", no_auth_products=frozenset({"Q2041"})),
)
PARITY_SNAPSHOT: Snapshot = snapshot(
    extra_policies=(
        replace(MP_AD_1623, effective=D(2026, 9, 1)),
        policy(
            "EX-MP-0400", "medical", categories=frozenset({"car_t", "gene_therapy"}), effective=D(2026, 4, 1)
        ),
        policy("EX-PH-0500", "pharmacy", products=frozenset({"J9999", "J1411"}), archived=D(2026, 8, 1)),
    ),
    products=EXTRA_PRODUCTS,
    plans=EXTRA_PLANS,
)
HCPCS = tuple(sorted({p.hcpcs for p in (*PRODUCTS, *EXTRA_PRODUCTS)}))
PLAN_CODES = tuple(sorted({p.code for p in (*PLANS, *EXTRA_PLANS)}))

behavioural_health_codes = st.one_of(
    st.sampled_from(NAMED_BH_DIAGNOSES),
    st.builds(
        lambda block, suffix: f"F{block:02d}{suffix}",
        st.integers(min_value=1, max_value=99),
        st.one_of(
            st.just(""), st.text("0123456789", min_size=1, max_size=2).map(lambda digits: f".{digits}")
        ),
    ),
)
days = st.dates(min_value=D(2026, 4, 15), max_value=D(2027, 3, 1))


@st.composite
def requests(draw: st.DrawFn) -> RequestFacts:
    """Return a request over the parity snapshot's plans, products and categories."""
    service = draw(
        st.one_of(
            st.sampled_from(HCPCS).map(lambda code: {"hcpcs": code, "category": None}),
            st.sampled_from(CATEGORIES).map(lambda category: {"hcpcs": None, "category": category}),
        )
    )
    date_of_service = draw(days)
    # Coverage mostly spans the date of service, sometimes just misses it; sometimes none is on file.
    start = date_of_service - datetime.timedelta(days=draw(st.integers(-10, 365)))
    end = start + datetime.timedelta(days=draw(st.integers(0, 400)))
    coverage = () if draw(st.integers(0, 7)) == 0 else (Coverage(start, end),)
    received = datetime.datetime.combine(
        draw(days), datetime.time(draw(st.integers(0, 23))), tzinfo=datetime.UTC
    )
    return facts(
        plan=draw(st.sampled_from(PLAN_CODES)),
        coverage=coverage,
        genetically_modified=draw(st.sampled_from((None, True, False))),
        diagnoses=tuple(draw(st.lists(st.sampled_from(MEDICAL_DIAGNOSES), min_size=1, max_size=4))),
        urgency=draw(st.sampled_from(("standard", "expedited"))),
        date_of_service=date_of_service,
        received_at=received,
        **service,
    )


def outcome(request: RequestFacts) -> dict[str, Any]:
    """Return the decision line, or the reason the request cannot be decided."""
    try:
        return decision_as_json(decide(request, PARITY_SNAPSHOT))
    except UndecidableRequest as error:
        return {"error": str(error)}


@settings(max_examples=300, deadline=None)
@given(request=requests(), swap=st.data())
def test_it_decides_the_same_whichever_diagnosis_is_behavioural(
    request: RequestFacts, swap: st.DataObject
) -> None:
    index = swap.draw(
        st.integers(min_value=0, max_value=len(request.diagnoses) - 1), label="diagnosis swapped"
    )
    code = swap.draw(behavioural_health_codes, label="behavioural-health code")
    diagnoses = (*request.diagnoses[:index], code, *request.diagnoses[index + 1 :])
    swapped = replace(request, diagnoses=diagnoses)
    assert outcome(swapped) == outcome(request)


@settings(max_examples=100, deadline=None)
@given(request=requests(), codes=st.lists(behavioural_health_codes, min_size=1, max_size=4))
def test_it_decides_the_same_when_every_diagnosis_is_behavioural(
    request: RequestFacts, codes: list[str]
) -> None:
    swapped = replace(request, diagnoses=tuple(codes))
    assert outcome(swapped) == outcome(request)


def test_it_generates_requests_that_reach_every_routing_outcome() -> None:
    """Guard the property tests' reach: the parity snapshot can produce every outcome they compare."""
    keys = {
        outcome(facts(plan="KY-MCD-2026"))["routing_key"],
        outcome(facts(hcpcs=None, category="stem_cell_transplant"))["routing_key"],
        outcome(facts(coverage=()))["routing_key"],
        outcome(facts(plan="OH-MKT-BRONZE-2026"))["routing_key"],
        outcome(facts(hcpcs="Q9998"))["outcome"],
        outcome(facts())["routing_key"],
        outcome(facts(hcpcs="J1411"))["routing_key"],
        outcome(facts(hcpcs="J3392"))["routing_key"],
    }
    assert keys == {
        "triage",
        "transplant",
        "eligibility",
        "benefits",
        "no_auth_required",
        "pharmacy-policy",
        "medical-policy",
        "medical-necessity",
    }
