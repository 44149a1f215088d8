"""A timeframe rule runs at most a year: the bundle and the admin refuse a typo like 5,000,000 days."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from priorauth.policies.bundle import parse_bundle
from priorauth.policies.models import TimeframeRule
from priorauth.policies.services import BundleInvalid, bundle_import
from priorauth.policies.vocab import timeframe_amount_problem

WEST_VIRGINIA_TYPO = {"urgency": "standard", "state": "WV", "calendar_days": 5_000_000}


@pytest.mark.parametrize(
    ("unit", "amount", "expected"),
    [
        ("hours", 72, ""),
        ("hours", 8760, ""),
        ("business_hours", 8760, ""),
        ("calendar_days", 365, ""),
        ("business_days", 365, ""),
        ("hours", 8761, "more than 8,760 hours (no timeframe rule runs past a year)"),
        ("business_hours", 2**31, "more than 8,760 business hours (no timeframe rule runs past a year)"),
        ("calendar_days", 366, "more than 365 calendar days (no timeframe rule runs past a year)"),
        ("business_days", 5_000_000, "more than 365 business days (no timeframe rule runs past a year)"),
        ("calendar_days", 0, "not a whole number of at least 1"),
        ("calendar_days", -3, "not a whole number of at least 1"),
        ("calendar_days", True, "not a whole number of at least 1"),
    ],
)
def test_it_bounds_a_timeframe_amount_to_a_year(unit, amount, expected):
    assert timeframe_amount_problem(unit, amount) == expected


def test_it_names_the_bundle_path_of_a_timeframe_longer_than_a_year(example_bundle):
    example_bundle["timeframes"].append(WEST_VIRGINIA_TYPO)

    _, problems = parse_bundle(example_bundle)

    assert [str(p) for p in problems] == [
        f"timeframes[{len(example_bundle['timeframes']) - 1}].calendar_days: more than 365 calendar days "
        "(no timeframe rule runs past a year): 5000000"
    ]


def test_it_imports_nothing_from_a_bundle_with_a_timeframe_longer_than_a_year(db, example_bundle):
    example_bundle["timeframes"].append(WEST_VIRGINIA_TYPO)

    with pytest.raises(BundleInvalid):
        bundle_import(data=example_bundle)

    assert not TimeframeRule.objects.exists()


@pytest.fixture
def admin_client(client: Client, policy_admin) -> Client:
    client.force_login(policy_admin)
    return client


def rule_form(**changes: Any) -> dict[str, Any]:
    data = {"urgency": "standard", "state": "WV", "amount": "5", "unit": "calendar_days"}
    return {**data, "clock": "receipt", "missed": "breach", "source": "W. Va. Code 33-25A-8s", **changes}


@pytest.mark.parametrize(
    ("unit", "amount", "message"),
    [
        ("calendar_days", "5000000", "The amount is more than 365 calendar days"),
        ("hours", "8761", "The amount is more than 8,760 hours"),
        # Past PostgreSQL's integer column: refused with words, not a database error.
        ("business_days", "99999999999", "The amount is more than 365 business days"),
        ("calendar_days", "0", "The amount is not a whole number of at least 1."),
    ],
)
def test_it_refuses_a_timeframe_amount_longer_than_a_year_in_the_admin(admin_client, unit, amount, message):
    response = admin_client.post(
        reverse("admin:policies_timeframerule_add"), rule_form(unit=unit, amount=amount)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TimeframeRule.objects.exists()


def test_it_refuses_lengthening_a_rule_past_a_year_in_the_admin(admin_client):
    rule = TimeframeRule.objects.create(urgency="standard", state="WV", unit="calendar_days", amount=5)

    response = admin_client.post(
        reverse("admin:policies_timeframerule_change", args=[rule.pk]), rule_form(amount="5000000")
    )

    assert "The amount is more than 365 calendar days" in response.content.decode()
    rule.refresh_from_db()
    assert rule.amount == 5


def test_it_accepts_a_year_in_the_admin(admin_client):
    response = admin_client.post(reverse("admin:policies_timeframerule_add"), rule_form(amount="365"))

    assert response.status_code == 302
    assert TimeframeRule.objects.get().amount == 365
