"""Validation of the policy bundle: one message per problem, each naming where it is (pure, no database)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from priorauth.policies.bundle import parse_bundle

Bundle = dict[str, Any]


def problems_of(bundle: Any, **known: Any) -> list[str]:
    return [str(problem) for problem in parse_bundle(bundle, **known)[1]]


def set_key(section: str, index: int, key: str, value: Any) -> Callable[[Bundle], None]:
    def change(bundle: Bundle) -> None:
        bundle[section][index][key] = value

    return change


def drop_key(section: str, index: int, key: str) -> Callable[[Bundle], None]:
    def change(bundle: Bundle) -> None:
        del bundle[section][index][key]

    return change


def append(section: str, item: Any) -> Callable[[Bundle], None]:
    def change(bundle: Bundle) -> None:
        bundle.setdefault(section, []).append(item)

    return change


def copy_of(section: str, index: int, **changes: Any) -> Callable[[Bundle], None]:
    def change(bundle: Bundle) -> None:
        bundle[section].append({**bundle[section][index], **changes})

    return change


def test_it_accepts_the_example_bundle(example_bundle):
    bundle, problems = parse_bundle(example_bundle)

    assert problems == []
    assert [p.number for p in bundle.policies] == ["MP-AD-1623", "EX-PH-0101", "EX-MP-0202"]
    assert bundle.policies[0].history[0].date == datetime.date(2026, 1, 28)
    assert bundle.routing[-1].category == "car_t"
    assert bundle.routing[0].category == ""
    assert (bundle.timeframes[0].unit, bundle.timeframes[0].amount) == ("hours", 72)
    assert bundle.timeframes[0].clock == "receipt"
    assert bundle.timeframes[0].missed == "breach"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (set_key("policies", 2, "effective", "March 1st"), 'policies[2].effective: not a date: "March 1st"'),
        (set_key("policies", 1, "effective", 20260101), "policies[1].effective: not a date: 20260101"),
        (drop_key("policies", 0, "title"), "policies[0].title: missing"),
        (set_key("policies", 0, "archived", "2026-04-01"), "policies[0].archived: before the effective date"),
        (set_key("policies", 0, "archived", "2026-05-01"), "policies[0].archived: on the effective date"),
        (set_key("policies", 0, "type", "clinical"), 'policies[0].type: unknown policy type "clinical"'),
        (set_key("policies", 0, "states", ["OH", "XX"]), 'policies[0].states[1]: unknown state "XX"'),
        (set_key("policies", 0, "states", "OH"), "policies[0].states: not a list"),
        (
            set_key("policies", 0, "categories", ["car-t"]),
            'policies[0].categories[0]: unknown category "car-t"',
        ),
        (
            set_key("policies", 1, "products", ["Q9999"]),
            'policies[1].products[0]: no product "Q9999" in this bundle or the database',
        ),
        (
            set_key("policies", 0, "history", [{"date": "2026-01-28"}]),
            "policies[0].history[0].action: missing",
        ),
        (set_key("policies", 0, "number", 1623), "policies[0].number: not a string"),
        (set_key("policies", 0, "title", "x" * 301), "policies[0].title: longer than 300 characters"),
        (copy_of("policies", 0, title="Same version again"), "policies[3]: duplicate of policies[0]"),
        (set_key("products", 1, "category", "cart"), 'products[1].category: unknown category "cart"'),
        (
            set_key("products", 1, "requires_prior_auth", "yes"),
            "products[1].requires_prior_auth: not true or false",
        ),
        (drop_key("products", 0, "benefit"), "products[0].benefit: missing"),
        (set_key("products", 0, "benefit", "dental"), 'products[0].benefit: unknown benefit "dental"'),
        (
            copy_of("products", 0, brand="Kymriah again"),
            "products[5].hcpcs: duplicate of products[0] (Q2042)",
        ),
        (set_key("plans", 0, "state", "XX"), 'plans[0].state: unknown state "XX"'),
        (
            set_key("plans", 0, "line_of_business", "medigap"),
            'plans[0].line_of_business: unknown line of business "medigap"',
        ),
        (
            set_key("plans", 1, "excluded_products", ["J9999"]),
            'plans[1].excluded_products[0]: no product "J9999" in this bundle or the database',
        ),
        (
            set_key("plans", 1, "no_auth_products", ["J9999"]),
            'plans[1].no_auth_products[0]: no product "J9999" in this bundle or the database',
        ),
        (
            set_key("plans", 1, "excluded_categories", ["gene"]),
            'plans[1].excluded_categories[0]: unknown category "gene"',
        ),
        (copy_of("plans", 2), "plans[3].code: duplicate of plans[2] (KY-MCD-2026)"),
        (append("queues", {"code": "car t", "name": "CAR-T"}), 'queues[8].code: "car t" is not a slug'),
        (copy_of("queues", 0, name="Another triage"), "queues[8].code: duplicate of queues[0] (triage)"),
        (
            set_key("routing", 3, "queue", "mn-x"),
            'routing[3].queue: no queue "mn-x" in this bundle or the database',
        ),
        (set_key("routing", 3, "key", "appeals"), 'routing[3].key: unknown routing key "appeals"'),
        (set_key("routing", 7, "category", "carT"), 'routing[7].category: unknown category "carT"'),
        (copy_of("routing", 0, queue="benefits"), "routing[8]: duplicate of routing[0] (triage null)"),
        (copy_of("routing", 7), "routing[8]: duplicate of routing[7] (medical-necessity car_t)"),
        (
            set_key("timeframes", 1, "hours", 72),
            "timeframes[1]: give exactly one of hours, business_hours, calendar_days, business_days",
        ),
        (
            drop_key("timeframes", 0, "hours"),
            "timeframes[0]: give exactly one of hours, business_hours, calendar_days, business_days",
        ),
        (set_key("timeframes", 0, "hours", 0), "timeframes[0].hours: not a whole number of at least 1: 0"),
        (
            set_key("timeframes", 0, "hours", 7.5),
            "timeframes[0].hours: not a whole number of at least 1: 7.5",
        ),
        (
            set_key("timeframes", 0, "hours", True),
            "timeframes[0].hours: not a whole number of at least 1: True",
        ),
        (set_key("timeframes", 0, "state", "ZZ"), 'timeframes[0].state: unknown state "ZZ"'),
        (set_key("timeframes", 0, "urgency", "urgent"), 'timeframes[0].urgency: unknown urgency "urgent"'),
        (set_key("timeframes", 0, "clock", "submission"), 'timeframes[0].clock: unknown clock "submission"'),
        (
            set_key("timeframes", 0, "missed", "denied"),
            "timeframes[0].missed: unknown missed-deadline meaning",
        ),
        (
            set_key("timeframes", 0, "pauses_when_pended", 1),
            "timeframes[0].pauses_when_pended: not true or false",
        ),
        (
            copy_of("timeframes", 2, calendar_days=7),
            "timeframes[3]: duplicate of timeframes[2] (standard OH)",
        ),
        (append("holidays", "2026-13-01"), 'holidays[0]: not a date: "2026-13-01"'),
        (append("holidays", {"name": "New Year"}), "holidays[0].date: missing"),
        (append("policies", "MP-AD-1623"), "policies[3]: not an object"),
        (set_key("queues", 0, "name", None), "queues[0].name: missing"),
    ],
)
def test_it_names_where_each_problem_is(example_bundle, change, expected):
    change(example_bundle)

    problems = problems_of(example_bundle)

    assert len(problems) == 1, problems
    assert problems[0].startswith(expected)


def test_it_reports_every_problem_in_document_order(example_bundle):
    example_bundle["policies"][2]["effective"] = "soon"
    example_bundle["policies"].append(dict(example_bundle["policies"][0]))
    example_bundle["routing"][3]["queue"] = "mn-x"
    example_bundle["plans"][0]["state"] = "XX"
    example_bundle["timeframes"][1]["hours"] = 24

    problems = problems_of(example_bundle)

    assert [p.split(":")[0] for p in problems] == [
        "policies[2].effective",
        "policies[3]",
        "plans[0].state",
        "routing[3].queue",
        "timeframes[1]",
    ]


def test_it_accepts_references_to_records_already_in_the_database(example_bundle):
    example_bundle["routing"].append({"key": "benefits", "category": "car_t", "queue": "benefits-car-t"})
    example_bundle["plans"][0]["excluded_products"] = ["Q2053"]

    assert len(problems_of(example_bundle)) == 2
    assert problems_of(example_bundle, known_queues={"benefits-car-t"}, known_products={"Q2053"}) == []


def test_it_ignores_keys_the_contract_does_not_name(example_bundle):
    example_bundle["generated_by"] = "a future version"
    example_bundle["products"][0]["fda_approval_year"] = 2017
    example_bundle["routing"][0]["note"] = "reviewed 2026"

    assert problems_of(example_bundle) == []


def test_it_reads_holidays_as_dates_or_named_dates(example_bundle):
    example_bundle["holidays"] = ["2026-01-01", {"date": "2026-07-03", "name": "Independence Day (observed)"}]

    bundle, problems = parse_bundle(example_bundle)

    assert problems == []
    assert [(h.date.isoformat(), h.name) for h in bundle.holidays] == [
        ("2026-01-01", ""),
        ("2026-07-03", "Independence Day (observed)"),
    ]


def test_it_names_the_plain_dates_from_holiday_names(example_bundle):
    example_bundle["holidays"] = ["2026-01-01", "2026-07-03"]
    example_bundle["holiday_names"] = {"2026-07-03": "Independence Day (observed)"}

    bundle, problems = parse_bundle(example_bundle)

    assert problems == []
    assert [(h.date.isoformat(), h.name) for h in bundle.holidays] == [
        ("2026-01-01", ""),
        ("2026-07-03", "Independence Day (observed)"),
    ]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["2026-07-03"], "holiday_names: not an object of date: name"),
        ({"2026-12-25": "Christmas Day"}, "holiday_names.2026-12-25: not one of the dates in holidays"),
        ({"2026-07-03": ""}, "holiday_names.2026-07-03: not a name (text)"),
    ],
)
def test_it_refuses_holiday_names_that_name_nothing(example_bundle, names, expected):
    example_bundle["holidays"] = ["2026-07-03"]
    example_bundle["holiday_names"] = names

    _, problems = parse_bundle(example_bundle)

    assert [f"{p.path}: {p.message}" for p in problems] == [expected]


def test_it_reads_the_stored_extra_keys(example_bundle):
    example_bundle["products"][0]["manufacturer"] = "Novartis"
    example_bundle["plans"][0]["name"] = "Ohio Silver"

    bundle, _ = parse_bundle(example_bundle)

    assert bundle.products[0].manufacturer == "Novartis"
    assert bundle.plans[0].name == "Ohio Silver"


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ([], "bundle: not a JSON object"),
        ({"policies": {"number": "MP-AD-1623"}}, "policies: not a list"),
    ],
)
def test_it_rejects_a_document_of_the_wrong_shape(document, expected):
    assert problems_of(document)[0].startswith(expected)


def test_it_validates_a_timeframe_with_its_optional_keys(example_bundle):
    example_bundle["timeframes"].append(
        {
            "urgency": "standard",
            "state": "IN",
            "business_days": 2,
            "clock": "complete",
            "pauses_when_pended": True,
            "missed": "deemed_approved",
            "source": "IC 27-1-37.5",
        }
    )

    bundle, problems = parse_bundle(example_bundle)

    assert problems == []
    rule = bundle.timeframes[-1]
    assert (rule.unit, rule.amount, rule.clock, rule.pauses_when_pended, rule.missed) == (
        "business_days",
        2,
        "complete",
        True,
        "deemed_approved",
    )
