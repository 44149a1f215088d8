"""A policy snapshot modelled on the example bundle and the default timeframe rules, for pure tests.

`snapshot(...)` returns the example records; keyword arguments replace or add records so a
test states only what its policy situation changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from priorauth.policies.deferral import (
    Coverage,
    PlanRecord,
    PolicyRecord,
    ProductRecord,
    RequestFacts,
    RoutingRecord,
    Snapshot,
    TimeframeRecord,
)

UTC = datetime.UTC
ALL_CATEGORIES = frozenset(
    {
        "car_t",
        "tcr_t",
        "til",
        "gene_therapy",
        "cell_based_gene_therapy",
        "cell_therapy",
        "stem_cell_transplant",
    }
)
SERVED = frozenset({"GA", "IN", "OH", "WV"})
MARKETPLACE = frozenset({"marketplace"})

MP_AD_1623 = PolicyRecord(
    number="MP-AD-1623",
    title="Cellular, Gene, and Cell-Based Gene Therapy",
    type="administrative",
    lines_of_business=MARKETPLACE,
    states=SERVED,
    effective=datetime.date(2026, 5, 1),
    archived=None,
    categories=ALL_CATEGORIES,
)
KYMRIAH_PHARMACY = PolicyRecord(
    number="EX-PH-0101",
    title="Example pharmacy policy: tisagenlecleucel",
    type="pharmacy",
    lines_of_business=MARKETPLACE,
    states=SERVED,
    effective=datetime.date(2026, 1, 1),
    archived=None,
    products=frozenset({"Q2042"}),
)
HEMOPHILIA_MEDICAL = PolicyRecord(
    number="EX-MP-0202",
    title="Example medical policy: gene therapy for hemophilia",
    type="medical",
    lines_of_business=MARKETPLACE,
    states=frozenset({"OH", "IN"}),
    effective=datetime.date(2026, 3, 1),
    archived=None,
    products=frozenset({"J1411", "J1412"}),
)

PRODUCTS = (
    ProductRecord("Q2042", "Kymriah", "tisagenlecleucel", "car_t", True, "medical", True),
    ProductRecord("Q2041", "Yescarta", "axicabtagene ciloleucel", "car_t", True, "medical", True),
    ProductRecord("J1411", "Hemgenix", "etranacogene dezaparvovec", "gene_therapy", True, "medical", True),
    ProductRecord("J1412", "Roctavian", "valoctocogene roxaparvovec", "gene_therapy", True, "medical", True),
    ProductRecord(
        "J3392", "Casgevy", "exagamglogene autotemcel", "cell_based_gene_therapy", True, "medical", True
    ),
    ProductRecord("NOC-LANTIDRA", "Lantidra", "donislecel", "cell_therapy", False, "medical", True),
)
PLANS = (
    PlanRecord("OH-MKT-SILVER-2026", "marketplace", "OH"),
    PlanRecord("GA-MKT-BRONZE-2026", "marketplace", "GA", excluded_products=frozenset({"J1412"})),
    PlanRecord("IN-MKT-GOLD-2026", "marketplace", "IN"),
    PlanRecord("WV-MKT-SILVER-2026", "marketplace", "WV"),
    PlanRecord("KY-MKT-SILVER-2026", "marketplace", "KY"),
    PlanRecord("KY-MCD-2026", "medicaid", "KY"),
    PlanRecord("OH-MCD-2026", "medicaid", "OH"),
)
ROUTING = (
    RoutingRecord("triage", None, "triage"),
    RoutingRecord("transplant", None, "transplant"),
    RoutingRecord("eligibility", None, "eligibility"),
    RoutingRecord("benefits", None, "benefits"),
    RoutingRecord("medical-policy", None, "mn-medical-policy"),
    RoutingRecord("pharmacy-policy", None, "mn-pharmacy-policy"),
    RoutingRecord("medical-necessity", None, "mn-general"),
    RoutingRecord("medical-necessity", "car_t", "mn-car-t"),
)
FEDERAL_EXPEDITED = TimeframeRecord(
    "expedited", "*", "hours", 72, source="45 CFR 147.136; 29 CFR 2560.503-1(f)(2)(i)"
)
FEDERAL_STANDARD = TimeframeRecord(
    "standard",
    "*",
    "calendar_days",
    15,
    pauses_when_pended=True,
    source="29 CFR 2560.503-1(f)(2)(iii)(A), (f)(4)",
)
TIMEFRAMES = (
    FEDERAL_EXPEDITED,
    FEDERAL_STANDARD,
    TimeframeRecord("expedited", "OH", "hours", 48, source="ORC 1751.72, 3923.041"),
    TimeframeRecord("standard", "OH", "calendar_days", 10, source="ORC 1751.72, 3923.041"),
    TimeframeRecord(
        "expedited",
        "GA",
        "hours",
        72,
        clock="complete",
        missed="deemed_approved",
        source="O.C.G.A. 33-46-26, -27, -29",
    ),
    TimeframeRecord(
        "standard",
        "GA",
        "calendar_days",
        7,
        clock="complete",
        missed="deemed_approved",
        source="O.C.G.A. 33-46-26, -27, -29",
    ),
    TimeframeRecord(
        "expedited", "IN", "business_hours", 24, missed="deemed_approved", source="IC 27-1-37.5-23"
    ),
    TimeframeRecord(
        "standard", "IN", "business_hours", 48, missed="deemed_approved", source="IC 27-1-37.5-23"
    ),
    TimeframeRecord(
        "expedited", "WV", "calendar_days", 2, clock="complete", source="W. Va. Code 33-25A-8s, 33-24-7s"
    ),
    TimeframeRecord(
        "standard", "WV", "calendar_days", 5, clock="complete", source="W. Va. Code 33-25A-8s, 33-24-7s"
    ),
)
# US federal holidays around the policy's first months.
HOLIDAYS = frozenset({datetime.date(2026, 5, 25), datetime.date(2026, 6, 19), datetime.date(2026, 7, 3)})


def snapshot(
    *,
    policies: Iterable[PolicyRecord] = (MP_AD_1623, KYMRIAH_PHARMACY, HEMOPHILIA_MEDICAL),
    extra_policies: Iterable[PolicyRecord] = (),
    products: Iterable[ProductRecord] = (),
    plans: Iterable[PlanRecord] = (),
    routing: Iterable[RoutingRecord] | None = None,
    timeframes: Iterable[TimeframeRecord] | None = None,
    holidays: Iterable[datetime.date] = HOLIDAYS,
) -> Snapshot:
    """Return the example snapshot; `products` and `plans` replace records with the same code."""
    return Snapshot(
        policies=(*policies, *extra_policies),
        products={p.hcpcs: p for p in (*PRODUCTS, *products)},
        plans={p.code: p for p in (*PLANS, *plans)},
        routing=ROUTING if routing is None else tuple(routing),
        timeframes=TIMEFRAMES if timeframes is None else tuple(timeframes),
        holidays=frozenset(holidays),
    )


def facts(**changes: Any) -> RequestFacts:
    """Return an Ohio Marketplace member's standard request for Kymriah, with `changes` applied.

    Date of service 06/01/2026 (a Monday), received Wednesday 05/20/2026 14:00 UTC, coverage the
    whole of 2026, a lymphoma diagnosis.
    """
    base = RequestFacts(
        plan="OH-MKT-SILVER-2026",
        coverage=(Coverage(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),),
        hcpcs="Q2042",
        category=None,
        genetically_modified=None,
        diagnoses=("C83.30",),
        urgency="standard",
        date_of_service=datetime.date(2026, 6, 1),
        received_at=datetime.datetime(2026, 5, 20, 14, 0, tzinfo=UTC),
    )
    return replace(base, **changes)


def policy(number: str, type: str, **changes: Any) -> PolicyRecord:
    """Return a Marketplace policy in the four states, effective 01/01/2026, with `changes`."""
    base = PolicyRecord(
        number=number,
        title=f"Test {type} policy {number}",
        type=type,
        lines_of_business=MARKETPLACE,
        states=SERVED,
        effective=datetime.date(2026, 1, 1),
        archived=None,
    )
    return replace(base, **changes)
