"""The submissions' cached policy snapshot: reused while the records are unchanged, built again
after any write to them (a save, a delete, a many-to-many change, a queryset update, an import),
never kept from a write that rolled back."""

from __future__ import annotations

import copy
import datetime
import json

import pytest
from django.db import transaction
from django.test import Client

from priorauth.members.models import Plan, User
from priorauth.policies.models import (
    Holiday,
    Product,
    ReviewQueue,
    RoutingEntry,
    SnapshotVersion,
    TimeframeRule,
)
from priorauth.policies.selectors import policy_snapshot, policy_snapshot_cached
from priorauth.policies.services import bundle_import
from tests.policies.test_admin import SEED, _url, routing_list_moving


@pytest.fixture
def seeded(db) -> None:
    bundle_import(data=json.loads(SEED.read_text()))


def car_t_queue() -> str:
    (entry,) = [
        r for r in policy_snapshot_cached().routing if r.category == "car_t" and r.key == "medical-necessity"
    ]
    return entry.queue


def test_it_reuses_the_snapshot_while_nothing_changes(seeded, django_assert_num_queries):
    first = policy_snapshot_cached()
    with django_assert_num_queries(1):  # the token alone
        assert policy_snapshot_cached() is first
    assert first == policy_snapshot()


def test_it_sees_a_saved_record(seeded):
    assert car_t_queue() == "mn-car-t"
    entry = RoutingEntry.objects.get(key="medical-necessity", category="car_t")
    entry.queue = ReviewQueue.objects.get(code="mn-general")
    entry.save()
    assert car_t_queue() == "mn-general"


def test_it_sees_a_queryset_update(seeded):
    before = policy_snapshot_cached()
    TimeframeRule.objects.filter(urgency="standard", state="OH").update(amount=99)
    after = policy_snapshot_cached()
    assert after is not before
    assert after == policy_snapshot()
    assert any(rule.amount == 99 for rule in after.timeframes if rule.state == "OH")


def test_it_sees_a_deleted_record_and_a_many_to_many_change(seeded):
    day = Holiday.objects.order_by("date").first().date
    policy_snapshot_cached()
    Holiday.objects.filter(date=day).delete()
    assert day not in policy_snapshot_cached().holidays
    plan = Plan.objects.get(code="OH-MKT-SILVER-2026")
    product = Product.objects.get(hcpcs="Q2041")
    plan.excluded_products.add(product)
    assert "Q2041" in policy_snapshot_cached().plans["OH-MKT-SILVER-2026"].excluded_products


def test_it_sees_an_import(seeded):
    bundle = json.loads(SEED.read_text())
    changed = copy.deepcopy(bundle)
    changed["holidays"] = [*changed["holidays"], "2031-07-07"]
    policy_snapshot_cached()
    bundle_import(data=changed)
    assert datetime.date(2031, 7, 7) in policy_snapshot_cached().holidays


def test_it_sees_an_admin_edit(seeded, client: Client, policy_admin: User):
    client.force_login(policy_admin)
    entry = RoutingEntry.objects.get(key="medical-necessity", category="car_t")
    general = ReviewQueue.objects.get(code="mn-general")
    data = routing_list_moving(entry, general)
    assert car_t_queue() == "mn-car-t"
    assert client.post(_url(RoutingEntry, "changelist"), data).status_code == 302
    assert car_t_queue() == "mn-general"


def test_it_keeps_nothing_from_a_write_that_rolled_back(seeded):
    token = SnapshotVersion.objects.get().token
    with pytest.raises(RuntimeError), transaction.atomic():
        TimeframeRule.objects.filter(urgency="standard").update(amount=77)
        assert any(rule.amount == 77 for rule in policy_snapshot_cached().timeframes)
        raise RuntimeError("rolled back")
    assert SnapshotVersion.objects.get().token == token
    assert not any(rule.amount == 77 for rule in policy_snapshot_cached().timeframes)
