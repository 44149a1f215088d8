"""Selectors for the policy records: the snapshot the deferral logic decides from."""

from __future__ import annotations

import copy
import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models.signals import m2m_changed, post_delete, post_save

from priorauth.members.models import Plan
from priorauth.policies import deferral
from priorauth.policies.models import (
    Holiday,
    Policy,
    Product,
    ReviewQueue,
    RoutingEntry,
    SnapshotVersion,
    TimeframeRule,
    snapshot_records_changed,
)

# The records last built by this process, with the token read before building them.
_cached: tuple[uuid.UUID, PolicyRecords] | None = None


@dataclass(frozen=True)
class PolicyRecords:
    """What a submission reads of the policy records: the deferral snapshot and the review queues."""

    snapshot: deferral.Snapshot
    queues: Mapping[str, ReviewQueue]

    def queue(self, code: str) -> ReviewQueue:
        """Return a copy of the queue with this code (callers may change theirs); raise DoesNotExist."""
        try:
            return copy.copy(self.queues[code])
        except KeyError:
            raise ReviewQueue.DoesNotExist(f"no review queue {code}") from None


def policy_snapshot() -> deferral.Snapshot:
    """Return every policy record as a deferral snapshot, in a constant number of queries.

    The snapshot holds all versions (archived ones too): the deferral logic picks the ones in
    effect on the date of service.
    """
    return deferral.Snapshot(
        policies=_policies(),
        products={p.hcpcs: product_record(p) for p in Product.objects.all()},
        plans=_plans(),
        routing=tuple(
            routing_record(r, queue=r.queue.code)
            for r in RoutingEntry.objects.select_related("queue").order_by("key", "category")
        ),
        # Appeal rules time appeals (priorauth.appeals), never a request's routing.
        timeframes=tuple(
            timeframe_record(t)
            for t in TimeframeRule.objects.filter(applies_to="request").order_by("urgency", "state")
        ),
        holidays=frozenset(Holiday.objects.values_list("date", flat=True)),
    )


def policy_snapshot_cached() -> deferral.Snapshot:
    """Return the snapshot of the policy records, built again only when they have changed since."""
    return policy_records_cached().snapshot


def policy_records_cached() -> PolicyRecords:
    """Return the policy snapshot and the review queues, built again only when they have changed since.

    For submissions, which all read the same records: one query for the token instead of the
    snapshot's nine and its records. The token is read before the records, so records kept
    are never older than their token; a write that commits in between makes the next call build
    again. Callers must not change the snapshot (its dicts are shared). With no token row (a
    flushed test database) nothing is kept.
    """
    global _cached
    token = SnapshotVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    cached = _cached
    if token is not None and cached is not None and cached[0] == token:
        return cached[1]
    records = PolicyRecords(
        snapshot=policy_snapshot(), queues={queue.code: queue for queue in ReviewQueue.objects.all()}
    )
    if token is not None:
        _cached = (token, records)
    return records


def _records_changed(**kwargs: object) -> None:
    snapshot_records_changed()


def snapshot_signals_connect() -> None:
    """Give the snapshot a new token when a record it reads is saved or deleted (admin, import)."""
    for model in (Product, Policy, Plan, ReviewQueue, RoutingEntry, TimeframeRule, Holiday):
        post_save.connect(_records_changed, sender=model, dispatch_uid=f"snapshot-save-{model.__name__}")
        post_delete.connect(_records_changed, sender=model, dispatch_uid=f"snapshot-delete-{model.__name__}")
    for through in (Policy.products.through, Plan.excluded_products.through, Plan.no_auth_products.through):
        m2m_changed.connect(_records_changed, sender=through, dispatch_uid=f"snapshot-m2m-{through.__name__}")


# One record from one row (unsaved rows too: the impact preview builds a draft's records with these).
def routing_record(entry: RoutingEntry, *, queue: str) -> deferral.RoutingRecord:
    return deferral.RoutingRecord(key=entry.key, category=entry.category or None, queue=queue)


def timeframe_record(rule: TimeframeRule) -> deferral.TimeframeRecord:
    return deferral.TimeframeRecord(
        urgency=rule.urgency,
        state=rule.state,
        unit=rule.unit,
        amount=rule.amount,
        clock=rule.clock,
        pauses_when_pended=rule.pauses_when_pended,
        missed=rule.missed,
        source=rule.source,
        extension_unit=rule.extension_unit,
        extension_amount=rule.extension_amount,
    )


def policy_record(policy: Policy, *, products: Iterable[str]) -> deferral.PolicyRecord:
    return deferral.PolicyRecord(
        number=policy.number,
        title=policy.title,
        type=policy.type,
        lines_of_business=frozenset(policy.lines_of_business),
        states=frozenset(policy.states),
        effective=policy.effective,
        archived=policy.archived,
        products=frozenset(products),
        categories=frozenset(policy.categories),
    )


def plan_record(
    plan: Plan, *, excluded_products: Iterable[str], no_auth_products: Iterable[str]
) -> deferral.PlanRecord:
    return deferral.PlanRecord(
        code=plan.code,
        line_of_business=plan.line_of_business,
        state=plan.state,
        excluded_products=frozenset(excluded_products),
        excluded_categories=frozenset(plan.excluded_categories),
        no_auth_products=frozenset(no_auth_products),
    )


def product_record(product: Product) -> deferral.ProductRecord:
    return deferral.ProductRecord(
        hcpcs=product.hcpcs,
        brand=product.brand,
        generic=product.generic,
        category=product.category,
        genetically_modified=product.genetically_modified,
        benefit=product.benefit,
        requires_prior_auth=product.requires_prior_auth,
    )


def _policies() -> tuple[deferral.PolicyRecord, ...]:
    products = _related_codes(Policy.products.through.objects.values_list("policy_id", "product__hcpcs"))
    return tuple(
        policy_record(p, products=products[p.pk]) for p in Policy.objects.order_by("number", "effective")
    )


def _plans() -> dict[str, deferral.PlanRecord]:
    excluded = _related_codes(Plan.excluded_products.through.objects.values_list("plan_id", "product__hcpcs"))
    no_auth = _related_codes(Plan.no_auth_products.through.objects.values_list("plan_id", "product__hcpcs"))
    return {
        p.code: plan_record(p, excluded_products=excluded[p.pk], no_auth_products=no_auth[p.pk])
        for p in Plan.objects.all()
    }


def _related_codes(pairs: Iterable[tuple[int, str]]) -> defaultdict[int, set[str]]:
    codes: defaultdict[int, set[str]] = defaultdict(set)
    for owner_id, hcpcs in pairs:
        codes[owner_id].add(hcpcs)
    return codes


def policies_in_effect_count(*, day: datetime.date) -> int:
    """Return how many policy versions are in effect on a day (archived date exclusive).

    The rule lives in `Policy.is_in_effect`; counting in Python keeps it in one place, and
    the number of policy versions is small.
    """
    return sum(1 for policy in Policy.objects.all() if policy.is_in_effect(day))
