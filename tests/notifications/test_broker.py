"""Through real Redis and a real Celery worker (started here, in a thread): delivery, an outage, redelivery.

Skipped without REDIS_URL: then settings run tasks in-process and there is no broker to test.
No controlled clock here (it would freeze the worker's own timers); the relay's minute is
passed by dating the rows back instead.
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from celery.contrib.testing import tasks as testing_tasks
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun, task_prerun
from django.core import mail
from django.db import connection
from django.db.models import F

from priorauth.celery import app
from priorauth.notifications import services
from priorauth.notifications.models import DeliveryStatus, Notification
from priorauth.notifications.tasks import deliver_notification, relay_pending_notifications
from tests.notifications.conftest import emails
from tests.review.world import submitted

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="REDIS_URL is unset: no broker to test against"
    ),
    pytest.mark.django_db(transaction=True),
]

UNREACHABLE = "redis://127.0.0.1:6390/0"  # nothing listens there: the broker is down


def _close_worker_connection(**_: object) -> None:
    # The worker thread opens its own database connection; closing it after each task lets the
    # test database be flushed and dropped afterwards.
    connection.close()


@pytest.fixture
def ran() -> Iterator[list[tuple[str, bool]]]:
    """Return the (task name, ran in-process) of each task the worker runs."""
    seen: list[tuple[str, bool]] = []

    def record(task: object, **_: object) -> None:
        seen.append((task.name, bool(task.request.is_eager)))  # type: ignore[attr-defined]

    task_prerun.connect(record, weak=False)
    yield seen
    task_prerun.disconnect(record)


@contextmanager
def worker() -> Iterator[None]:
    task_postrun.connect(_close_worker_connection, weak=False)
    try:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=True, shutdown_timeout=30):
            yield
    finally:
        task_postrun.disconnect(_close_worker_connection)


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Point the app's producers at another broker for the block, then back."""
    previous = app.conf.broker_url

    def point(to: str) -> None:
        app.conf.broker_url = to
        # Forget the cached pools (kombu keeps one per URL): the next send connects to `to`.
        app._pool = None
        app.amqp._producer_pool = None

    point(url)
    try:
        yield
    finally:
        point(previous)


def wait_until_sent(expected: int, timeout: float = 30) -> list[Notification]:
    """Return the sent email rows once `expected` are sent (the worker runs in another thread)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent = emails(status=DeliveryStatus.SENT)
        if len(sent) >= expected and not emails(status=DeliveryStatus.SENDING):
            return sent
        time.sleep(0.1)
    raise AssertionError(f"{expected} emails not sent within {timeout} s: {[n.status for n in emails()]}")


def drained() -> None:
    """Return once the worker has run every task sent before this call (one at a time, in order)."""
    assert testing_tasks.ping.delay().get(timeout=30) == "pong"


def test_it_delivers_the_acknowledgement_through_the_broker(provider_staff, ran):
    assert app.conf.task_always_eager is False and app.conf.broker_url.startswith("redis://")
    with worker():
        pa = submitted(provider_staff, "OH")  # committed: the hook sends the task to Redis
        (row,) = wait_until_sent(1)
    assert ("notifications.deliver", False) in ran  # run by the worker, not in-process
    assert [m.subject for m in mail.outbox] == [f"Request {pa.number}: received"]
    assert row.request_id == pa.pk and row.attempts == 1


def test_it_keeps_submissions_through_an_outage_and_relays_each_once_the_broker_is_back(
    provider_staff, other_staff, caplog
):
    with broker_at(UNREACHABLE):
        first = submitted(provider_staff, "OH")
        second = submitted(other_staff, "OH")
    assert first.status == second.status == "in_review" and first.number and second.number
    assert mail.outbox == []
    assert [n.status for n in emails()] == ["pending", "pending"]
    assert "not queued (OperationalError)" in caplog.text
    # A minute later, with the broker back, beat's relay hands the rows over.
    Notification.objects.update(queued_at=F("queued_at") - datetime.timedelta(minutes=2))
    with worker():
        relay_pending_notifications.delay()
        wait_until_sent(2)
        relay_pending_notifications.delay()  # a second run finds nothing left to send
        deliver_notification.delay(emails()[0].pk)  # nor does a stray duplicate of a task
        relay_pending_notifications.delay()
        drained()
    assert sorted(m.subject for m in mail.outbox) == sorted(
        [f"Request {first.number}: received", f"Request {second.number}: received"]
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["olivia@example.org", "stranger@example.org"]


def test_it_sends_one_email_when_the_same_delivery_task_arrives_twice(provider_staff, monkeypatch):
    monkeypatch.setattr(services, "send_to_broker", lambda ids: None)  # keep the row for the test to queue
    pa = submitted(provider_staff, "OH")
    (row,) = emails()
    with worker():
        deliver_notification.delay(row.pk)
        deliver_notification.delay(row.pk)
        relay_pending_notifications.delay()
        wait_until_sent(1)
        drained()
    assert [m.subject for m in mail.outbox] == [f"Request {pa.number}: received"]
