"""The checklist's rules, pure: what an approval and an adverse determination need of the criteria."""

from __future__ import annotations

import pytest

from priorauth.review.checklist_rules import (
    MET,
    NOT_MET,
    UNCLEAR,
    Item,
    adverse_problem,
    approval_problem,
    not_met,
    recorded,
    unsatisfied,
)


def required(mark: str = "", note: str = "", text: str = "Proper and necessary") -> Item:
    return Item(
        text=text, section="Preamble", group="", evidence="Records that confirm it.", mark=mark, note=note
    )


def one_of(group: str, mark: str = "", note: str = "", text: str = "") -> Item:
    return Item(
        text=text or f"{group} {mark}", section="A.2", group=group, evidence="A report.", mark=mark, note=note
    )


@pytest.mark.parametrize(
    "items",
    [
        pytest.param([], id="no checklist asks nothing"),
        pytest.param([required(MET), required(MET, text="Lowest cost")], id="every required criterion met"),
        pytest.param(
            [required(NOT_MET, note="Approved after the peer-to-peer call.")], id="not met but explained"
        ),
        pytest.param(
            [required(UNCLEAR, note="Outside records pending; benefit clear.")], id="unclear but explained"
        ),
        pytest.param(
            [one_of("Prior therapy", NOT_MET), one_of("Prior therapy", MET)], id="one member of a group met"
        ),
        pytest.param(
            [one_of("Prior therapy"), one_of("Prior therapy", note="Both lines documented.")],
            id="group explained",
        ),
    ],
)
def test_it_allows_an_approval(items):
    assert approval_problem(items) == ""


@pytest.mark.parametrize(
    ("items", "named"),
    [
        pytest.param(
            [required(MET), required(text="Lowest cost")], ["criterion 2 (“Lowest cost”)"], id="not marked"
        ),
        pytest.param([required(NOT_MET)], ["criterion 1 (“Proper and necessary”)"], id="not met, no note"),
        pytest.param(
            [required(UNCLEAR, note="  ")],
            ["criterion 1 (“Proper and necessary”)"],
            id="blank note explains nothing",
        ),
        pytest.param(
            [required(MET), one_of("Prior therapy", NOT_MET), one_of("Prior therapy", UNCLEAR)],
            ["one of criteria 2, 3 (“Prior therapy”)"],
            id="no member of a group met",
        ),
    ],
)
def test_it_blocks_an_approval_with_a_required_criterion_neither_met_nor_explained(items, named):
    assert unsatisfied(items) == named
    problem = approval_problem(items)
    assert problem.startswith("Before approving, mark each required criterion met")
    assert all(name in problem for name in named)


def test_it_names_a_long_criterion_shortly():
    long = required(
        text="Without it, the member can be expected to suffer prolonged, increased or new morbidity"
    )
    assert unsatisfied([long]) == ["criterion 1 (“Without it, the member can be expected to suffe…”)"]


@pytest.mark.parametrize(
    ("items", "allowed"),
    [
        pytest.param([required(MET), required(NOT_MET, text="Lowest cost")], True, id="one not met"),
        pytest.param(
            [required(MET), required(UNCLEAR, text="Lowest cost")], False, id="unclear is not a finding"
        ),
        pytest.param([required(), required(text="Lowest cost")], False, id="nothing marked"),
        pytest.param(
            [one_of("Prior therapy", NOT_MET), one_of("Prior therapy", NOT_MET)],
            True,
            id="a group member not met",
        ),
        pytest.param([], True, id="no checklist asks nothing"),
    ],
)
def test_it_needs_a_criterion_not_met_for_a_denial(items, allowed):
    assert (adverse_problem(items) == "") is allowed


def test_it_keeps_the_checklist_and_reads_back_the_criteria_not_met():
    items = [required(MET), required(NOT_MET, text="Lowest cost", note="Two lines only.")]
    kept = recorded(items)
    assert kept[1] == {
        "text": "Lowest cost",
        "section": "Preamble",
        "group": "",
        "evidence": "Records that confirm it.",
        "mark": NOT_MET,
        "note": "Two lines only.",
        "document": "",
    }
    assert [item.text for item in not_met(kept)] == ["Lowest cost"]
