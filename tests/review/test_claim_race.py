"""Two reviewers claiming the same request at the same moment: one wins, one is told who did."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from priorauth.requests.models import EventKind
from priorauth.review.services import ReviewError, review_claim
from tests.review.world import assign, other_nurse, seed, submitted  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (SQLite serialises writers): set DATABASE_URL")


def run_together(*calls):
    """Return each call's result or exception, the calls started together on their own connections."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_it_gives_a_request_claimed_twice_at_once_to_one_reviewer(seed, provider_staff, nurse, other_nurse):
    pa = submitted(provider_staff, "OH")
    assign(nurse, pa)
    assign(other_nurse, pa)

    def claim_as(user):
        return lambda: review_claim(user=user, request_id=pa.pk).claimed_by_id

    for _ in range(5):
        results = run_together(claim_as(nurse), claim_as(other_nurse))
        winners = [result for result in results if isinstance(result, int)]
        losers = [result for result in results if isinstance(result, ReviewError)]
        assert len(winners) == 1 and len(losers) == 1, results
        winner = nurse if winners[0] == nurse.pk else other_nurse
        assert str(losers[0]) == f"Already claimed by {winner.username}."
        pa.refresh_from_db()
        assert pa.claimed_by == winner
        type(pa).objects.filter(pk=pa.pk).update(claimed_by=None, claimed_at=None)
    assert pa.events.filter(kind=EventKind.CLAIMED).count() == 5
