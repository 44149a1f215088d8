"""Checks that the running stack works: the database, the Celery broker and a worker round trip.

Used by the `check_stack` management command and its task; nothing here reads member data.
"""

from __future__ import annotations

import datetime

from celery import Celery
from django.db import DatabaseError, connection

from priorauth.policies.selectors import policies_in_effect_count
from priorauth.tasks import count_policies_in_effect


class StackError(Exception):
    """A part of the stack that does not answer, with a message a person can act on."""


def database_check() -> str:
    """Return the database vendor after a trivial query; raise StackError when it fails."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        raise StackError(f"The database does not answer: {error}") from error
    return connection.vendor


def broker_check(app: Celery) -> str:
    """Return a description of the broker after connecting to it; raise StackError when it fails."""
    if app.conf.task_always_eager:
        return "none: REDIS_URL is unset, so Celery runs tasks in-process (eager)"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1)
            return conn.as_uri()
    except Exception as error:  # kombu raises transport-specific errors
        raise StackError(f"The Celery broker does not answer: {error}") from error


def worker_round_trip(app: Celery, *, day: datetime.date, timeout: float) -> int:
    """Return the count of policies in effect as computed by a worker through the broker.

    Raise StackError when no worker answers, the task fails, or its answer differs from the
    count this process reads from the database.
    """
    if not app.conf.task_always_eager and not app.control.ping(timeout=min(timeout, 5.0)):
        raise StackError("No Celery worker answered a ping: start one with `celery -A priorauth worker`.")
    try:
        remote = count_policies_in_effect.delay(day.isoformat()).get(timeout=timeout)
    except Exception as error:  # the task's own exception or a timeout, re-raised by Celery
        raise StackError(f"The worker round trip failed: {error!r}") from error
    local = policies_in_effect_count(day=day)
    if remote != local:
        raise StackError(f"The worker counted {remote} policies in effect, the database here {local}.")
    return remote
