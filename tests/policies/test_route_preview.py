"""route_preview: request facts as JSON lines in, one decision or error line out per line."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from priorauth.policies.models import Policy, Product, TimeframeRule
from priorauth.policies.preview import preview_lines
from priorauth.policies.selectors import policy_snapshot
from tests.policies.conftest import run_command

KYMRIAH_IN_OHIO: dict[str, Any] = {
    "id": "req-1",
    "plan": "OH-MKT-SILVER-2026",
    "coverage_start": "2026-01-01",
    "coverage_end": "2026-12-31",
    "hcpcs": "Q2042",
    "diagnoses": ["C83.30"],
    "urgency": "standard",
    "date_of_service": "2026-06-01",
    "received_at": "2026-05-20T09:00:00-04:00",
}


def line(**changes: Any) -> str:
    request = {**KYMRIAH_IN_OHIO, **changes}
    return json.dumps({key: value for key, value in request.items() if value is not ...})


def preview(*lines: str) -> Any:
    return run_command("route_preview", stdin="\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("request_line", "expected_id", "expected_error"),
    [
        ("{not json", None, "not valid JSON"),
        ("[1, 2]", None, "not a JSON object"),
        ("[" * 100_000 + "]" * 100_000, None, "not readable JSON"),
        ('{"id": ' + "9" * 5000 + "}", None, "not readable JSON: a number too long"),
        ('{"id": 1e400}', None, "not readable JSON: a number too long or too large"),
        ('{"id": NaN}', None, "not readable JSON"),
        (line(plan="ZZ-NONE"), "req-1", 'plan: unknown plan "ZZ-NONE"'),
        (line(hcpcs="Q9999"), "req-1", 'hcpcs: unknown product "Q9999"'),
        (line(hcpcs=...), "req-1", "hcpcs: missing"),
        (line(hcpcs=..., category="stem cells"), "req-1", 'category: unknown category "stem cells"'),
        (line(plan=...), "req-1", "plan: missing"),
        (line(coverage_end=...), "req-1", "coverage_end: missing"),
        (line(coverage_start="01/01/2026"), "req-1", "coverage_start: not a date"),
        (line(coverage_end="2025-12-31"), "req-1", "coverage_end: before coverage_start"),
        (line(date_of_service=20260601), "req-1", "date_of_service: not a date"),
        (line(received_at="2026-05-20T09:00:00"), "req-1", "received_at: no UTC offset"),
        (line(received_at="yesterday"), "req-1", "received_at: not an ISO 8601 date and time"),
        (line(urgency="urgent"), "req-1", 'urgency: unknown urgency "urgent"'),
        (line(diagnoses="C83.30"), "req-1", "diagnoses: not a list"),
        (line(diagnoses=["C83.30", "Z99.999"]), "req-1", "diagnoses[1]: Z99.999 is not an ICD-10"),
        (line(diagnoses=["C00-C96"]), "req-1", "diagnoses[0]: C00-C96 is not an ICD-10-CM diagnosis code"),
        (line(diagnoses=["ZZZZZ"]), "req-1", "diagnoses[0]: ZZZZZ is not an ICD-10-CM diagnosis code"),
        (line(diagnoses=[""]), "req-1", 'diagnoses[0]: "" is not an ICD-10-CM code'),
        (line(diagnoses=["C83"]), "req-1", "diagnoses[0]: C83 is a heading, not a billable code"),
        (line(received_at="0001-01-01T00:00:00+14:00"), "req-1", "received_at: out of range"),
        (line(received_at="9999-12-30T00:00:00Z"), "req-1", "the due time is out of range"),
        (line(diagnoses=...), "req-1", "diagnoses: missing"),
        (line(genetically_modified="yes"), "req-1", "genetically_modified: not true, false or absent"),
        (line(id=7, plan=1), 7, "plan: not a non-empty string"),
    ],
)
def test_it_answers_a_bad_line_with_an_error_line(
    imported_example, request_line, expected_id, expected_error
):
    run = preview(request_line)

    assert run.code == 1
    [output] = run.lines
    assert output["id"] == expected_id
    assert output["error"].startswith(expected_error)
    assert set(output) == {"id", "error"}


def test_it_decides_the_other_lines_in_order_and_exits_1(imported_example):
    run = preview(line(id="a"), "garbage", "", line(id="b", plan="XX"), line(id="c", urgency="expedited"))

    assert run.code == 1
    assert [(o["id"], "error" in o) for o in run.lines] == [
        ("a", False),
        (None, True),
        ("b", True),
        ("c", False),
    ]
    assert "2 of 4 line(s) could not be decided" in run.stderr


def test_it_answers_an_error_line_for_a_due_time_past_9999_and_decides_the_rest(imported_example):
    # An amount stored before amounts were bounded (the import and the admin now refuse it).
    TimeframeRule.objects.filter(urgency="standard", state="*").update(amount=5_000_000)

    run = preview(line(id="a"), line(id="b", urgency="expedited"))

    assert run.code == 1
    [error, decided] = run.lines
    assert error == {
        "id": "a",
        "error": "the due time is out of range: 5000000 calendar days from receipt (federal standard rule), "
        "received 2026-05-20, falls past the year 9999",
    }
    assert decided["id"] == "b" and decided["due_at"] == "2026-05-23T13:00:00Z"


def test_it_writes_an_id_with_a_lone_surrogate_as_utf_8(imported_example):
    [output] = preview_lines([r'{"id": "\ud800"}'], policy_snapshot())

    assert json.loads(output.as_json().encode("utf-8")) == {"id": "\ud800", "error": "plan: missing"}


def test_it_exits_0_when_every_line_is_decided(imported_example):
    run = preview(line(id="a"), line(id="b", diagnoses=["C8330", "F32.9"]))

    assert run.code == 0
    assert [o["id"] for o in run.lines] == ["a", "b"]
    assert run.stderr == ""


def test_it_writes_the_decision_line_of_the_contract(imported_example):
    [decision] = preview(line()).lines

    assert decision["id"] == "req-1"
    assert decision["outcome"] == "routed"
    assert decision["routing_key"] == "pharmacy-policy"
    assert decision["queue"] == "mn-pharmacy-policy"
    assert decision["governing_policy"] == "MP-AD-1623"
    assert decision["criteria_policy"] == "EX-PH-0101"
    # Received 13:00 UTC; Ohio's 10 calendar days beat the federal 15.
    assert decision["due_at"] == "2026-05-30T13:00:00Z"
    assert decision["trace"][0]["step"] == "governing_policy"
    assert all(set(step) == {"step", "result", "cites"} for step in decision["trace"])


def test_it_reads_a_service_with_no_product_record_by_category(imported_example):
    [decision] = preview(line(hcpcs=..., category="stem_cell_transplant", genetically_modified=False)).lines

    assert (decision["routing_key"], decision["queue"]) == ("transplant", "transplant")


def test_it_decides_differently_after_an_administrator_changes_the_records(imported_example):
    yescarta = line(id="yescarta", hcpcs="Q2041")
    [before] = preview(yescarta).lines
    assert (before["routing_key"], before["queue"]) == ("medical-necessity", "mn-car-t")

    medical_policy = Policy.objects.create(
        number="EX-MP-0303",
        title="Axicabtagene ciloleucel",
        type="medical",
        lines_of_business=["marketplace"],
        states=["OH"],
        effective=datetime.date(2026, 1, 1),
    )
    medical_policy.products.add(Product.objects.get(hcpcs="Q2041"))
    [with_policy] = preview(yescarta).lines
    assert (with_policy["routing_key"], with_policy["criteria_policy"]) == ("medical-policy", "EX-MP-0303")

    Product.objects.filter(hcpcs="Q2041").update(requires_prior_auth=False)
    [no_auth] = preview(yescarta).lines
    assert (no_auth["outcome"], no_auth["queue"]) == ("no_auth_required", None)


def test_it_loads_the_records_once_per_run(imported_example):
    with CaptureQueriesContext(connection) as one_line:
        preview(line())
    with CaptureQueriesContext(connection) as many_lines:
        preview(*[line(id=n) for n in range(20)])

    assert len(many_lines) == len(one_line)


def test_it_builds_the_snapshot_in_a_constant_number_of_queries(imported_example, example_bundle):
    with CaptureQueriesContext(connection) as small:
        policy_snapshot()
    for number in range(5):
        policy = Policy.objects.create(
            number=f"EX-{number}",
            title="More",
            type="medical",
            lines_of_business=["marketplace"],
            states=["GA"],
            effective=datetime.date(2026, 1, 1),
        )
        policy.products.set(Product.objects.all())
    with CaptureQueriesContext(connection) as large:
        snapshot = policy_snapshot()

    assert len(large) == len(small)
    assert snapshot.products["Q2042"].category == "car_t"
    assert snapshot.plans["GA-MKT-BRONZE-2026"].excluded_products == frozenset({"J1412"})
    assert len(snapshot.policies) == 8
