"""Section B: a transplant of genetically modified cells is a cell-based gene therapy from step 2 on."""

from __future__ import annotations

import json
from typing import Any

import pytest

from priorauth.policies.deferral import PlanRecord, ProductRecord, RoutingRecord, decide
from priorauth.policies.preview import preview_line
from tests.policies.snapshots import MP_AD_1623, ROUTING, facts, policy, snapshot

MODIFIED_TRANSPLANT: dict[str, Any] = {
    "hcpcs": None,
    "category": "stem_cell_transplant",
    "genetically_modified": True,
}
UNMODIFIED_TRANSPLANT: dict[str, Any] = {**MODIFIED_TRANSPLANT, "genetically_modified": False}
MODIFIED_GRAFT = ProductRecord(
    "NOC-GRAFT", "Graft", "modified graft", "stem_cell_transplant", True, "medical", True
)
MODIFIED_GRAFT_REQUEST: dict[str, Any] = {"hcpcs": "NOC-GRAFT"}

NO_GENE_CELLS = PlanRecord(
    "OH-MKT-BRONZE-2026",
    "marketplace",
    "OH",
    excluded_categories=frozenset({"cell_based_gene_therapy"}),
)
NO_TRANSPLANTS = PlanRecord(
    "OH-MKT-BRONZE-2026",
    "marketplace",
    "OH",
    excluded_categories=frozenset({"stem_cell_transplant"}),
)
GENE_CELLS_MEDICAL = policy("EX-MP-0600", "medical", categories=frozenset({"cell_based_gene_therapy"}))
TRANSPLANT_MEDICAL = policy("EX-MP-0500", "medical", categories=frozenset({"stem_cell_transplant"}))
CATEGORY_ROUTING = (
    *ROUTING,
    RoutingRecord("medical-necessity", "cell_based_gene_therapy", "mn-gene-cells"),
    RoutingRecord("medical-necessity", "stem_cell_transplant", "mn-transplant"),
    RoutingRecord("transplant", "stem_cell_transplant", "transplant-unit"),
)
CELL_BASED = "cell-based gene therapy (ex vivo modified cells)"


def decide_with(changes: dict[str, Any], **records: Any) -> Any:
    return decide(facts(**changes), snapshot(products=(MODIFIED_GRAFT,), **records))


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(MODIFIED_TRANSPLANT, id="no-product-record"),
        pytest.param(MODIFIED_GRAFT_REQUEST, id="product-record"),
    ],
)
def test_it_applies_a_plans_exclusion_of_cell_based_gene_therapy(changes):
    decision = decide_with({**changes, "plan": "OH-MKT-BRONZE-2026"}, plans=(NO_GENE_CELLS,))
    assert (decision.routing_key, decision.queue) == ("benefits", "benefits")
    step = decision.trace[3]
    assert step.step == "benefits"
    assert step.result == (
        f"Plan OH-MKT-BRONZE-2026 excludes {CELL_BASED}; sent to benefits review (not a denial)"
    )


def test_it_no_longer_applies_a_plans_exclusion_of_stem_cell_transplants():
    decision = decide_with({**MODIFIED_TRANSPLANT, "plan": "OH-MKT-BRONZE-2026"}, plans=(NO_TRANSPLANTS,))
    assert decision.routing_key == "medical-necessity"
    assert decision.trace[3].result == f"Plan OH-MKT-BRONZE-2026 does not exclude {CELL_BASED}"


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(MODIFIED_TRANSPLANT, id="no-product-record"),
        pytest.param(MODIFIED_GRAFT_REQUEST, id="product-record"),
    ],
)
def test_it_finds_a_category_level_criteria_policy_naming_cell_based_gene_therapy(changes):
    decision = decide_with(changes, policies=(MP_AD_1623, GENE_CELLS_MEDICAL, TRANSPLANT_MEDICAL))
    assert (decision.routing_key, decision.queue) == ("medical-policy", "mn-medical-policy")
    assert decision.criteria == GENE_CELLS_MEDICAL
    step = decision.trace[5]
    assert step.step == "criteria_source"
    assert step.result == (
        f"Medical policy EX-MP-0600 (effective 01/01/2026) names {CELL_BASED} "
        "and supplies the coverage criteria"
    )


def test_it_does_not_take_a_stem_cell_transplant_policy_as_the_criteria_policy():
    decision = decide_with(MODIFIED_TRANSPLANT, policies=(MP_AD_1623, TRANSPLANT_MEDICAL))
    assert (decision.routing_key, decision.criteria) == ("medical-necessity", None)
    assert f"names {CELL_BASED};" in decision.trace[5].result


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(MODIFIED_TRANSPLANT, id="no-product-record"),
        pytest.param(MODIFIED_GRAFT_REQUEST, id="product-record"),
    ],
)
def test_it_routes_by_the_cell_based_gene_therapy_entry(changes):
    decision = decide_with(changes, routing=CATEGORY_ROUTING)
    assert (decision.routing_key, decision.queue) == ("medical-necessity", "mn-gene-cells")
    step = decision.trace[-2]
    assert step.step == "queue"
    assert step.result == (
        "Routing key medical-necessity goes to queue mn-gene-cells (the cell_based_gene_therapy entry)"
    )


def test_it_says_cell_based_gene_therapy_in_every_step_after_scope():
    decision = decide_with(MODIFIED_TRANSPLANT)
    assert [step.step for step in decision.trace] == [
        "governing_policy",
        "scope",
        "eligibility",
        "benefits",
        "prior_authorization",
        "criteria_source",
        "queue",
        "due_time",
    ]
    assert "is a cell-based gene therapy" in decision.trace[1].result
    assert CELL_BASED in decision.trace[3].result
    assert decision.trace[4].result.startswith(f"{CELL_BASED} requires prior authorization")
    assert CELL_BASED in decision.trace[5].result
    assert all("stem cell transplant" not in step.result for step in decision.trace[2:])


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(UNMODIFIED_TRANSPLANT, id="unmodified"),
        pytest.param({**UNMODIFIED_TRANSPLANT, "genetically_modified": None}, id="unstated"),
    ],
)
def test_it_keeps_sending_an_unmodified_transplant_to_transplant(changes):
    decision = decide_with(
        {**changes, "plan": "OH-MKT-BRONZE-2026"},
        plans=(NO_GENE_CELLS,),
        policies=(MP_AD_1623, GENE_CELLS_MEDICAL),
        routing=CATEGORY_ROUTING,
    )
    assert (decision.routing_key, decision.criteria) == ("transplant", None)
    assert decision.queue == "transplant-unit"
    assert decision.trace[-2].result.endswith("(the stem_cell_transplant entry)")


def test_route_preview_writes_the_same_decision():
    records = snapshot(policies=(MP_AD_1623, GENE_CELLS_MEDICAL), routing=CATEGORY_ROUTING)
    request = {
        "id": "r-graft",
        "plan": "OH-MKT-SILVER-2026",
        "coverage_start": "2026-01-01",
        "coverage_end": "2026-12-31",
        "category": "stem_cell_transplant",
        "genetically_modified": True,
        "diagnoses": ["D57.1"],
        "urgency": "standard",
        "date_of_service": "2026-06-01",
        "received_at": "2026-05-20T10:00:00-04:00",
    }
    line = preview_line(json.dumps(request), records).output
    assert (line["routing_key"], line["queue"], line["criteria_policy"]) == (
        "medical-policy",
        "mn-medical-policy",
        "EX-MP-0600",
    )
    criteria = next(step for step in line["trace"] if step["step"] == "criteria_source")
    assert f"names {CELL_BASED}" in criteria["result"]
    unmodified = preview_line(json.dumps({**request, "genetically_modified": False}), records).output
    assert (unmodified["routing_key"], unmodified["queue"]) == ("transplant", "transplant-unit")
