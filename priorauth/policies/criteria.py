"""A policy version's criteria in the records: written from a bundle, read back for its export."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from priorauth.policies.bundle_criteria import CriterionData, export_criteria
from priorauth.policies.models import Criterion, Policy

CHANGE_REASON = "policy bundle import"


def criteria_replace(policy: Policy, wanted: Sequence[CriterionData] | None) -> bool:
    """Return whether the policy's criteria differed from `wanted` and were made equal to it.

    Position by position: a criterion whose words changed is updated in place (its history keeps
    the old words, and marks made on it stay with it), extra ones are added, missing ones removed.
    None leaves the criteria alone.
    """
    if wanted is None:
        return False
    stored = list(policy.criteria.order_by("position", "pk"))
    changed = False
    for position, data in enumerate(wanted):
        values = {"position": position, "text": data.text, "section": data.section, "group": data.group}
        values["evidence"] = data.evidence
        criterion = stored[position] if position < len(stored) else Criterion(policy=policy)
        if criterion.pk is not None and all(getattr(criterion, k) == v for k, v in values.items()):
            continue
        for name, value in values.items():
            setattr(criterion, name, value)
        criterion._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        criterion.save()
        changed = True
    for extra in stored[len(wanted) :]:
        extra._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        extra.delete()
        changed = True
    return changed


def criteria_export(policy: Policy) -> list[dict[str, Any]]:
    """Return the policy's criteria, in order, as the bundle's `criteria` key writes them."""
    return export_criteria(sorted(policy.criteria.all(), key=lambda c: (c.position, c.pk)))
