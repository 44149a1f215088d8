"""Project-wide Celery tasks: small, id- or value-only arguments, the work done by services."""

from __future__ import annotations

import datetime

from priorauth.celery import app
from priorauth.policies.selectors import policies_in_effect_count


@app.task(name="priorauth.count_policies_in_effect")
def count_policies_in_effect(day: str) -> int:
    """Return how many policy versions are in effect on a day given as YYYY-MM-DD.

    `check_stack` sends it through the broker and compares the worker's answer with its own.
    """
    return policies_in_effect_count(day=datetime.date.fromisoformat(day))
