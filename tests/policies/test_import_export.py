"""import_policies and export_policies: all or nothing, idempotent, versioned, and round-tripping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from priorauth.members.models import Plan
from priorauth.policies.models import (
    Holiday,
    Policy,
    PolicyRevision,
    Product,
    ReviewQueue,
    RoutingEntry,
    TimeframeRule,
)
from priorauth.policies.services import BundleInvalid, bundle_export, bundle_import
from tests.policies.conftest import run_command

SEED = Path(__file__).resolve().parents[2] / "policies" / "mp-ad-1623.bundle.json"
MODELS = (Policy, PolicyRevision, Product, Plan, ReviewQueue, RoutingEntry, TimeframeRule, Holiday)


def record_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def history_counts() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in MODELS}


def write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(path)


def identified(items: list[Any], *keys: str) -> dict[Any, Any]:
    return {tuple(item[key] for key in keys) if isinstance(item, dict) else item: item for item in items}


def test_it_imports_the_example_bundle(db, example_path):
    run = run_command("import_policies", str(example_path))

    assert run.code == 0
    assert "policies: 3 created, 0 updated, 0 unchanged" in run.stdout
    assert "routing: 8 created, 0 updated, 0 unchanged" in run.stdout
    assert Policy.objects.get(number="EX-MP-0202").products.count() == 2
    assert list(Policy.objects.get(number="MP-AD-1623").revisions.values_list("action", flat=True)) == [
        "Date Issued: new policy, approved at Committee.",
        "Date Effective",
    ]
    assert Plan.objects.get(code="GA-MKT-BRONZE-2026").excluded_products.get().hcpcs == "J1412"
    assert RoutingEntry.objects.get(key="medical-necessity", category="car_t").queue.code == "mn-car-t"
    assert RoutingEntry.objects.get(key="medical-necessity", category="").queue.code == "mn-general"
    rule = TimeframeRule.objects.get(urgency="standard", state="OH")
    assert (rule.unit, rule.amount, rule.clock, rule.missed) == ("calendar_days", 10, "receipt", "breach")


def test_it_changes_nothing_when_the_same_file_is_imported_twice(db, example_path):
    run_command("import_policies", str(example_path))
    records, history = record_counts(), history_counts()

    run = run_command("import_policies", str(example_path))

    assert run.code == 0
    assert "policies: 0 created, 0 updated, 3 unchanged" in run.stdout
    assert "Nothing to change" in run.stdout
    assert record_counts() == records
    assert history_counts() == history


def test_it_updates_a_changed_record_in_place_and_keeps_the_old_version(imported_example):
    product = Product.objects.get(hcpcs="Q2041")
    versions = product.history.count()
    imported_example["products"][1]["requires_prior_auth"] = False

    result = bundle_import(data=imported_example)

    assert result.counts["products"] == {"updated": 1, "unchanged": 4}
    product.refresh_from_db()
    assert product.requires_prior_auth is False
    assert product.history.count() == versions + 1
    assert product.history.earliest().requires_prior_auth is True


def test_it_versions_a_policy_whose_products_change(imported_example):
    policy = Policy.objects.get(number="EX-MP-0202")
    versions = policy.history.count()
    imported_example["policies"][2]["products"] = ["J1411"]

    result = bundle_import(data=imported_example)

    assert result.counts["policies"]["updated"] == 1
    assert [p.hcpcs for p in policy.products.all()] == ["J1411"]
    assert policy.history.count() > versions


def test_it_adds_a_new_policy_version_beside_the_old_one(imported_example):
    archived_first = dict(imported_example["policies"][1], archived="2026-07-01")
    successor = dict(imported_example["policies"][1], effective="2026-07-01", title="Revised pharmacy policy")

    result = bundle_import(data={"policies": [archived_first, successor]})

    assert result.counts["policies"] == {"created": 1, "updated": 1}
    versions = Policy.objects.filter(number="EX-PH-0101").order_by("effective")
    assert [(str(v.effective), v.archived and str(v.archived)) for v in versions] == [
        ("2026-01-01", "2026-07-01"),
        ("2026-07-01", None),
    ]


def test_it_replaces_section_h_only_when_it_differs(imported_example):
    policy = Policy.objects.get(number="MP-AD-1623")
    rows = PolicyRevision.history.count()
    assert bundle_import(data=imported_example).counts["policies"]["updated"] == 0
    assert PolicyRevision.history.count() == rows

    imported_example["policies"][0]["history"].append({"date": "2026-09-01", "action": "Annual review"})
    result = bundle_import(data=imported_example)

    assert result.counts["policies"]["updated"] == 1
    assert [r.action for r in policy.revisions.order_by("pk")][-1] == "Annual review"
    assert policy.revisions.count() == 3


def test_it_never_deletes_records_missing_from_the_bundle(imported_example):
    records = record_counts()

    result = bundle_import(data={"products": imported_example["products"][:1]})

    assert result.counts["products"] == {"unchanged": 1}
    assert record_counts() == records


def test_it_accepts_references_to_records_already_in_the_database(imported_example):
    bundle = {
        "routing": [{"key": "benefits", "category": "car_t", "queue": "mn-car-t"}],
        "plans": [dict(imported_example["plans"][0], no_auth_products=["Q2041"])],
    }

    result = bundle_import(data=bundle)

    assert result.counts["routing"]["created"] == 1
    assert Plan.objects.get(code="OH-MKT-SILVER-2026").no_auth_products.get().hcpcs == "Q2041"


def test_it_writes_nothing_when_the_last_item_is_bad(db, example_bundle, tmp_path):
    example_bundle["holidays"] = ["2026-01-01", "2026-02-30"]

    run = run_command("import_policies", write(tmp_path, example_bundle))

    assert run.code != 0
    assert "holidays[1]: not a date" in run.stderr
    assert "nothing was imported" in run.stderr
    assert set(record_counts().values()) == {0}


def test_it_changes_nothing_in_the_database_when_a_bundle_is_bad(imported_example):
    records, history = record_counts(), history_counts()
    imported_example["products"][0]["brand"] = "Renamed"
    imported_example["timeframes"][-1]["calendar_days"] = "ten"

    with pytest.raises(BundleInvalid) as raised:
        bundle_import(data=imported_example)

    assert [str(p) for p in raised.value.problems] == [
        'timeframes[2].calendar_days: not a whole number of at least 1: "ten"'
    ]
    assert Product.objects.get(hcpcs="Q2042").brand == "Kymriah"
    assert (record_counts(), history_counts()) == (records, history)


def test_it_prints_one_line_per_problem_on_stderr(db, example_bundle, tmp_path):
    example_bundle["policies"][2]["effective"] = "2026-02-30"
    example_bundle["routing"][3]["queue"] = "mn-x"
    example_bundle["plans"][0]["state"] = "XX"

    run = run_command("import_policies", write(tmp_path, example_bundle))

    problems = [line for line in run.stderr.splitlines() if not line.startswith("CommandError")]
    assert problems == [
        'policies[2].effective: not a date: "2026-02-30" (use YYYY-MM-DD)',
        'plans[0].state: unknown state "XX"',
        'routing[3].queue: no queue "mn-x" in this bundle or the database',
    ]
    assert "3 problem(s)" in run.stderr
    assert "Traceback" not in run.stderr


def test_it_reports_bad_json_with_its_line_and_column(db, tmp_path):
    run = run_command(
        "import_policies", write(tmp_path, '{\n  "policies": [\n    {"number": "MP-AD-1623",}\n  ]\n}')
    )

    assert run.code == 1
    assert "not valid JSON" in run.stderr
    assert "line 3 column 29" in run.stderr


@pytest.mark.parametrize(
    "text", ["[" * 100_000 + "]" * 100_000, '{"policies": ' + "9" * 5000 + "}"], ids=["deep", "long-number"]
)
def test_it_reports_json_too_deep_or_a_number_too_long_in_words(db, tmp_path, text):
    run = run_command("import_policies", write(tmp_path, text))

    assert run.code == 1
    assert "not readable JSON: a number too long or too large, or nesting too deep" in run.stderr


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda b: b["policies"][0].update(title="MP\x00AD"), "policies[0].title"),
        (lambda b: b["policies"][0].update(background="Gene\x00therapy"), "policies[0].background"),
        (lambda b: b["policies"][0].update(related=["MP-1", "MP\x002"]), "policies[0].related[1]"),
        (lambda b: b["queues"][0].update(name="Triage\x00"), "queues[0].name"),
        (lambda b: b["timeframes"][0].update(source="45 CFR\x00"), "timeframes[0].source"),
        (
            lambda b: b.update(holidays=["2026-07-03"], holiday_names={"2026-07-03": "July\x004"}),
            "holiday_names.2026-07-03",
        ),
    ],
)
def test_it_refuses_a_nul_character_by_its_path(db, example_bundle, tmp_path, change, path):
    # PostgreSQL cannot store one: it was a database error there, not a message.
    change(example_bundle)

    run = run_command("import_policies", write(tmp_path, example_bundle))

    assert run.code == 1
    assert f"{path}: contains a NUL character" in run.stderr
    assert set(record_counts().values()) == {0}


def test_it_reports_a_missing_file(db, tmp_path):
    run = run_command("import_policies", str(tmp_path / "nowhere.json"))

    assert run.code == 1
    assert "nowhere.json: no such file" in run.stderr


def test_it_exports_in_the_bundle_format(imported_example):
    exported = bundle_export()

    assert [p["number"] for p in exported["policies"]] == ["EX-MP-0202", "EX-PH-0101", "MP-AD-1623"]
    assert exported["routing"][0] == {"key": "benefits", "category": None, "queue": "benefits"}
    assert {"key": "medical-necessity", "category": "car_t", "queue": "mn-car-t"} in exported["routing"]
    ohio = next(t for t in exported["timeframes"] if t["state"] == "OH")
    assert ohio["calendar_days"] == 10
    assert not {"hours", "business_hours", "business_days"} & ohio.keys()
    assert exported["policies"][2]["effective"] == "2026-05-01"


def test_it_exports_holidays_as_plain_dates_with_their_names_beside(db):
    run_command("import_policies", str(SEED))

    exported = bundle_export()

    assert "2026-07-03" in exported["holidays"]
    assert all(isinstance(day, str) for day in exported["holidays"])
    assert exported["holiday_names"]["2026-07-03"] == "Independence Day (observed)"


def test_it_exports_every_record_of_the_example_as_it_came_in(imported_example):
    exported = bundle_export()

    identities = {
        "policies": ("number", "effective"),
        "products": ("hcpcs",),
        "plans": ("code",),
        "queues": ("code",),
        "routing": ("key", "category"),
        "timeframes": ("urgency", "state"),
    }
    for kind, keys in identities.items():
        given, written = identified(imported_example[kind], *keys), identified(exported[kind], *keys)
        assert given.keys() == written.keys(), kind
        for identity, item in given.items():
            assert {key: written[identity][key] for key in item} == item, (kind, identity)


def test_it_exports_to_a_file_or_stdout(imported_example, tmp_path):
    target = tmp_path / "out.json"

    to_file = run_command("export_policies", "--output", str(target))
    to_stdout = run_command("export_policies")

    assert to_file.code == to_stdout.code == 0
    assert json.loads(target.read_text()) == json.loads(to_stdout.stdout) == bundle_export()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("source", ["example", "seed"])
def test_it_round_trips_through_an_empty_database(source, example_path, tmp_path):
    run_command("import_policies", str(example_path if source == "example" else SEED))
    first = run_command("export_policies", "--output", str(tmp_path / "first.json"))
    call_command("flush", interactive=False, verbosity=0)
    assert set(record_counts().values()) == {0}

    again = run_command("import_policies", str(tmp_path / "first.json"))

    assert first.code == again.code == 0
    assert bundle_export() == json.loads((tmp_path / "first.json").read_text())
    assert record_counts()["Policy"] >= 1
