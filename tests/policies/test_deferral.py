"""The deferral logic, steps 1-5: governing policy, scope, eligibility (EOC), benefits (SOB), prior auth."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest

from priorauth.policies.deferral import (
    Coverage,
    PlanRecord,
    ProductRecord,
    UndecidableRequest,
    decide,
    decision_as_json,
    policy_versions,
)
from tests.policies.snapshots import MP_AD_1623, facts, policy, snapshot

D = datetime.date
YEAR_2026 = (Coverage(D(2026, 1, 1), D(2026, 12, 31)),)
ARCHIVED_SEPT = replace(MP_AD_1623, archived=D(2026, 9, 1))
REVISION_SEPT = replace(
    MP_AD_1623, effective=D(2026, 9, 1), title="Cellular, Gene, and Cell-Based Gene Therapy (rev.)"
)
KYMRIAH_PHARMACY = policy("EX-PH-0101", "pharmacy", products=frozenset({"Q2042"}))


@pytest.mark.parametrize(
    ("changes", "policies", "governing_effective"),
    [
        pytest.param(
            {"date_of_service": D(2026, 5, 1)},
            (MP_AD_1623,),
            D(2026, 5, 1),
            id="dos-on-effective-date-governs",
        ),
        pytest.param(
            {"date_of_service": D(2026, 8, 31)},
            (ARCHIVED_SEPT,),
            D(2026, 5, 1),
            id="day-before-archived-governs",
        ),
        pytest.param(
            {"date_of_service": D(2026, 8, 31)},
            (ARCHIVED_SEPT, REVISION_SEPT),
            D(2026, 5, 1),
            id="old-version-governs-until-the-revision",
        ),
        pytest.param(
            {"date_of_service": D(2026, 9, 1)},
            (ARCHIVED_SEPT, REVISION_SEPT),
            D(2026, 9, 1),
            id="revision-governs-from-its-effective-date",
        ),
        pytest.param(
            {"date_of_service": D(2026, 10, 1)},
            (MP_AD_1623, REVISION_SEPT),
            D(2026, 9, 1),
            id="latest-effective-version-governs-when-both-in-effect",
        ),
        pytest.param(
            {"plan": "WV-MKT-SILVER-2026"},
            (MP_AD_1623,),
            D(2026, 5, 1),
            id="west-virginia-marketplace-governed",
        ),
    ],
)
def test_it_finds_the_governing_policy_in_effect(changes, policies, governing_effective):
    decision = decide(facts(**changes), snapshot(policies=policies))
    assert decision.governing is not None
    assert (decision.governing.number, decision.governing.effective) == ("MP-AD-1623", governing_effective)
    assert decision.trace[0].step == "governing_policy"
    assert decision.trace[0].cites == "MP-AD-1623 A, H"
    assert decision.trace[0].result.startswith(
        f"MP-AD-1623 effective {governing_effective:%m/%d/%Y} governs Marketplace"
    )


@pytest.mark.parametrize(
    ("changes", "policies", "reason", "cites"),
    [
        pytest.param(
            {"date_of_service": D(2026, 4, 30)},
            (MP_AD_1623,),
            "the date of service 04/30/2026 is before MP-AD-1623 takes effect on 05/01/2026",
            "MP-AD-1623 H",
            id="day-before-effective-date",
        ),
        pytest.param(
            {"date_of_service": D(2026, 9, 1)},
            (ARCHIVED_SEPT,),
            "MP-AD-1623 was archived on 09/01/2026, on or before the date of service 09/01/2026",
            "MP-AD-1623 H",
            id="dos-on-archived-date",
        ),
        pytest.param(
            {"plan": "KY-MCD-2026"},
            (MP_AD_1623,),
            "MP-AD-1623 does not apply to Medicaid plans like KY-MCD-2026",
            "MP-AD-1623 A",
            id="other-line-of-business",
        ),
        pytest.param(
            {"plan": "OH-MCD-2026"},
            (MP_AD_1623,),
            "MP-AD-1623 does not apply to Medicaid plans like OH-MCD-2026",
            "MP-AD-1623 A",
            id="ohio-medicaid-other-line-of-business",
        ),
        pytest.param(
            {"plan": "KY-MKT-SILVER-2026"},
            (MP_AD_1623,),
            "MP-AD-1623 applies in GA, IN, OH, WV, not in KY",
            "MP-AD-1623 A",
            id="marketplace-in-another-state",
        ),
        pytest.param(
            {"hcpcs": "J1411"},
            (replace(MP_AD_1623, categories=frozenset({"car_t"})),),
            "MP-AD-1623 does not name Hemgenix (J1411) or gene therapy (in vivo)",
            "MP-AD-1623 A",
            id="policy-naming-other-categories-only",
        ),
        pytest.param(
            {},
            (KYMRIAH_PHARMACY,),
            "no administrative policy is on record",
            "policy records",
            id="no-administrative-policy",
        ),
    ],
)
def test_it_sends_requests_not_governed_to_triage_saying_why(changes, policies, reason, cites):
    decision = decide(facts(**changes), snapshot(policies=policies))
    assert (decision.outcome, decision.routing_key, decision.queue) == ("routed", "triage", "triage")
    assert decision.governing is None
    assert [step.step for step in decision.trace] == ["governing_policy", "queue", "due_time"]
    assert decision.trace[0].result == f"Not governed: {reason}; sent to triage"
    assert decision.trace[0].cites == cites


def test_it_gives_triage_a_due_time_under_the_plans_state_rules():
    decision = decide(facts(plan="KY-MCD-2026", urgency="expedited"), snapshot())
    assert decision.due_at == datetime.datetime(2026, 5, 23, 14, tzinfo=datetime.UTC)
    assert decision.timeframe is not None and decision.timeframe.state == "*"


OMISIRGE = ProductRecord(
    "NOC-OMISIRGE", "Omisirge", "omidubicel", "stem_cell_transplant", False, "medical", True
)
MODIFIED_GRAFT = ProductRecord(
    "NOC-GRAFT", "Graft", "modified graft", "stem_cell_transplant", True, "medical", True
)


@pytest.mark.parametrize(
    ("changes", "routing_key"),
    [
        pytest.param(
            {"hcpcs": None, "category": "stem_cell_transplant"},
            "transplant",
            id="transplant-modification-unstated",
        ),
        pytest.param(
            {"hcpcs": None, "category": "stem_cell_transplant", "genetically_modified": False},
            "transplant",
            id="transplant-without-genetic-manipulation",
        ),
        pytest.param(
            {"hcpcs": None, "category": "stem_cell_transplant", "genetically_modified": True},
            "medical-necessity",
            id="transplant-with-genetic-manipulation-is-cell-based-gene-therapy",
        ),
        pytest.param({"hcpcs": "NOC-OMISIRGE"}, "transplant", id="transplant-product-record-unmodified"),
        pytest.param({"hcpcs": "NOC-GRAFT"}, "medical-necessity", id="transplant-product-record-modified"),
        pytest.param(
            {"hcpcs": "NOC-OMISIRGE", "genetically_modified": True},
            "transplant",
            id="transplant-product-record-beats-the-providers-flag",
        ),
        pytest.param(
            {"hcpcs": "Q2042", "genetically_modified": False},
            "pharmacy-policy",
            id="modification-flag-ignored-outside-transplants",
        ),
        pytest.param(
            {"hcpcs": "Q2042", "category": "stem_cell_transplant"},
            "pharmacy-policy",
            id="product-record-category-beats-the-providers",
        ),
    ],
)
def test_it_applies_the_scope_of_section_b(changes, routing_key):
    decision = decide(facts(**changes), snapshot(products=(OMISIRGE, MODIFIED_GRAFT)))
    assert decision.routing_key == routing_key
    assert decision.trace[1].step == "scope"
    assert decision.trace[1].cites == "MP-AD-1623 B"


def test_it_sends_an_unmodified_transplant_to_the_transplant_queue():
    decision = decide(facts(hcpcs=None, category="stem_cell_transplant"), snapshot())
    assert (decision.queue, decision.criteria) == ("transplant", None)
    assert [step.step for step in decision.trace] == ["governing_policy", "scope", "queue", "due_time"]
    assert "no genetic manipulation" in decision.trace[1].result


@pytest.mark.parametrize(
    ("coverage", "routing_key"),
    [
        pytest.param(
            (Coverage(D(2026, 6, 1), D(2026, 12, 31)),), "pharmacy-policy", id="coverage-starts-on-dos"
        ),
        pytest.param((Coverage(D(2026, 1, 1), D(2026, 6, 1)),), "pharmacy-policy", id="coverage-ends-on-dos"),
        pytest.param(
            (Coverage(D(2026, 6, 2), D(2026, 12, 31)),), "eligibility", id="coverage-starts-day-after-dos"
        ),
        pytest.param(
            (Coverage(D(2026, 1, 1), D(2026, 5, 31)),), "eligibility", id="coverage-ended-day-before-dos"
        ),
        pytest.param((), "eligibility", id="no-coverage-on-file"),
        pytest.param(
            (Coverage(D(2026, 1, 1), D(2026, 3, 31)), Coverage(D(2026, 5, 15), D(2026, 12, 31))),
            "pharmacy-policy",
            id="second-coverage-period-active",
        ),
    ],
)
def test_it_checks_eligibility_against_the_eoc(coverage, routing_key):
    decision = decide(facts(coverage=coverage), snapshot())
    assert decision.routing_key == routing_key
    assert decision.trace[2].step == "eligibility"
    assert decision.trace[2].cites == "MP-AD-1623 D.I (EOC)"


NO_CAR_T = PlanRecord("OH-MKT-BRONZE-2026", "marketplace", "OH", excluded_categories=frozenset({"car_t"}))


@pytest.mark.parametrize(
    ("changes", "routing_key", "excluded"),
    [
        pytest.param(
            {"plan": "GA-MKT-BRONZE-2026", "hcpcs": "J1412"},
            "benefits",
            "excludes Roctavian (J1412)",
            id="plan-excludes-the-product",
        ),
        pytest.param(
            {"plan": "OH-MKT-BRONZE-2026", "hcpcs": "Q2041"},
            "benefits",
            "excludes CAR-T cell therapy",
            id="plan-excludes-the-category",
        ),
        pytest.param(
            {"plan": "GA-MKT-BRONZE-2026", "hcpcs": "J1411"},
            "medical-necessity",
            "does not exclude",
            id="plan-excludes-another-product",
        ),
        pytest.param(
            {"plan": "GA-MKT-BRONZE-2026", "hcpcs": "J1412", "coverage": ()},
            "eligibility",
            None,
            id="eligibility-decided-before-benefits",
        ),
    ],
)
def test_it_checks_benefits_against_the_sob(changes, routing_key, excluded):
    decision = decide(facts(**changes), snapshot(plans=(NO_CAR_T,)))
    assert decision.routing_key == routing_key
    if excluded is not None:
        assert decision.trace[3].step == "benefits"
        assert decision.trace[3].cites == "MP-AD-1623 D.I (SOB)"
        assert excluded in decision.trace[3].result


NO_AUTH_FLAG = ProductRecord("Q2042", "Kymriah", "tisagenlecleucel", "car_t", True, "medical", False)
NO_AUTH_PLAN = PlanRecord("OH-MKT-GOLD-2026", "marketplace", "OH", no_auth_products=frozenset({"Q2042"}))


@pytest.mark.parametrize(
    ("changes", "products", "expected"),
    [
        pytest.param({}, (NO_AUTH_FLAG,), "does not require prior authorization", id="product-flag-no-auth"),
        pytest.param(
            {"plan": "OH-MKT-GOLD-2026"},
            (),
            "Plan OH-MKT-GOLD-2026 does not subject Kymriah (Q2042)",
            id="plan-no-auth-list",
        ),
    ],
)
def test_it_ends_with_no_auth_required(changes, products, expected):
    decision = decide(facts(**changes), snapshot(products=products, plans=(NO_AUTH_PLAN,)))
    assert (decision.outcome, decision.routing_key, decision.queue, decision.due_at) == (
        "no_auth_required",
        None,
        None,
        None,
    )
    assert decision.trace[-1].step == "prior_authorization"
    assert expected in decision.trace[-1].result
    assert decision_as_json(decision)["due_at"] is None


def test_it_requires_prior_auth_on_a_plan_without_the_exception():
    decision = decide(facts(hcpcs="Q2042"), snapshot(plans=(NO_AUTH_PLAN,)))
    assert decision.outcome == "routed"
    assert (
        decision.trace[4].result
        == "Kymriah (Q2042) requires prior authorization under plan OH-MKT-SILVER-2026"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"plan": "XX-NOPE"}, "unknown plan 'XX-NOPE'", id="unknown-plan"),
        pytest.param({"hcpcs": "Q9999"}, "no product record for HCPCS 'Q9999'", id="unknown-product"),
        pytest.param({"hcpcs": None, "category": None}, "neither a product", id="no-service"),
        pytest.param(
            {"hcpcs": None, "category": "crispr_magic"}, "unknown therapy category", id="unknown-category"
        ),
        pytest.param({"urgency": "whenever"}, "unknown urgency", id="unknown-urgency"),
        pytest.param(
            {"received_at": datetime.datetime(2026, 5, 20, 14)}, "UTC offset", id="naive-received-time"
        ),
    ],
)
def test_it_refuses_requests_it_cannot_decide(changes, message):
    with pytest.raises(UndecidableRequest, match=message):
        decide(facts(**changes), snapshot())


class Unreadable(tuple):
    """Diagnoses that fail the test if anything looks at them."""

    def __iter__(self):
        raise AssertionError("the deferral logic read the diagnoses")

    def __len__(self):
        raise AssertionError("the deferral logic read the diagnoses")

    def __getitem__(self, index):
        raise AssertionError("the deferral logic read the diagnoses")


def test_it_never_reads_the_diagnoses():
    decision = decide(facts(diagnoses=Unreadable(("F32.9",))), snapshot())
    assert decision.routing_key == "pharmacy-policy"


def test_it_writes_the_decision_line():
    line = decision_as_json(
        decide(
            facts(
                received_at=datetime.datetime(
                    2026, 5, 20, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=-4))
                )
            ),
            snapshot(),
        )
    )
    assert {key: value for key, value in line.items() if key != "trace"} == {
        "outcome": "routed",
        "routing_key": "pharmacy-policy",
        "queue": "mn-pharmacy-policy",
        "governing_policy": "MP-AD-1623",
        "criteria_policy": "EX-PH-0101",
        "due_at": "2026-05-30T14:00:00Z",
    }
    assert [(step["step"], step["cites"]) for step in line["trace"]] == [
        ("governing_policy", "MP-AD-1623 A, H"),
        ("scope", "MP-AD-1623 B"),
        ("eligibility", "MP-AD-1623 D.I (EOC)"),
        ("benefits", "MP-AD-1623 D.I (SOB)"),
        ("prior_authorization", "MP-AD-1623 D.I"),
        ("criteria_source", "MP-AD-1623 D.I"),
        ("queue", "routing table"),
        ("due_time", "ORC 1751.72, 3923.041"),
    ]
    assert line["trace"][0]["result"] == (
        "MP-AD-1623 effective 05/01/2026 governs Marketplace plans in OH on the date of service 06/01/2026"
    )


def test_it_names_the_policy_versions_used():
    assert policy_versions(decide(facts(), snapshot())) == [
        {"role": "governing", "number": "MP-AD-1623", "effective": "2026-05-01"},
        {"role": "criteria", "number": "EX-PH-0101", "effective": "2026-01-01"},
    ]
    assert policy_versions(decide(facts(plan="KY-MCD-2026"), snapshot())) == []
