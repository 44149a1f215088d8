"""The open requests the current policy records would route to another queue."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass

from priorauth.policies.impact import compare
from priorauth.policies.impact.selectors import request_rows
from priorauth.policies.models import ReviewQueue
from priorauth.policies.selectors import policy_snapshot


@dataclass(frozen=True)
class Candidates:
    """The requests to re-route and a fingerprint of the list, so an action moves what was shown."""

    items: list[tuple[compare.RequestRow, compare.Outcome]]
    fingerprint: str


def reroute_candidates(*, ids: Collection[int] | None = None) -> Candidates:
    """Return the open requests (among `ids`, if given) the current records route elsewhere."""
    rows = request_rows(since=None, open_only=True)
    if ids is not None:
        wanted = set(ids)
        rows = [row for row in rows if row.id in wanted]
    items = compare.rerouted(rows, policy_snapshot())
    listed = ",".join(f"{row.id}>{outcome.queue}" for row, outcome in items)
    return Candidates(items, hashlib.sha256(listed.encode()).hexdigest()[:32])


def queue_names() -> dict[str, str]:
    """Return every queue's name by its code."""
    return dict(ReviewQueue.objects.values_list("code", "name"))
