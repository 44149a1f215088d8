"""`import_policies --replace`: remove the policy records a bundle no longer has.

Routing entries, timeframe rules and holidays that are not in the bundle are removed. A queue or
product that is not in the bundle is removed only when nothing refers to it any more (a request,
a routing entry, a policy, a plan's exclusions, a reviewer's queue assignment: every relation
that points at it). One that something still refers to is kept and reported: a closed request
keeps pointing at the queue that reviewed it and the product it asked for, so that its history
reads the same. A dropped queue that still holds open requests refuses the whole import, since
those requests would have nowhere to be worked.

Policies and plans are never removed: a policy version is the record a past decision was made
under, and members belong to plans. Every removal is one `delete()` of a model that keeps its
history, so django-simple-history writes its '-' row with the reason below.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count
from simple_history.models import HistoricalChanges

from priorauth.policies.bundle import Bundle, Problem
from priorauth.policies.models import Holiday, Product, ReviewQueue, RoutingEntry, TimeframeRule
from priorauth.requests.models import OPEN_STATUSES, PriorAuthRequest

# The lists --replace makes the database equal to: each must be in the bundle, even if empty.
REPLACED_KINDS = ("products", "queues", "routing", "timeframes", "holidays")
REMOVAL_REASON = "policy bundle import --replace: not in the bundle"


class ReplaceRefused(ValueError):
    """Removing what the bundle dropped would strand open work; nothing was written."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class Removals:
    removed: list[tuple[str, str]] = field(default_factory=list)  # (kind, label)
    kept: list[str] = field(default_factory=list)


def missing_lists(data: Any) -> list[Problem]:
    """Return a problem for each replaced list the bundle leaves out.

    A bundle of products alone would otherwise empty the routing table: with --replace, an
    absent list is far more likely a mistake than a wish, so removing everything takes `[]`.
    """
    if not isinstance(data, dict):
        return []
    return [
        Problem(kind, "missing: with --replace every list is replaced, so give [] to remove them all")
        for kind in REPLACED_KINDS
        if data.get(kind) is None
    ]


def remove_absent(bundle: Bundle) -> Removals:
    """Return what was removed and kept; raise ReplaceRefused if a dropped queue has open requests.

    Call it after the bundle's records are saved, in the same transaction: references are judged
    on the records as the bundle leaves them.
    """
    removals = Removals()
    _remove_unlisted(
        removals,
        "routing",
        RoutingEntry.objects.select_related("queue"),
        {(r.key, r.category) for r in bundle.routing},
        lambda e: (e.key, e.category),
    )
    _remove_unlisted(
        removals,
        "timeframes",
        TimeframeRule.objects.all(),
        {(t.urgency, t.state) for t in bundle.timeframes},
        lambda t: (t.urgency, t.state),
    )
    _remove_unlisted(
        removals, "holidays", Holiday.objects.all(), {h.date for h in bundle.holidays}, lambda h: h.date
    )
    queues = list(ReviewQueue.objects.exclude(code__in=[q.code for q in bundle.queues]).order_by("code"))
    _refuse_queues_with_open_requests(queues)
    _remove_unreferenced(removals, "queues", queues)
    products = Product.objects.exclude(hcpcs__in=[p.hcpcs for p in bundle.products]).order_by("hcpcs")
    _remove_unreferenced(removals, "products", products)
    return removals


def label(kind: str, record: Any) -> str:
    """Return how a record of a bundle list (`kind`) is named in the command's output.

    `record` is the bundle's record or the saved one: both carry the same names, but for a
    routing entry's queue (the bundle's code, the database's queue), so added, changed and
    removed records read alike.
    """
    if kind == "routing":
        queue = getattr(record.queue, "code", record.queue)
        return f"{record.key} / {record.category or 'any category'} -> {queue}"
    if kind == "timeframes":
        return f"{record.urgency} {record.state}"
    if kind == "holidays":
        return f"{record.date.isoformat()} {record.name}".strip()
    if kind == "queues":
        return f'"{record.code}" ({record.name})'
    if kind == "products":
        return f'"{record.hcpcs}" ({record.brand})'
    if kind == "policies":
        return f"{record.number} effective {record.effective.isoformat()}"
    if kind == "plans":
        return record.code
    return str(record)


def _remove_unlisted(
    removals: Removals,
    kind: str,
    records: Iterable[models.Model],
    wanted: set[Hashable],
    identity: Callable[[Any], Hashable],
) -> None:
    for record in records:
        if identity(record) not in wanted:
            _delete(kind, record)
            removals.removed.append((kind, label(kind, record)))


def _refuse_queues_with_open_requests(queues: list[ReviewQueue]) -> None:
    # A queue the routing table still sends requests to stays, open requests or not.
    dropped = [q for q in queues if not q.routing_entries.exists()]
    rows = (
        PriorAuthRequest.objects.filter(queue__in=dropped, status__in=OPEN_STATUSES)
        .values("queue")
        .annotate(count=Count("pk"))
        .order_by()
    )
    open_counts = {row["queue"]: row["count"] for row in rows}
    reasons = [
        f"queue {label('queues', queue)} still has {_count(open_counts[queue.pk], 'open request')}: "
        "move them to another queue, or keep the queue in the bundle"
        for queue in dropped
        if open_counts.get(queue.pk)
    ]
    if reasons:
        raise ReplaceRefused(reasons)


def _remove_unreferenced(removals: Removals, kind: str, records: Iterable[models.Model]) -> None:
    for record in records:
        references = _references(record)
        if references:
            removals.kept.append(
                f"{kind[:-1]} {label(kind, record)}: not in the bundle, but still referred to by "
                f"{', '.join(references)}, which must keep pointing at it"
            )
        else:
            _delete(kind, record)
            removals.removed.append((kind, label(kind, record)))


def _references(instance: models.Model) -> list[str]:
    """Return, in words, every kind of record that points at `instance` ("2 closed requests")."""
    found = []
    for relation in type(instance)._meta.related_objects:
        model = relation.related_model
        if model._meta.auto_created or issubclass(model, HistoricalChanges):
            continue  # a many-to-many's own table (counted by its field), or a history row
        rows = model._default_manager.filter(**{relation.field.name: instance})
        count = rows.count()
        if not count:
            continue
        if model is PriorAuthRequest:
            still_open = rows.filter(status__in=OPEN_STATUSES).count()
            found.append(f"{_count(count, 'request')} ({still_open or 'none'} open)")
            continue
        opts = model._meta
        words = _count(count, str(opts.verbose_name), str(opts.verbose_name_plural))
        # A plan points at products twice (excluded, no prior authorization): say which.
        found.append(f"{words} ({relation.field.verbose_name})" if relation.many_to_many else words)
    return found


def _delete(kind: str, instance: models.Model) -> None:
    instance._change_reason = REMOVAL_REASON  # type: ignore[attr-defined]
    try:
        instance.delete()
    except (models.ProtectedError, models.RestrictedError):
        # Only a record that gained a reference while this import ran: another try will see it.
        raise ReplaceRefused(
            [f"{label(kind, instance)} came into use while importing; run the import again"]
        ) from None


def _count(n: int, noun: str, plural: str = "") -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"
