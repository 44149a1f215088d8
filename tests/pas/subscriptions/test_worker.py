"""Through real Redis and a real Celery worker: a pend's notification reaches the listener once.

Skipped without REDIS_URL (no broker to test against), as the outbox's own broker tests are.
"""

from __future__ import annotations

import datetime
import os
import time

import pytest
from django.utils import timezone

from priorauth.notifications.models import Channel, DeliveryStatus, Notification
from priorauth.review import services as review
from tests.notifications.test_broker import worker
from tests.pas.subscriptions.conftest import NOTIFY_TOKEN, subscribe, subscription_resource
from tests.pas.subscriptions.listener import focus_bundle, review_action_codes
from tests.pas.subscriptions.test_notifications import submitted_by
from tests.review.world import claimed, seed  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="REDIS_URL is unset: no broker to test against"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_it_delivers_a_pend_notification_through_the_broker(
    seed, ehr, organization, provider_staff, nurse, listener
):
    with worker():
        assert subscribe(ehr[1], subscription_resource(listener.url, organization.npi)).status_code == 201
        pa = claimed(nurse, submitted_by(ehr[0], provider_staff))
        # Committed: the commit hook hands the row's id to Redis, the worker posts it.
        review.review_pend(
            user=nurse,
            request_id=pa.pk,
            needed="PET-CT.",
            respond_by=timezone.now() + datetime.timedelta(days=50),
        )
        (received,) = listener.wait_for(1, timeout=30)
        deadline = time.monotonic() + 10
        row = Notification.objects.get(channel=Channel.REST_HOOK)
        while row.status != DeliveryStatus.SENT and time.monotonic() < deadline:
            time.sleep(0.1)
            row.refresh_from_db()
    assert received.headers["Authorization"] == NOTIFY_TOKEN
    assert review_action_codes(focus_bundle(received.body)) == ["A4"]
    assert row.status == DeliveryStatus.SENT and row.attempts == 1
    assert len(listener.notifications()) == 1
