"""A policy's `criteria` in the bundle: validated like the rest, imported in order, round-tripped."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from priorauth.policies.bundle import parse_bundle
from priorauth.policies.models import Criterion, Policy
from priorauth.policies.services import BundleInvalid, bundle_export, bundle_import
from tests.policies.conftest import run_command

SEED = Path(__file__).resolve().parents[2] / "policies" / "mp-ad-1623.bundle.json"


def seed() -> dict[str, Any]:
    return json.loads(SEED.read_text())


def criterion(**changes: Any) -> dict[str, Any]:
    return {
        "text": "Two or more prior lines of systemic therapy",
        "section": "A.2.b",
        "group": None,
        "evidence": "Treatment records naming each prior line and its dates.",
    } | changes


def with_criteria(*criteria: Any) -> dict[str, Any]:
    bundle = seed()
    bundle["policies"][0]["criteria"] = list(criteria)
    return bundle


def problems_of(bundle: dict[str, Any]) -> list[str]:
    return [str(problem) for problem in parse_bundle(bundle)[1]]


def test_it_reads_the_seeds_general_medical_necessity_criteria():
    bundle, problems = parse_bundle(seed())
    assert problems == []
    criteria = bundle.policies[0].criteria
    assert len(criteria) == 5
    assert all(c.section == "Preamble, definition of medically necessary services" for c in criteria)
    assert all(c.group == "" and c.evidence for c in criteria)
    assert criteria[3].text == "The lowest cost alternative"


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        pytest.param(
            "all of them",
            ["policies[0].criteria: not a list of {text, section, group, evidence} entries"],
            id="not a list",
        ),
        pytest.param(["met"], ["policies[0].criteria[0]: not an object"], id="not an object"),
        pytest.param(
            [criterion(text=None, evidence="")],
            ["policies[0].criteria[0].text: missing", "policies[0].criteria[0].evidence: empty"],
            id="text and evidence needed",
        ),
        pytest.param(
            [criterion(section=7)], ["policies[0].criteria[0].section: not a string"], id="section not text"
        ),
        pytest.param(
            [criterion(section="S" * 101)],
            ["policies[0].criteria[0].section: longer than 100 characters"],
            id="long section",
        ),
        pytest.param(
            [criterion(evidence="e" * 2001)],
            ["policies[0].criteria[0].evidence: longer than 2,000 characters"],
            id="long evidence",
        ),
        pytest.param(
            [criterion(text="CD19\x00 positive")],
            ["policies[0].criteria[0].text: contains a NUL character (\\u0000), which cannot be stored"],
            id="NUL",
        ),
        pytest.param(
            [criterion(group="Prior therapy"), criterion(text="ECOG 0 or 1")],
            [
                'policies[0].criteria[0].group: the only criterion in one-of group "Prior therapy": '
                "a group needs two or more (leave group empty for a required criterion)"
            ],
            id="group of one",
        ),
        pytest.param(
            [criterion(), criterion(section="A.3")],
            ["policies[0].criteria[1].text: duplicate of criteria[0]"],
            id="duplicate",
        ),
    ],
)
def test_it_names_each_problem_with_its_place(criteria, expected):
    assert problems_of(with_criteria(*criteria) if isinstance(criteria, list) else _raw(criteria)) == expected


def _raw(value: Any) -> dict[str, Any]:
    bundle = seed()
    bundle["policies"][0]["criteria"] = value
    return bundle


def test_it_writes_nothing_for_a_bad_criterion(db):
    with pytest.raises(BundleInvalid) as refused:
        bundle_import(data=with_criteria(criterion(), criterion(text="")))
    assert [str(p) for p in refused.value.problems] == ["policies[0].criteria[1].text: empty"]
    assert not Policy.objects.exists() and not Criterion.objects.exists()


def test_it_imports_the_criteria_in_order_and_changes_nothing_the_second_time(db):
    first = bundle_import(data=seed())
    policy = Policy.objects.get(number="MP-AD-1623")
    assert [c.position for c in policy.criteria.all()] == [0, 1, 2, 3, 4]
    assert policy.criteria.first().text.startswith("Proper and necessary")
    assert first.counts["policies"]["created"] == 1

    again = bundle_import(data=seed())
    assert again.counts["policies"] == {"unchanged": 1}
    assert Criterion.history.count() == 5


def test_it_updates_a_reworded_criterion_in_place_and_keeps_its_old_words(db):
    bundle_import(data=seed())
    before = list(Criterion.objects.order_by("position").values_list("pk", flat=True))
    changed = seed()
    changed["policies"][0]["criteria"][3]["evidence"] = (
        "Records of the cheaper treatments tried and why each failed."
    )
    del changed["policies"][0]["criteria"][4]

    result = bundle_import(data=changed)

    assert result.changes[0].fields == ("criteria",)
    assert list(Criterion.objects.order_by("position").values_list("pk", flat=True)) == before[:4]
    reworded = Criterion.objects.get(pk=before[3])
    assert reworded.evidence.startswith("Records of the cheaper")
    assert reworded.history.first().history_change_reason == "policy bundle import"
    assert reworded.history.earliest().evidence.startswith("Records of the other treatments")


def test_it_leaves_the_criteria_alone_when_the_bundle_has_no_criteria_key_and_empties_them_for_an_empty_list(
    db,
):
    bundle_import(data=seed())
    without = seed()
    del without["policies"][0]["criteria"]
    assert bundle_import(data=without).counts["policies"] == {"unchanged": 1}
    assert Criterion.objects.count() == 5

    emptied = seed()
    emptied["policies"][0]["criteria"] = []
    bundle_import(data=emptied)
    assert Criterion.objects.count() == 0


def test_it_round_trips_the_criteria_through_export(db, tmp_path):
    bundle = seed()
    bundle["policies"][0]["criteria"] += [
        criterion(group="Prior therapy"),
        criterion(text="ECOG 0 or 1", group="Prior therapy"),
    ]
    bundle_import(data=copy.deepcopy(bundle))
    exported = bundle_export()
    assert exported["policies"][0]["criteria"] == bundle["policies"][0]["criteria"]

    target = tmp_path / "exported.json"
    target.write_text(json.dumps(exported))
    run = run_command("import_policies", str(target))
    assert run.code == 0
    assert bundle_import(data=exported).changed is False


def test_the_command_reports_a_bad_criterion_and_exits_1(db, tmp_path):
    target = tmp_path / "bad.json"
    target.write_text(json.dumps(with_criteria(criterion(group="Only one"))))
    run = run_command("import_policies", str(target))
    assert run.code == 1
    assert 'policies[0].criteria[0].group: the only criterion in one-of group "Only one"' in run.stderr
