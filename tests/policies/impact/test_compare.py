"""The pure comparison: the same decisions as the deferral logic, counted; no database."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import replace

import pytest

from priorauth.policies.deferral import Coverage, decide
from priorauth.policies.impact import compare, drafts
from tests.policies.snapshots import PLANS, ROUTING, TIMEFRAMES, facts, snapshot

UTC = datetime.UTC
CAR_T_ENTRY = next(entry for entry in ROUTING if entry.category == "car_t")


def row(number: str, queue: str | None = "mn-car-t", **changes: object) -> compare.RequestRow:
    return compare.RequestRow(
        id=int(number.rsplit("-", 1)[-1]),
        number=number,
        status="In review",
        queue=queue,
        therapy="Yescarta",
        plan_state="OH",
        is_open=True,
        facts=facts(hcpcs="Q2041", **changes),
        routed_to=queue,
    )


VARIED = [
    facts(
        date_of_service=datetime.date(2026, 4, 1) + datetime.timedelta(days=40 * step),
        urgency=urgency,
        hcpcs=hcpcs,
        category=category,
        genetically_modified=modified,
        coverage=coverage,
        received_at=datetime.datetime(2026, 5, 29, 21, tzinfo=UTC) + datetime.timedelta(hours=step),
    )
    for step, urgency, (hcpcs, category, modified), coverage in itertools.product(
        range(4),
        ("standard", "expedited"),
        (("Q2042", None, None), (None, "stem_cell_transplant", True), (None, "stem_cell_transplant", False)),
        ((Coverage(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),), ()),
    )
]


@pytest.mark.parametrize("request_facts", VARIED)
def test_it_decides_as_the_deferral_logic_does(request_facts):
    records = snapshot()
    decider = compare.Decider(records)

    outcome = decider.with_due(decider.route(request_facts), request_facts)

    decision = decide(request_facts, records)
    assert (outcome.queue, outcome.due_at) == (decision.queue, decision.due_at)


def test_it_leaves_the_snapshot_it_copies_unchanged():
    records = snapshot()
    moved = replace(CAR_T_ENTRY, queue="mn-general")

    draft = drafts.with_changes(records, [(CAR_T_ENTRY, moved)])

    assert CAR_T_ENTRY in records.routing and moved not in records.routing
    assert moved in draft.routing and CAR_T_ENTRY not in draft.routing


def test_it_keeps_a_renamed_plan_under_the_code_its_members_have():
    ohio = next(plan for plan in PLANS if plan.code == "OH-MKT-SILVER-2026")
    renamed = replace(ohio, code="OH-MKT-SILVER-2027", excluded_categories=frozenset({"car_t"}))

    draft = drafts.with_changes(snapshot(), [(ohio, renamed)])

    assert draft.plans["OH-MKT-SILVER-2026"] is renamed
    assert decide(facts(), draft).routing_key == "benefits"


def test_it_refuses_a_change_between_two_kinds_of_record():
    with pytest.raises(TypeError):
        drafts.with_changes(snapshot(), [(CAR_T_ENTRY, TIMEFRAMES[0])])


def test_it_counts_moves_from_and_to_each_queue():
    rows = [row("PA-2026-000001"), row("PA-2026-000002"), replace(row("PA-2026-000003"), is_open=False)]
    before = snapshot()
    after = drafts.with_changes(before, [(CAR_T_ENTRY, replace(CAR_T_ENTRY, queue="mn-general"))])

    result = compare.preview(rows, before, after, since=datetime.datetime(2026, 1, 1, tzinfo=UTC))

    assert result.open.moves == (("mn-car-t", "mn-general", 2),)
    assert result.recent.moves == (("mn-car-t", "mn-general", 3),)


def test_it_re_routes_only_requests_the_changed_records_send_elsewhere():
    records = drafts.with_changes(snapshot(), [(CAR_T_ENTRY, replace(CAR_T_ENTRY, queue="mn-general"))])
    waiting = row("PA-2026-000001")
    moved_by_hand = replace(row("PA-2026-000002", queue="triage"), routed_to="mn-general")
    already_there = row("PA-2026-000003", queue="mn-general")
    closed = replace(row("PA-2026-000004"), is_open=False)

    found = compare.rerouted([waiting, moved_by_hand, already_there, closed], records)

    assert [(r.number, outcome.queue) for r, outcome in found] == [("PA-2026-000001", "mn-general")]
