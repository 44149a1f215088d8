"""The member lookup's periodic task: its counters pruned (ids and rules in the service)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from priorauth.lookup.services import lookups_prune


@shared_task(name="lookup.prune", acks_late=True, ignore_result=True)
def prune_lookups() -> int:
    """Delete the lookup attempts and locks no limit reads any more."""
    return lookups_prune(now=timezone.now())
