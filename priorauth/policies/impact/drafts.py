"""A draft change to the policy records, applied to a copy of the snapshot: pure, nothing saved.

A change is a list of (old, new) pairs of records: old None adds a record, new None removes one,
both replaces. The kinds are the snapshot's records, and a date for a holiday. A product or plan
keeps the key it had (its HCPCS code, its plan code) even when the draft renames it, because the
requests and the other records refer to that row, and a rename moves none of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TypeVar

from priorauth.policies.snapshot import (
    PlanRecord,
    PolicyRecord,
    ProductRecord,
    RoutingRecord,
    Snapshot,
    TimeframeRecord,
)

Record = PolicyRecord | ProductRecord | PlanRecord | RoutingRecord | TimeframeRecord | datetime.date
Change = tuple[Record | None, Record | None]
T = TypeVar("T")
K = TypeVar("K", ProductRecord, PlanRecord)


def with_changes(snapshot: Snapshot, changes: Iterable[Change]) -> Snapshot:
    """Return a copy of the snapshot with each change applied in order; the snapshot is unchanged.

    Raises TypeError for a pair whose records are not of one known kind.
    """
    for old, new in changes:
        snapshot = _with_change(snapshot, old, new)
    return snapshot


def _with_change(snapshot: Snapshot, old: Record | None, new: Record | None) -> Snapshot:
    kinds = {type(record) for record in (old, new) if record is not None}
    if len(kinds) != 1:
        raise TypeError(f"a change replaces one record by another of its kind, not {kinds or 'nothing'}")
    kind = kinds.pop()
    if kind is PolicyRecord:
        return replace(snapshot, policies=_swapped(snapshot.policies, old, new))
    if kind is RoutingRecord:
        return replace(snapshot, routing=_swapped(snapshot.routing, old, new))
    if kind is TimeframeRecord:
        return replace(snapshot, timeframes=_swapped(snapshot.timeframes, old, new))
    if kind is ProductRecord:
        return replace(snapshot, products=_keyed(snapshot.products, old, new, "hcpcs"))
    if kind is PlanRecord:
        return replace(snapshot, plans=_keyed(snapshot.plans, old, new, "code"))
    if kind is datetime.date:
        return replace(snapshot, holidays=frozenset(_swapped(tuple(snapshot.holidays), old, new)))
    raise TypeError(f"not a policy record: {kind.__name__}")


def _swapped(records: tuple[T, ...], old: object, new: T | None) -> tuple[T, ...]:
    kept = tuple(record for record in records if old is None or record != old)
    return kept if new is None else (*kept, new)


def _keyed(records: Mapping[str, K], old: K | None, new: K | None, key: str) -> dict[str, K]:
    copy = dict(records)
    if old is not None:
        copy.pop(getattr(old, key), None)
    if new is not None:
        copy[getattr(old if old is not None else new, key)] = new
    return copy
