"""The review side's periodic task: approvals by operation of law at missed state deadlines."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from priorauth.review.determinations import deemed_approvals_record

log = logging.getLogger(__name__)


@shared_task(name="review.record_deemed_approvals", acks_late=True)
def record_deemed_approvals() -> int:
    """Return how many requests the law approved since the last run (the beat runs it every 5 minutes)."""
    recorded = deemed_approvals_record(now=timezone.now())
    if recorded:
        log.info("%s request(s) approved by operation of law", recorded)
    return recorded
