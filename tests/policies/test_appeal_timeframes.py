"""Timeframe rules for appeals in the bundle: `applies_to`, imported, exported, kept apart."""

from __future__ import annotations

import pytest

from priorauth.policies.models import TimeframeRule
from priorauth.policies.services import BundleInvalid, bundle_export, bundle_import

REQUEST_RULE = {"urgency": "standard", "state": "OH", "calendar_days": 10, "source": "ORC 1751.72"}
APPEAL_RULE = {
    "applies_to": "appeal",
    "urgency": "standard",
    "state": "OH",
    "calendar_days": 20,
    "source": "x",
}


def test_a_request_rule_and_an_appeal_rule_for_the_same_state_live_side_by_side(db):
    bundle_import(data={"timeframes": [REQUEST_RULE, APPEAL_RULE]})
    assert set(TimeframeRule.objects.values_list("applies_to", "amount")) == {("request", 10), ("appeal", 20)}
    exported = bundle_export()["timeframes"]
    # A request rule exports as it always did; an appeal rule names what it applies to.
    assert {"applies_to": "appeal"}.items() <= exported[0].items()
    assert "applies_to" not in exported[1]


def test_it_refuses_an_unknown_applies_to(db):
    with pytest.raises(BundleInvalid) as refused:
        bundle_import(data={"timeframes": [{**APPEAL_RULE, "applies_to": "grievance"}]})
    assert "timeframes[0].applies_to" in str(refused.value.problems)
    assert not TimeframeRule.objects.exists()


def test_two_appeal_rules_for_the_same_urgency_and_state_are_duplicates(db):
    with pytest.raises(BundleInvalid) as refused:
        bundle_import(data={"timeframes": [APPEAL_RULE, APPEAL_RULE]})
    assert "duplicate of timeframes[0] (standard OH appeal)" in str(refused.value.problems)
