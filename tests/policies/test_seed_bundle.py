"""The seed bundle carries the real MP-AD-1623 statement and the shared reference data faithfully."""

from __future__ import annotations

import csv
import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest

from priorauth.policies import vocab

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "policies" / "mp-ad-1623.bundle.json"
SHARED_CANDIDATES = [Path("/work/shared/data"), ROOT.parent / "shared" / "data"]
SECTIONS = (
    "subject",
    "background",
    "definitions",
    "policy",
    "state_specific",
    "conditions",
    "related",
    "history",
    "references",
)
PAGE_FOOTER = "has received due consideration"


def _shared(name: str) -> Path:
    for folder in SHARED_CANDIDATES:
        if (folder / name).exists():
            return folder / name
    pytest.skip(f"the shared reference file {name} is not available here")


@pytest.fixture(scope="module")
def bundle() -> dict[str, Any]:
    return json.loads(SEED.read_text())


@pytest.fixture(scope="module")
def statement(bundle) -> dict[str, Any]:
    (policy,) = [p for p in bundle["policies"] if p["number"] == "MP-AD-1623"]
    return policy


def _bool(text: str) -> bool | None:
    return {"true": True, "false": False, "": None}[text.strip().lower()]


def test_it_has_every_section_of_the_statement(statement):
    assert [s for s in SECTIONS if not statement.get(s)] == []
    assert statement["subject"] == "Cellular, Gene, and Cell-Based Gene Therapy"
    assert statement["state_specific"] == "N/A"
    assert statement["conditions"] == "N/A"
    assert statement["related"] == ["Medical Necessity Determinations", "Medical Benefit Medication"]
    assert statement["policy"].startswith("I. Refer to the member's Evidence of Coverage (EOC)")
    assert "may be subject to prior authorization." in statement["policy"]


def test_it_has_the_dates_states_and_scope_of_the_statement(statement):
    assert statement["type"] == "administrative"
    assert statement["lines_of_business"] == ["marketplace"]
    assert statement["states"] == ["GA", "IN", "OH", "WV"]
    assert statement["effective"] == "2026-05-01"
    assert statement["archived"] is None
    assert statement["products"] == []
    assert sorted(statement["categories"]) == sorted(vocab.CATEGORIES)
    assert [entry["date"] for entry in statement["history"]] == ["2026-01-28", "2026-05-01"]
    assert statement["history"][0]["action"].startswith("Date Issued")
    assert statement["history"][1]["action"] == "Date Effective"


def test_it_keeps_the_background_whole_without_page_footers(statement):
    background = statement["background"]
    assert PAGE_FOOTER not in background
    assert "which may result in hospitalization. Immune effector cell-associated" in background
    assert background.startswith("Genetic disorders including inherited conditions")
    assert background.rstrip().endswith('and the alternatives available."')
    assert len(background.split("\n\n")) == 4


def test_it_has_the_four_definitions_and_all_24_references(statement):
    for term in ("Cell Therapy", "CRISPR", "Drug", "Gene Therapy"):
        assert f"**{term}**" in statement["definitions"]
    references = statement["references"].splitlines()
    assert [int(line.split(".", 1)[0]) for line in references] == list(range(1, 25))
    assert PAGE_FOOTER not in statement["references"]


def test_it_has_no_criteria_policies(bundle):
    assert [p["number"] for p in bundle["policies"] if p["type"] != "administrative"] == []


def test_its_products_match_the_catalog(bundle):
    with _shared("cgt_products.csv").open(newline="") as catalog:
        rows = list(csv.DictReader(catalog))
    products = {p["hcpcs"]: p for p in bundle["products"]}
    assert sorted(products) == sorted(row["hcpcs"] for row in rows)
    for row in rows:
        product = products[row["hcpcs"]]
        for key in ("brand", "generic", "manufacturer", "category", "benefit", "indication"):
            assert product[key] == row[key].strip(), (row["hcpcs"], key)
        assert product["genetically_modified"] is bool(_bool(row["genetically_modified"]))
        # An empty requires_prior_auth means the product does require it (the safe default).
        assert product["requires_prior_auth"] is (_bool(row["requires_prior_auth"]) is not False)
        assert product["category"] in vocab.CATEGORIES


def test_its_timeframe_rules_are_the_documented_defaults(bundle):
    text = _shared("timeframes.md").read_text()
    defaults = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))
    requests = [rule for rule in bundle["timeframes"] if rule.get("applies_to", "request") == "request"]
    # The one extension the sources give: the federal standard pre-service rule's 15 days
    # (29 CFR 2560.503-1(f)(2)(iii)(A), "+ one 15-day extension with notice" in timeframes.md).
    extensions = {
        (rule["urgency"], rule["state"]): rule["extension"] for rule in requests if "extension" in rule
    }
    assert extensions == {("standard", "*"): {"calendar_days": 15}}
    assert [{k: v for k, v in rule.items() if k != "extension"} for rule in requests] == defaults


def test_its_appeal_rules_are_the_federal_floor(bundle):
    appeals = {rule["urgency"]: rule for rule in bundle["timeframes"] if rule.get("applies_to") == "appeal"}
    assert appeals["expedited"]["hours"] == 72 and "2560.503-1(i)(2)(i)" in appeals["expedited"]["source"]
    assert (
        appeals["standard"]["calendar_days"] == 30 and "2560.503-1(i)(2)(ii)" in appeals["standard"]["source"]
    )
    assert {"code": "appeals", "name": "Appeals"} in bundle["queues"]


def test_its_plans_queues_and_routing_hang_together(bundle):
    queues = {q["code"] for q in bundle["queues"]}
    assert {entry["queue"] for entry in bundle["routing"]} <= queues
    defaults = {entry["key"] for entry in bundle["routing"] if entry["category"] is None}
    assert defaults == set(vocab.ROUTING_KEYS)
    plans = {plan["code"]: plan for plan in bundle["plans"]}
    for state in vocab.SERVED_STATES:
        assert plans[f"{state}-MKT-SILVER-2026"]["excluded_products"] == []
    assert plans["GA-MKT-BRONZE-2026"]["excluded_products"] == ["J1412"]
    assert plans["KY-MCD-2026"]["line_of_business"] == "medicaid"


def test_its_holidays_are_weekdays_of_2026_and_2027(bundle):
    days = [datetime.date.fromisoformat(h) for h in bundle["holidays"]]
    assert all(day.weekday() < 5 for day in days)
    assert datetime.date(2026, 7, 3) in days  # Independence Day 2026 is a Saturday
    assert datetime.date(2027, 12, 24) in days  # Christmas 2027 is a Saturday
    assert {day.year for day in days} == {2026, 2027}
    assert bundle["holiday_names"]["2026-07-03"] == "Independence Day (observed)"


@pytest.mark.django_db
def test_it_imports_cleanly_twice(bundle):
    from priorauth.members.models import Plan
    from priorauth.policies.models import Policy, PolicyRevision, Product
    from priorauth.policies.services import bundle_import

    first = bundle_import(data=bundle)
    counts = (
        Policy.objects.count(),
        Product.objects.count(),
        Plan.objects.count(),
        PolicyRevision.objects.count(),
    )
    history = Policy.history.count() + Product.history.count()
    second = bundle_import(data=bundle)

    assert first.changed and not second.changed
    assert counts == (1, len(bundle["products"]), len(bundle["plans"]), 2)
    assert (Policy.objects.count(), Product.objects.count(), Plan.objects.count()) == counts[:3]
    assert Policy.history.count() + Product.history.count() == history
    policy = Policy.objects.get(number="MP-AD-1623")
    assert policy.references.count("\n") == 23
