"""The reviewers' pages cost the same number of queries whatever the number of requests."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from priorauth.policies.models import ReviewQueue
from priorauth.requests.models import PriorAuthRequest, Status
from priorauth.review import selectors as review_selectors
from priorauth.review.models import QueueAssignment
from tests.review.test_views import login, open_requests
from tests.review.world import seed  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def queue(nurse, supervisor) -> ReviewQueue:
    queue = ReviewQueue.objects.get(code="mn-car-t")
    QueueAssignment.objects.create(reviewer=nurse, queue=queue)
    return queue


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def fill(queue: ReviewQueue, staff, count: int, reviewer) -> None:
    """Add open requests until the queue holds `count`, a few of them claimed by the reviewer."""
    missing = count - PriorAuthRequest.objects.filter(queue=queue).count()
    rows = open_requests(queue, staff, missing)
    PriorAuthRequest.objects.filter(pk__in=[r.pk for r in rows[:3]]).update(claimed_by=reviewer)


@pytest.mark.parametrize("page_name", ["queue", "queues", "supervisor"])
def test_it_costs_the_same_queries_for_10_and_1000_requests(
    client, nurse, supervisor, provider_staff, queue, page_name
):
    viewer = supervisor if page_name == "supervisor" else nurse
    url = (
        reverse("review:queue", args=[queue.code]) if page_name == "queue" else reverse(f"review:{page_name}")
    )
    login(client, viewer)
    fill(queue, provider_staff, 10, nurse)
    with_10 = queries_for(client, url)
    fill(queue, provider_staff, 1000, nurse)
    with_1000 = queries_for(client, url)
    assert with_10 == with_1000


def test_it_shows_25_requests_a_page_earliest_due_first(client, nurse, provider_staff, queue):
    rows = open_requests(queue, provider_staff, 60)
    login(client, nurse)
    first = client.get(reverse("review:queue", args=[queue.code]))
    third = client.get(reverse("review:queue", args=[queue.code]), {"page": 3})
    assert [row.pa.pk for row in first.context["rows"]] == [r.pk for r in rows[:25]]
    assert [row.pa.pk for row in third.context["rows"]] == [r.pk for r in rows[50:]]


def test_it_counts_every_queue_in_one_query(nurse, supervisor, provider_staff, queue):
    open_requests(queue, provider_staff, 30)
    with CaptureQueriesContext(connection) as captured:
        queues = review_selectors.supervisor_overview()
    assert len(captured) == 1
    assert next(q for q in queues if q.code == queue.code).open_count == 30


def test_it_counts_open_pended_at_risk_and_overdue_alike_for_supervisor_and_reviewer(
    nurse, provider_staff, queue
):
    # PostgreSQL counts through its own query (see `_counted_by_queue`): run this there too.
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    open_requests(queue, provider_staff, 2)  # on track
    open_requests(queue, provider_staff, 1, at_risk_at=now - hour, due_at=now + hour)
    late = open_requests(queue, provider_staff, 1, at_risk_at=now - 3 * hour, due_at=now - 2 * hour)[0]
    open_requests(queue, provider_staff, 1, status=Status.PENDED, due_at=None, at_risk_at=None)
    open_requests(queue, provider_staff, 1, status=Status.APPROVED, due_at=now - 9 * hour)
    open_requests(ReviewQueue.objects.get(code="benefits"), provider_staff, 3)

    def counts(found) -> tuple:
        q = next(q for q in found if q.code == queue.code)
        return q.open_count, q.pended_count, q.at_risk_count, q.overdue_count, q.oldest_due

    expected = (5, 1, 1, 1, late.due_at)
    assert counts(review_selectors.supervisor_overview(now)) == expected
    assert counts(review_selectors.reviewer_queues(nurse, now)) == expected
    assert [q.code for q in review_selectors.reviewer_queues(nurse, now)] == [queue.code]
    empty = next(q for q in review_selectors.supervisor_overview(now) if q.code == "transplant")
    assert (empty.open_count, empty.overdue_count, empty.oldest_due) == (0, 0, None)
