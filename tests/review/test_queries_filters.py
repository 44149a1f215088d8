"""A queue's filtered pages: the state stored at routing, a constant number of queries, an index each."""

from __future__ import annotations

import importlib
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from priorauth.members.models import Plan
from priorauth.policies.models import ReviewQueue
from priorauth.requests.models import PriorAuthRequest, Status
from priorauth.review import selectors as review_selectors
from priorauth.review.selectors import QueueFilters
from tests.review.test_queries import fill, queries_for, queue  # noqa: F401 (fixture)
from tests.review.test_views import login
from tests.review.world import member_in, seed, submitted  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("seed")

FILTERS = {
    "urgency": {"urgency": "expedited"},
    "category": {"category": "tcr_t"},
    "state": {"state": "WV"},
    "status": {"status": "pended"},
    "claimed": {"claim": "mine"},
    "unclaimed": {"claim": "unclaimed"},
}


def test_it_stores_the_plans_state_when_the_request_is_routed(provider_staff):
    pa = submitted(provider_staff, "IN")
    assert pa.plan_state == "IN"


def test_it_keeps_a_request_under_the_state_it_was_routed_in(provider_staff):
    pa = submitted(provider_staff, "IN")
    # The member moves to an Ohio plan after submission: the request's timeframe stays Indiana's.
    pa.member.plan = Plan.objects.get(code="OH-MKT-SILVER-2026")
    pa.member.save()
    queue = ReviewQueue.objects.get(pk=pa.queue_id)
    found = review_selectors.queue_requests(queue, QueueFilters(state="IN"))
    assert list(found) == [pa]
    assert not review_selectors.queue_requests(queue, QueueFilters(state="OH")).exists()


@pytest.mark.parametrize("name", FILTERS)
def test_a_filtered_page_costs_the_same_queries_for_10_and_1000_requests(
    client, nurse, provider_staff, queue, name
):
    url = reverse("review:queue", args=[queue.code])
    login(client, nurse)
    fill(queue, provider_staff, 10, nurse)
    filtered = f"{url}?{urlencode(FILTERS[name])}"
    with_10 = queries_for(client, filtered)
    fill(queue, provider_staff, 1000, nurse)
    with_1000 = queries_for(client, filtered)
    assert with_10 == with_1000


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        (QueueFilters(), "request_open_queue_due"),
        (QueueFilters(urgency="expedited"), "request_open_queue_urgency"),
        (QueueFilters(category="tcr_t"), "request_open_queue_category"),
        (QueueFilters(state="WV"), "request_open_queue_state"),
        (QueueFilters(claim="mine"), "request_open_claimed_queue"),
    ],
)
def test_each_filter_reads_the_queue_through_its_own_index(nurse, queue, filters, index):
    if connection.vendor != "postgresql":
        pytest.skip("the partial indexes are checked on PostgreSQL, which production runs")
    found = review_selectors.queue_requests(queue, filters, nurse)[:26]
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        # A near-empty table is cheapest to scan whole; the question is which index serves the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert f"Index Scan using {index} on requests_priorauthrequest" in plan
    assert "Sort Key" not in plan


def test_the_migration_stores_the_state_of_requests_already_routed(provider_staff):
    routed = submitted(provider_staff, "WV")
    draft = PriorAuthRequest.objects.create(
        organization_id=provider_staff.organization_id, member=member_in("GA"), submitted_by=provider_staff
    )
    PriorAuthRequest.objects.update(plan_state="")
    migration = importlib.import_module("priorauth.requests.migrations.0004_queue_indexes")
    migration.plan_state_fill(apps, None)
    assert PriorAuthRequest.objects.get(pk=routed.pk).plan_state == "WV"
    assert PriorAuthRequest.objects.get(pk=draft.pk).plan_state == ""
    assert draft.status == Status.DRAFT
