"""Misses sent all at once still lock after five: a user's lookups run one at a time (PostgreSQL)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from priorauth.lookup import services
from priorauth.lookup.models import LookupAttempt, LookupLock
from priorauth.lookup.services import LookupRefused, lookup_member
from priorauth.notifications.models import Event, Notification
from tests.requests.test_concurrent_submit import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL: set DATABASE_URL=postgres://...")


def test_eight_misses_at_once_count_five_and_lock_once(provider_staff, supervisor):
    def miss(day: int):
        return lambda: lookup_member(
            user=provider_staff, member_id="OH1000001", date_of_birth=datetime.date(1961, 1, day)
        )

    results = run_together(*(miss(day) for day in range(1, 9)))
    refused = [result for result in results if isinstance(result, LookupRefused)]
    assert len(refused) == 8 - services.MISSES_BEFORE_LOCK + 1, results
    assert LookupAttempt.objects.filter(user=provider_staff).count() == services.MISSES_BEFORE_LOCK
    assert LookupLock.objects.filter(user=provider_staff).count() == 1
    assert Notification.objects.filter(event=Event.LOOKUP_BURST).count() == 1
