"""A real Celery worker, in a thread, takes the task from Redis and returns its result through it.

Skipped without REDIS_URL: then settings run tasks in-process and there is no broker to test.
"""

from __future__ import annotations

import datetime
import io
import os

import pytest
from celery.contrib.testing import tasks as testing_tasks  # noqa: F401  (registers celery.ping)
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core.management import call_command
from django.db import connection

from priorauth.celery import app
from priorauth.policies.models import Policy
from priorauth.tasks import count_policies_in_effect

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="REDIS_URL is unset: no broker to test against"
    ),
    pytest.mark.django_db(transaction=True),
]

DAY = datetime.date(2026, 6, 1)


def _close_worker_connection(**_: object) -> None:
    # The worker thread opens its own database connection; closing it after each task lets
    # the test database be flushed and dropped afterwards.
    connection.close()


@pytest.fixture
def worker():
    task_postrun.connect(_close_worker_connection, weak=False)
    try:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=True, shutdown_timeout=30):
            yield
    finally:
        task_postrun.disconnect(_close_worker_connection)


def make_policy(number: str, effective: str, archived: str | None = None) -> Policy:
    return Policy.objects.create(
        number=number,
        title=f"Policy {number}",
        type="administrative",
        lines_of_business=["marketplace"],
        states=["OH"],
        effective=datetime.date.fromisoformat(effective),
        archived=datetime.date.fromisoformat(archived) if archived else None,
    )


def test_it_runs_through_the_broker_and_not_in_process():
    assert app.conf.task_always_eager is False
    assert app.conf.broker_url.startswith("redis://")


def test_it_returns_the_task_result_from_a_real_worker(worker):
    make_policy("MP-AD-1623", "2026-05-01")
    make_policy("MM-0001", "2025-01-01", archived="2026-06-01")  # archived that very day: not in effect
    make_policy("MM-0002", "2026-07-01")  # not yet in effect
    result = count_policies_in_effect.delay(DAY.isoformat())
    assert result.get(timeout=30) == 1
    assert result.successful()
    assert result.task_id  # a real id issued by the broker round trip, not an eager result
    assert type(result).__name__ == "AsyncResult"


def test_it_passes_check_stack_with_a_worker_running(worker):
    make_policy("MP-AD-1623", "2020-01-01")
    out = io.StringIO()
    call_command("check_stack", "--timeout", "30", stdout=out)
    assert "worker: ok (1 policy versions in effect" in out.getvalue()
    assert "redis://" in out.getvalue()
