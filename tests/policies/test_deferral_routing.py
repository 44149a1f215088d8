"""The deferral logic, steps 6-8: criteria source, queue (routing table) and due time."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest

from priorauth.policies.deferral import (
    ProductRecord,
    RoutingRecord,
    TimeframeRecord,
    UndecidableRequest,
    decide,
)
from tests.policies.snapshots import (
    FEDERAL_STANDARD,
    HEMOPHILIA_MEDICAL,
    MP_AD_1623,
    ROUTING,
    facts,
    policy,
    snapshot,
)

D = datetime.date
UTC = datetime.UTC

KYMRIAH_PHARMACY = policy("EX-PH-0101", "pharmacy", products=frozenset({"Q2042"}))
KYMRIAH_MEDICAL = policy("EX-MP-0301", "medical", products=frozenset({"Q2042"}))
CAR_T_MEDICAL = policy("EX-MP-0400", "medical", categories=frozenset({"car_t"}), effective=D(2026, 4, 1))
CAR_T_PHARMACY = policy("EX-PH-0400", "pharmacy", categories=frozenset({"car_t"}))
GENE_CELLS_PHARMACY = policy("EX-PH-0500", "pharmacy", categories=frozenset({"cell_based_gene_therapy"}))
GENE_CELLS_MEDICAL = policy("EX-MP-0500", "medical", categories=frozenset({"cell_based_gene_therapy"}))
KYMRIAH_ON_PHARMACY = ProductRecord("Q2042", "Kymriah", "tisagenlecleucel", "car_t", True, "pharmacy", True)


@pytest.mark.parametrize(
    ("changes", "criteria", "products", "routing_key", "criteria_number"),
    [
        pytest.param(
            {},
            (KYMRIAH_PHARMACY, CAR_T_MEDICAL),
            (),
            "pharmacy-policy",
            "EX-PH-0101",
            id="product-level-beats-a-later-category-level-policy",
        ),
        pytest.param(
            {"hcpcs": "Q2041"},
            (KYMRIAH_PHARMACY, CAR_T_MEDICAL),
            (),
            "medical-policy",
            "EX-MP-0400",
            id="category-level-when-no-policy-names-the-product",
        ),
        pytest.param(
            {},
            (KYMRIAH_PHARMACY, KYMRIAH_MEDICAL),
            (),
            "medical-policy",
            "EX-MP-0301",
            id="medical-benefit-picks-the-medical-policy",
        ),
        pytest.param(
            {},
            (KYMRIAH_PHARMACY, KYMRIAH_MEDICAL),
            (KYMRIAH_ON_PHARMACY,),
            "pharmacy-policy",
            "EX-PH-0101",
            id="pharmacy-benefit-picks-the-pharmacy-policy",
        ),
        pytest.param(
            {"hcpcs": "Q2041"},
            (CAR_T_PHARMACY, CAR_T_MEDICAL),
            (),
            "medical-policy",
            "EX-MP-0400",
            id="category-level-tie-decided-by-benefit",
        ),
        pytest.param(
            {},
            (KYMRIAH_PHARMACY,),
            (),
            "pharmacy-policy",
            "EX-PH-0101",
            id="only-a-pharmacy-policy-for-a-medical-benefit-product",
        ),
        pytest.param(
            {},
            (KYMRIAH_MEDICAL, replace(KYMRIAH_MEDICAL, number="EX-MP-0302", effective=D(2026, 3, 1))),
            (),
            "medical-policy",
            "EX-MP-0302",
            id="later-effective-date-breaks-the-tie",
        ),
        pytest.param(
            {},
            (replace(KYMRIAH_MEDICAL, number="EX-MP-0399"), KYMRIAH_MEDICAL),
            (),
            "medical-policy",
            "EX-MP-0301",
            id="same-date-lower-number-for-determinism",
        ),
        pytest.param(
            {"hcpcs": None, "category": "stem_cell_transplant", "genetically_modified": True},
            (GENE_CELLS_PHARMACY, GENE_CELLS_MEDICAL),
            (),
            "medical-policy",
            "EX-MP-0500",
            id="no-product-record-counts-as-medical-benefit",
        ),
        pytest.param(
            {},
            (replace(KYMRIAH_PHARMACY, archived=D(2026, 6, 1)),),
            (),
            "medical-necessity",
            None,
            id="criteria-policy-archived-on-dos-is-not-active",
        ),
        pytest.param(
            {},
            (replace(KYMRIAH_PHARMACY, archived=D(2026, 6, 2)),),
            (),
            "pharmacy-policy",
            "EX-PH-0101",
            id="criteria-policy-archived-day-after-dos-is-active",
        ),
        pytest.param(
            {},
            (replace(KYMRIAH_PHARMACY, effective=D(2026, 6, 2)),),
            (),
            "medical-necessity",
            None,
            id="criteria-policy-effective-day-after-dos-is-not-active",
        ),
        pytest.param(
            {},
            (replace(KYMRIAH_PHARMACY, effective=D(2026, 6, 1)),),
            (),
            "pharmacy-policy",
            "EX-PH-0101",
            id="criteria-policy-effective-on-dos-is-active",
        ),
        pytest.param(
            {"plan": "GA-MKT-BRONZE-2026", "hcpcs": "J1411"},
            (HEMOPHILIA_MEDICAL,),
            (),
            "medical-necessity",
            None,
            id="criteria-policy-for-other-states-only",
        ),
        pytest.param(
            {},
            (replace(KYMRIAH_PHARMACY, lines_of_business=frozenset({"medicaid"})),),
            (),
            "medical-necessity",
            None,
            id="criteria-policy-for-another-line-of-business",
        ),
        pytest.param(
            {"hcpcs": "J3392"},
            (KYMRIAH_PHARMACY,),
            (),
            "medical-necessity",
            None,
            id="no-policy-names-product-or-category",
        ),
    ],
)
def test_it_finds_the_criteria_policy(changes, criteria, products, routing_key, criteria_number):
    decision = decide(facts(**changes), snapshot(policies=(MP_AD_1623, *criteria), products=products))
    assert decision.routing_key == routing_key
    assert (decision.criteria.number if decision.criteria else None) == criteria_number
    step = decision.trace[5]
    assert step.step == "criteria_source"
    assert step.cites == ("MP-AD-1623 D.I, G" if criteria_number is None else "MP-AD-1623 D.I")


def test_it_names_the_general_medical_necessity_policy_when_none_is_active():
    decision = decide(facts(hcpcs="Q2041"), snapshot())
    assert "Medical Necessity Determinations" in decision.trace[5].result


@pytest.mark.parametrize(
    ("criteria", "ending"),
    [
        pytest.param(
            (KYMRIAH_PHARMACY, KYMRIAH_MEDICAL),
            "preferred over EX-PH-0101: the product is on the medical benefit",
            id="benefit-decides",
        ),
        pytest.param(
            (KYMRIAH_MEDICAL, replace(KYMRIAH_MEDICAL, number="EX-MP-0302", effective=D(2026, 3, 1))),
            "preferred over EX-MP-0301: the later effective date",
            id="later-effective-date-decides",
        ),
        pytest.param(
            (replace(KYMRIAH_MEDICAL, number="EX-MP-0399"), KYMRIAH_MEDICAL),
            "preferred over EX-MP-0399: the same effective date, the lower policy number",
            id="policy-number-decides",
        ),
        pytest.param((KYMRIAH_PHARMACY,), "supplies the coverage criteria", id="no-rival"),
    ],
)
def test_it_says_why_the_criteria_policy_won(criteria, ending):
    decision = decide(facts(), snapshot(policies=(MP_AD_1623, *criteria)))
    assert decision.trace[5].result.endswith(ending)


@pytest.mark.parametrize(
    ("changes", "routing", "queue"),
    [
        pytest.param({"hcpcs": "Q2041"}, ROUTING, "mn-car-t", id="category-specific-entry-beats-the-default"),
        pytest.param({"hcpcs": "J3392"}, ROUTING, "mn-general", id="other-category-takes-the-default"),
        pytest.param(
            {"hcpcs": "Q2041"},
            (
                RoutingRecord("medical-necessity", "car_t", "mn-car-t"),
                RoutingRecord("medical-necessity", None, "mn-general"),
            ),
            "mn-car-t",
            id="category-entry-wins-whatever-the-order",
        ),
        pytest.param(
            {"plan": "KY-MCD-2026", "hcpcs": "Q2041"},
            (*ROUTING, RoutingRecord("triage", "car_t", "triage-car-t")),
            "triage-car-t",
            id="triage-refined-by-category",
        ),
    ],
)
def test_it_picks_the_queue_from_the_routing_table(changes, routing, queue):
    decision = decide(facts(**changes), snapshot(routing=routing))
    assert decision.queue == queue
    assert decision.trace[-2].step == "queue"
    assert decision.trace[-2].cites == "routing table"


@pytest.mark.parametrize(
    "routing",
    [
        pytest.param([r for r in ROUTING if r.key != "medical-necessity"], id="key-missing"),
        pytest.param(
            [RoutingRecord("medical-necessity", "car_t", "mn-car-t")], id="only-another-categorys-entry"
        ),
    ],
)
def test_it_refuses_a_routing_key_without_an_entry(routing):
    with pytest.raises(UndecidableRequest, match="no routing table entry for routing key medical-necessity"):
        decide(facts(hcpcs="J3392"), snapshot(routing=routing))


def utc(month: int, day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "due_at", "state", "beaten"),
    [
        pytest.param(
            {},
            utc(5, 30, 14),
            "OH",
            "15 calendar days from receipt (federal standard rule)",
            id="ohio-10-days-stricter-than-federal-15",
        ),
        pytest.param(
            {"urgency": "expedited"},
            utc(5, 22, 14),
            "OH",
            "72 hours from receipt (federal expedited rule)",
            id="ohio-48-hours-stricter-than-federal-72",
        ),
        pytest.param(
            {"plan": "IN-MKT-GOLD-2026", "urgency": "expedited", "received_at": utc(5, 22, 15)},
            utc(5, 25, 15),
            "*",
            "24 business hours from receipt (IN expedited rule), due 05/26/2026 15:00",
            id="federal-stricter-than-indiana-over-memorial-day",
        ),
        pytest.param(
            {"plan": "IN-MKT-GOLD-2026"},
            utc(5, 22, 14),
            "IN",
            "15 calendar days from receipt (federal standard rule)",
            id="indiana-48-business-hours-midweek",
        ),
        pytest.param(
            {"plan": "WV-MKT-SILVER-2026", "urgency": "expedited"},
            utc(5, 22, 14),
            "WV",
            "72 hours from receipt (federal expedited rule)",
            id="west-virginia-2-days",
        ),
        pytest.param(
            {"plan": "GA-MKT-BRONZE-2026", "urgency": "expedited"},
            utc(5, 23, 14),
            "GA",
            "72 hours from receipt (federal expedited rule), due 05/23/2026 14:00 UTC too; "
            "on a tie the state's own rule",
            id="georgia-ties-federal-state-rule-applies",
        ),
        pytest.param({"plan": "KY-MKT-SILVER-2026"}, utc(6, 4, 14), "*", None, id="other-state-federal-only"),
    ],
)
def test_it_applies_the_earliest_timeframe_rule(changes, due_at, state, beaten):
    decision = decide(facts(**changes), snapshot())
    assert decision.due_at == due_at
    assert decision.timeframe is not None and decision.timeframe.state == state
    step = decision.trace[-1]
    assert (step.step, step.cites) == ("due_time", decision.timeframe.source)
    assert step.result.startswith(f"Due {due_at:%m/%d/%Y %H:%M} UTC")
    if beaten is None:
        assert "beats" not in step.result
    else:
        assert f"beats {beaten}" in step.result


def test_it_keeps_the_winning_rules_missed_deadline_meaning():
    decision = decide(facts(plan="GA-MKT-BRONZE-2026"), snapshot())
    assert decision.timeframe is not None
    assert decision.timeframe.missed == "deemed_approved"


def test_it_refuses_a_request_no_timeframe_rule_covers():
    rules = (FEDERAL_STANDARD, TimeframeRecord("expedited", "OH", "hours", 48))
    with pytest.raises(UndecidableRequest, match="no timeframe rule for expedited requests in GA"):
        decide(facts(plan="GA-MKT-BRONZE-2026", urgency="expedited"), snapshot(timeframes=rules))


def test_it_refuses_a_request_under_an_invalid_timeframe_rule():
    rules = (TimeframeRecord("standard", "*", "fortnights", 1),)
    with pytest.raises(UndecidableRequest, match="unknown timeframe unit 'fortnights'"):
        decide(facts(), snapshot(timeframes=rules))
