"""A queue page shows no total: one row more than a page tells whether a next page exists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from priorauth.policies.models import ReviewQueue
from priorauth.review import selectors as review_selectors
from priorauth.review.models import QueueAssignment
from priorauth.review.selectors import QueueFilters
from tests.review.test_views import login, open_requests
from tests.review.world import seed  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def queue() -> ReviewQueue:
    return ReviewQueue.objects.get(code="mn-car-t")


def test_it_knows_a_next_page_without_counting_the_queue(queue, provider_staff):
    rows = open_requests(queue, provider_staff, 26)
    first, shown = review_selectors.queue_page(queue, QueueFilters(), None)
    second, last = review_selectors.queue_page(queue, QueueFilters(), "2")
    assert (first.has_next, first.has_previous, len(shown)) == (True, False, 25)
    assert (second.has_next, second.has_previous, [r.pa.pk for r in last]) == (False, True, [rows[25].pk])
    assert (second.first_index, second.last_index) == (26, 26)


def test_it_has_no_next_page_when_the_queue_fills_exactly_one(queue, provider_staff):
    open_requests(queue, provider_staff, 25)
    page, shown = review_selectors.queue_page(queue, QueueFilters(), 1)
    assert (page.has_next, page.has_other_pages, len(shown)) == (False, False, 25)


@pytest.mark.parametrize(
    "asked", ["9", "nonsense", "-3", None, "1000001", "99999999999999999999999", "9" * 5000]
)
def test_it_gives_the_first_page_for_a_page_past_the_end_or_not_a_number(queue, provider_staff, asked):
    rows = open_requests(queue, provider_staff, 3)
    page, shown = review_selectors.queue_page(queue, QueueFilters(), asked)
    assert page.number == 1 and [r.pa.pk for r in shown] == [r.pk for r in rows]


def test_it_says_which_requests_the_page_shows(client, nurse, queue, provider_staff):
    QueueAssignment.objects.create(reviewer=nurse, queue=queue)
    open_requests(queue, provider_staff, 30)
    page = login(client, nurse).get(reverse("review:queue", args=[queue.code]), {"page": 2})
    text = page.content.decode()
    assert "Open requests 26 to 30, the earliest due first." in text
    assert "Page 2<" in text and "Previous" in text and ">Next<" not in text


def test_it_answers_a_page_number_no_queue_could_reach_with_the_first_page(
    client, nurse, queue, provider_staff
):
    QueueAssignment.objects.create(reviewer=nurse, queue=queue)
    open_requests(queue, provider_staff, 3)
    url = reverse("review:queue", args=[queue.code])
    response = login(client, nurse).get(url, {"page": "99999999999999999999999"})
    assert response.status_code == 200
    assert "Open requests 1 to 3, the earliest due first." in response.content.decode()
