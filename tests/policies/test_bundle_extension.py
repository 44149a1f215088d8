"""A timeframe rule's `extension` and a plan's `peer_to_peer_days`: checked, imported, exported."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from priorauth.members.models import Plan
from priorauth.policies.bundle import parse_bundle
from priorauth.policies.models import TimeframeRule
from priorauth.policies.services import bundle_export, bundle_import

SEED = json.loads((Path(__file__).resolve().parents[2] / "policies" / "mp-ad-1623.bundle.json").read_text())


def problems_with(section: str, index: int, **changes: object) -> list[str]:
    bundle = copy.deepcopy(SEED)
    bundle[section][index].update(changes)
    return [str(problem) for problem in parse_bundle(bundle)[1]]


def test_the_seed_bundle_gives_the_federal_standard_rule_its_15_day_extension():
    bundle, problems = parse_bundle(copy.deepcopy(SEED))
    assert problems == []
    federal = next(rule for rule in bundle.timeframes if (rule.urgency, rule.state) == ("standard", "*"))
    assert (federal.extension_unit, federal.extension_amount) == ("calendar_days", 15)
    others = [rule for rule in bundle.timeframes if rule is not federal]
    assert all(rule.extension_unit == "" and rule.extension_amount is None for rule in others)


@pytest.mark.parametrize(
    ("index", "extension", "message"),
    [
        (0, {"hours": 24}, "timeframes[0].extension.hours: An expedited timeframe cannot be extended"),
        (
            1,
            {"business_days": 10},
            "timeframes[1].extension.business_days: The extension must be in the rule's own unit",
        ),
        (
            1,
            {"calendar_days": 0},
            "timeframes[1].extension.calendar_days: The extension is not a whole number",
        ),
        (1, {"calendar_days": 15, "hours": 2}, "timeframes[1].extension: give an object with exactly one of"),
        (1, 15, "timeframes[1].extension: give an object with exactly one of"),
    ],
)
def test_it_refuses_a_bad_extension_naming_where_it_is(index, extension, message):
    problems = problems_with("timeframes", index, extension=extension)
    assert len(problems) == 1 and problems[0].startswith(message), problems


@pytest.mark.parametrize("days", [0, 366, "14", True])
def test_it_refuses_a_bad_peer_to_peer_window(days):
    problems = problems_with("plans", 0, peer_to_peer_days=days)
    assert (
        len(problems) == 1
        and "plans[0].peer_to_peer_days: not a whole number of days from 1 to 365" in problems[0]
    )


def test_it_imports_and_exports_the_extension_and_the_window(db):
    bundle = copy.deepcopy(SEED)
    bundle["plans"][0]["peer_to_peer_days"] = 30
    bundle_import(data=bundle)
    federal = TimeframeRule.objects.get(urgency="standard", state="*", applies_to="request")
    assert (federal.extension_unit, federal.extension_amount) == ("calendar_days", 15)
    assert Plan.objects.get(code=bundle["plans"][0]["code"]).peer_to_peer_days == 30
    assert Plan.objects.get(code=bundle["plans"][1]["code"]).peer_to_peer_days == 14
    exported = bundle_export()
    rules = {(rule["urgency"], rule["state"]): rule for rule in exported["timeframes"]}
    assert rules["standard", "*"]["extension"] == {"calendar_days": 15}
    assert "extension" not in rules["standard", "OH"]
    assert exported["plans"][0]["peer_to_peer_days"] == 30
    # Importing the export again changes nothing.
    assert not bundle_import(data=exported).changed
