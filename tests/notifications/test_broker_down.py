"""A submit with the broker down: one short connection attempt, the change stands, the relay takes over.

Against a real closed port (nothing listens there), with or without REDIS_URL: the broker is
down either way. How long the submit takes is measured by the drill, not here; this checks
what makes it short: one attempt, the configured connect timeout, no retry loop.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from redis.connection import Connection

from priorauth.celery import app
from priorauth.notifications import delivery
from priorauth.notifications.models import DeliveryStatus
from tests.notifications.conftest import emails
from tests.notifications.test_broker import UNREACHABLE, broker_at
from tests.review.world import submitted


@pytest.fixture
def broker_down() -> Iterator[None]:
    """Send tasks to a broker that is down, for the test; then back to the settings' broker."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with broker_at(UNREACHABLE):
            yield
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture
def connection_attempts(monkeypatch) -> list[float | None]:
    """Return the connect timeout of each attempt to open a connection to Redis."""
    attempts: list[float | None] = []
    connect = Connection._connect

    def counted(self: Connection):
        attempts.append(self.socket_connect_timeout)
        return connect(self)

    monkeypatch.setattr(Connection, "_connect", counted)
    return attempts


def test_it_tries_a_broker_that_is_down_once_with_the_short_connect_timeout(
    provider_staff, broker_down, connection_attempts, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        pa = submitted(provider_staff, "OH")
    assert connection_attempts == [settings.BROKER_CONNECT_TIMEOUT]
    assert settings.BROKER_CONNECT_TIMEOUT <= 0.5
    assert pa.status == "in_review" and pa.number  # the submit stands
    assert f"notification {emails()[0].pk} not queued (OperationalError)" in caplog.text


def test_it_leaves_the_rows_it_could_not_hand_over_to_the_relays_next_run(
    provider_staff, other_staff, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted(provider_staff, "OH")
        submitted(other_staff, "OH")
    rows = emails()
    assert [(row.status, row.queued_at) for row in rows] == [(DeliveryStatus.PENDING, None)] * 2
    assert mail.outbox == []
    # Not a minute later, as for rows the broker took and lost: at once.
    assert delivery.notifications_relay(now=timezone.now()) == [row.pk for row in rows]
