"""import_policies --replace and --dry-run: the records end up equal to the bundle, or nothing changes."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from priorauth.members.models import Member, Plan, ProviderOrganization, User
from priorauth.policies.models import (
    Holiday,
    Policy,
    PolicyRevision,
    Product,
    ReviewQueue,
    RoutingEntry,
    TimeframeRule,
)
from priorauth.policies.replace import REMOVAL_REASON
from priorauth.policies.services import bundle_import
from priorauth.requests.models import PriorAuthRequest, Status
from priorauth.review.models import QueueAssignment
from tests.policies.conftest import Run, run_command

MODELS = (Policy, PolicyRevision, Product, Plan, ReviewQueue, RoutingEntry, TimeframeRule, Holiday)


def snapshot() -> tuple[dict[str, int], dict[str, int]]:
    """Return the number of records and of history rows of every policy model."""
    return (
        {model.__name__: model.objects.count() for model in MODELS},
        {model.__name__: model.history.count() for model in MODELS},
    )


@pytest.fixture
def bundle(imported_example: dict[str, Any]) -> dict[str, Any]:
    """Return the imported example with two holidays, as the database now holds it."""
    imported_example["holidays"] = ["2026-07-03", "2026-12-25"]
    imported_example["holiday_names"] = {"2026-07-03": "Independence Day (observed)"}
    bundle_import(data=imported_example)
    return imported_example


@pytest.fixture
def extras(bundle: dict[str, Any]) -> dict[str, Any]:
    """Return a queue and a product that the database holds and the bundle does not."""
    queue = ReviewQueue.objects.create(code="mn-legacy", name="Medical necessity: legacy")
    product = Product.objects.create(
        hcpcs="J3399", brand="Zolgensma", generic="onasemnogene abeparvovec-xioi", category="gene_therapy"
    )
    return {"queue": queue, "product": product}


def replace(bundle: dict[str, Any], tmp_path: Path, *flags: str) -> Run:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    return run_command("import_policies", str(path), "--replace", *flags)


def request_in(
    queue: ReviewQueue, status: str, product: Product | None = None, number: str = "PA-1"
) -> PriorAuthRequest:
    organization, _ = ProviderOrganization.objects.get_or_create(
        npi="1234567893", defaults={"name": "Buckeye Oncology", "tin": "311234567"}
    )
    staff, _ = User.objects.get_or_create(username="olivia", defaults={"organization": organization})
    member, _ = Member.objects.get_or_create(
        member_id="OH1000001",
        defaults={
            "first_name": "Ada",
            "last_name": "Lovelace",
            "date_of_birth": datetime.date(1961, 4, 21),
            "plan": Plan.objects.get(code="OH-MKT-SILVER-2026"),
        },
    )
    return PriorAuthRequest.objects.create(
        number=number,
        organization=organization,
        member=member,
        submitted_by=staff,
        status=status,
        queue=queue,
        product=product or Product.objects.get(hcpcs="Q2041"),
    )


def test_it_removes_the_routing_entries_timeframe_rules_and_holidays_the_bundle_dropped(bundle, tmp_path):
    bundle["routing"] = [r for r in bundle["routing"] if r["category"] != "car_t"]
    bundle["timeframes"] = [t for t in bundle["timeframes"] if t["state"] != "OH"]
    bundle["holidays"] = ["2026-12-25"]
    bundle["holiday_names"] = {}

    run = replace(bundle, tmp_path)

    assert run.code == 0, run.stderr
    assert not RoutingEntry.objects.filter(category="car_t").exists()
    assert RoutingEntry.objects.count() == 7
    assert not TimeframeRule.objects.filter(state="OH").exists()
    assert list(Holiday.objects.values_list("date", flat=True)) == [datetime.date(2026, 12, 25)]
    assert "routing: 0 created, 0 updated, 7 unchanged, 1 removed" in run.stdout
    assert "timeframes: 0 created, 0 updated, 2 unchanged, 1 removed" in run.stdout
    assert "holidays: 0 created, 0 updated, 1 unchanged, 1 removed" in run.stdout
    assert "  removed routing entry medical-necessity / car_t -> mn-car-t" in run.stdout
    assert "  removed timeframe rule standard OH" in run.stdout
    assert "  removed holiday 2026-07-03 Independence Day (observed)" in run.stdout
    assert run.stdout.splitlines()[-1] == "Imported."


def test_it_removes_a_queue_and_a_product_nothing_refers_to_any_more(bundle, extras, tmp_path):
    bundle["routing"] = [r for r in bundle["routing"] if r["queue"] != "mn-pharmacy-policy"]
    bundle["queues"] = [q for q in bundle["queues"] if q["code"] != "mn-pharmacy-policy"]

    run = replace(bundle, tmp_path)

    assert run.code == 0, run.stderr
    remaining = set(ReviewQueue.objects.values_list("code", flat=True))
    assert remaining == {q["code"] for q in bundle["queues"]}
    assert not Product.objects.filter(hcpcs="J3399").exists()
    assert "queues: 0 created, 0 updated, 7 unchanged, 2 removed" in run.stdout
    assert '  removed queue "mn-legacy" (Medical necessity: legacy)' in run.stdout
    assert '  removed queue "mn-pharmacy-policy" (Medical necessity: pharmacy policy)' in run.stdout
    assert '  removed product "J3399" (Zolgensma)' in run.stdout


def test_it_keeps_a_queue_and_a_product_that_closed_requests_still_point_at(bundle, extras, tmp_path):
    request_in(extras["queue"], Status.APPROVED, product=extras["product"])
    request_in(extras["queue"], Status.WITHDRAWN, number="PA-2")

    run = replace(bundle, tmp_path)

    assert run.code == 0, run.stderr
    assert ReviewQueue.objects.filter(code="mn-legacy").exists()
    assert Product.objects.filter(hcpcs="J3399").exists()
    assert "Kept, though not in the bundle:" in run.stdout
    assert (
        '  queue "mn-legacy" (Medical necessity: legacy): not in the bundle, but still referred to by '
        "2 requests (none open), which must keep pointing at it"
    ) in run.stdout
    assert '  product "J3399" (Zolgensma): not in the bundle, but still referred to by 1 request' in (
        run.stdout
    )
    assert "Nothing to change: the records already match." in run.stdout


def test_it_keeps_a_product_a_plan_outside_the_bundle_still_excludes(bundle, tmp_path):
    # The Georgia plan excludes Roctavian; a bundle without that plan leaves it, and so its exclusion.
    bundle["plans"] = [p for p in bundle["plans"] if p["code"] != "GA-MKT-BRONZE-2026"]
    bundle["products"] = [p for p in bundle["products"] if p["hcpcs"] not in ("J1412", "J1411")]
    bundle["policies"] = [p for p in bundle["policies"] if p["number"] != "EX-MP-0202"]

    run = replace(bundle, tmp_path)

    assert run.code == 0, run.stderr
    kept = {"Q2041", "Q2042", "J3392", "J1411", "J1412"}
    assert set(Product.objects.values_list("hcpcs", flat=True)) == kept
    assert Plan.objects.filter(code="GA-MKT-BRONZE-2026").exists()
    assert Policy.objects.filter(number="EX-MP-0202").exists()
    assert "1 policy (products), 1 plan (excluded products), which" in run.stdout
    assert '  product "J1411" (Hemgenix): not in the bundle, but still referred to by 1 policy' in run.stdout


def test_it_keeps_a_queue_reviewers_are_assigned_to(bundle, extras, nurse, tmp_path):
    QueueAssignment.objects.create(reviewer=nurse, queue=extras["queue"])

    run = replace(bundle, tmp_path)

    assert run.code == 0, run.stderr
    assert QueueAssignment.objects.filter(queue=extras["queue"]).exists()
    assert "still referred to by 1 queue assignment, which" in run.stdout


def test_it_refuses_to_drop_a_queue_with_open_requests_naming_it_and_the_count(bundle, extras, tmp_path):
    for number, status in enumerate([Status.SUBMITTED, Status.IN_REVIEW, Status.PENDED, Status.DENIED]):
        request_in(extras["queue"], status, number=f"PA-{number}")
    bundle["routing"] = bundle["routing"][:-1]
    bundle["products"][0]["brand"] = "Renamed"
    before = snapshot()

    run = replace(bundle, tmp_path)

    assert run.code == 1
    assert (
        'queue "mn-legacy" (Medical necessity: legacy) still has 3 open requests: '
        "move them to another queue, or keep the queue in the bundle"
    ) in run.stderr
    assert "the import was refused; nothing was imported" in run.stderr
    assert "Traceback" not in run.stderr
    assert snapshot() == before
    assert Product.objects.get(hcpcs="Q2042").brand == "Kymriah"


def test_it_keeps_a_dropped_queue_with_open_requests_that_the_routing_table_still_uses(bundle, tmp_path):
    request_in(ReviewQueue.objects.get(code="mn-car-t"), Status.IN_REVIEW)
    bundle["queues"] = [q for q in bundle["queues"] if q["code"] != "mn-car-t"]

    run = replace(bundle, tmp_path)

    assert run.code == 0, run.stderr
    assert '"mn-car-t" (Medical necessity: CAR-T): not in the bundle, but still referred to by' in run.stdout
    assert "1 routing table entry, 1 request (1 open)" in run.stdout


def test_it_lists_adds_changes_and_removals_in_a_dry_run_and_writes_nothing(bundle, extras, tmp_path):
    bundle["queues"].append({"code": "mn-tcr-t", "name": "Medical necessity: TCR-T"})
    bundle["routing"].append({"key": "medical-necessity", "category": "tcr_t", "queue": "mn-tcr-t"})
    bundle["products"][1]["requires_prior_auth"] = False
    bundle["holidays"] = ["2026-07-03"]
    before = snapshot()

    run = replace(bundle, tmp_path, "--dry-run")

    assert run.code == 0, run.stderr
    assert snapshot() == before
    lines = run.stdout.splitlines()
    assert lines[0] == "Dry run: nothing is written. The import would give:"
    assert "queues: 1 created, 0 updated, 8 unchanged, 1 removed" in lines
    assert '  would add queue "mn-tcr-t" (Medical necessity: TCR-T)' in lines
    assert "  would add routing entry medical-necessity / tcr_t -> mn-tcr-t" in lines
    assert '  would change product "Q2041" (Yescarta): requires prior auth' in lines
    assert "  would remove holiday 2026-12-25" in lines
    assert '  would remove queue "mn-legacy" (Medical necessity: legacy)' in lines
    assert '  would remove product "J3399" (Zolgensma)' in lines
    assert lines[-1] == "Dry run: nothing was written."


def test_it_dry_runs_a_plain_import_too_without_removing_anything(bundle, extras, tmp_path):
    bundle["products"][0]["brand"] = "Kymriah (tisagenlecleucel)"
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps({"products": bundle["products"]}))
    before = snapshot()

    run = run_command("import_policies", str(path), "--dry-run")

    assert run.code == 0, run.stderr
    assert snapshot() == before
    assert "products: 0 created, 1 updated, 4 unchanged" in run.stdout.splitlines()
    assert '  would change product "Q2042" (Kymriah (tisagenlecleucel)): brand' in run.stdout
    assert "remove" not in run.stdout


@pytest.mark.django_db(transaction=True)
def test_it_commits_nothing_in_a_dry_run_outside_any_test_transaction(example_bundle, tmp_path):
    example_bundle["holidays"] = []

    run = replace(example_bundle, tmp_path, "--dry-run")

    assert run.code == 0, run.stderr
    assert "policies: 3 created, 0 updated, 0 unchanged, 0 removed" in run.stdout
    assert set(snapshot()[0].values()) == {0}
    assert set(snapshot()[1].values()) == {0}


def test_it_refuses_in_a_dry_run_as_it_would_for_real(bundle, extras, tmp_path):
    request_in(extras["queue"], Status.PENDED)

    run = replace(bundle, tmp_path, "--dry-run")

    assert run.code == 1
    assert "still has 1 open request: move" in run.stderr


def test_it_records_each_removal_in_the_policy_history(bundle, extras, tmp_path):
    bundle["routing"] = bundle["routing"][:-1]
    bundle["timeframes"] = bundle["timeframes"][:-1]
    bundle["holidays"], bundle["holiday_names"] = [], {}

    replace(bundle, tmp_path)

    for model in (RoutingEntry, TimeframeRule, Holiday, ReviewQueue, Product):
        removals = model.history.filter(history_type="-")
        assert removals.count() >= 1, model.__name__
        assert {row.history_change_reason for row in removals} == {REMOVAL_REASON}
    assert RoutingEntry.history.filter(history_type="-").get().category == "car_t"
    assert ReviewQueue.history.filter(history_type="-").get().code == "mn-legacy"
    assert set(Holiday.history.filter(history_type="-").values_list("date", flat=True)) == {
        datetime.date(2026, 7, 3),
        datetime.date(2026, 12, 25),
    }


def test_it_changes_nothing_when_the_same_bundle_is_replaced_twice(bundle, extras, tmp_path):
    bundle["routing"] = bundle["routing"][:-1]
    first = replace(bundle, tmp_path)
    after_first = snapshot()

    second = replace(bundle, tmp_path)

    assert first.code == second.code == 0
    assert "Imported." in first.stdout
    assert snapshot() == after_first
    assert "routing: 0 created, 0 updated, 7 unchanged, 0 removed" in second.stdout
    assert "Changes:" not in second.stdout
    assert second.stdout.splitlines()[-1] == "Nothing to change: the records already match."


def test_it_asks_for_every_replaced_list_rather_than_emptying_one_left_out(bundle, tmp_path):
    del bundle["routing"], bundle["holidays"], bundle["holiday_names"]
    bundle["timeframes"] = None
    before = snapshot()

    run = replace(bundle, tmp_path)

    assert run.code == 1
    problems = [line for line in run.stderr.splitlines() if not line.startswith("CommandError")]
    assert problems == [
        f"{kind}: missing: with --replace every list is replaced, so give [] to remove them all"
        for kind in ("routing", "timeframes", "holidays")
    ]
    assert snapshot() == before


def test_it_empties_a_list_given_as_empty(bundle, tmp_path):
    bundle["holidays"], bundle["holiday_names"] = [], {}

    run = replace(bundle, tmp_path)

    assert run.code == 0, run.stderr
    assert not Holiday.objects.exists()


def test_it_keeps_the_plain_import_output_as_it_was(bundle, extras, tmp_path):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))

    run = run_command("import_policies", str(path))

    assert run.stdout.splitlines() == [
        "policies: 0 created, 0 updated, 3 unchanged",
        "products: 0 created, 0 updated, 5 unchanged",
        "plans: 0 created, 0 updated, 3 unchanged",
        "queues: 0 created, 0 updated, 8 unchanged",
        "routing: 0 created, 0 updated, 8 unchanged",
        "timeframes: 0 created, 0 updated, 3 unchanged",
        "holidays: 0 created, 0 updated, 2 unchanged",
        "Nothing to change: the records already match.",
    ]
    assert ReviewQueue.objects.filter(code="mn-legacy").exists()
