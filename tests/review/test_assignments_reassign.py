"""The supervisor's page: each queue's requests due first, with their claimant, reassigned from there."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from priorauth.members.models import Role
from priorauth.policies.models import ReviewQueue
from priorauth.requests.models import EventKind, PriorAuthRequest, Status
from priorauth.review.models import QueueAssignment
from priorauth.review.selectors import QueueFilters, queue_page
from priorauth.review.supervisor_selectors import supervisor_queues
from tests.conftest import make_user
from tests.review.test_views import login, open_requests
from tests.review.world import other_nurse, seed  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def queue(nurse, other_nurse) -> ReviewQueue:
    queue = ReviewQueue.objects.get(code="mn-car-t")
    for reviewer in (nurse, other_nurse):
        QueueAssignment.objects.create(reviewer=reviewer, queue=queue)
    return queue


def urgent(response, queue: ReviewQueue) -> list[PriorAuthRequest]:
    (item,) = [item for item in response.context["overview"] if item.queue.pk == queue.pk]
    return [row.pa for row in item.urgent]


def test_it_lists_each_queues_five_requests_due_first_with_due_badge_and_claimant(
    client, supervisor, nurse, provider_staff, queue
):
    overdue = timezone.now() - datetime.timedelta(hours=1)
    rows = open_requests(queue, provider_staff, 7)
    late = open_requests(queue, provider_staff, 1, due_at=overdue, at_risk_at=overdue)[0]
    PriorAuthRequest.objects.filter(pk=rows[0].pk).update(claimed_by=nurse)
    response = login(client, supervisor).get(reverse("review:supervisor"))
    assert [pa.pk for pa in urgent(response, queue)] == [late.pk] + [r.pk for r in rows[:4]]
    page = response.content.decode()
    late_row = page.split(f'<tr data-request="{late.pk}"')[1].split("</tr>")[0]
    assert 'data-state="overdue">Overdue</span>' in late_row and "Not claimed" in late_row
    claimed_row = page.split(f'<tr data-request="{rows[0].pk}"')[1].split("</tr>")[0]
    assert '<td data-testid="claimant">nina</td>' in claimed_row
    assert f'data-request="{rows[5].pk}"' not in page


def test_it_shows_each_queues_first_five_as_its_own_page_orders_them(supervisor, provider_staff, queue):
    # Ties on due time go by id; a stopped clock (no due time) comes last; closed requests never show.
    soon = timezone.now() + datetime.timedelta(days=2)
    open_requests(queue, provider_staff, 1, status=Status.APPROVED, due_at=soon, at_risk_at=soon)
    stopped = open_requests(queue, provider_staff, 1, status=Status.PENDED, due_at=None, at_risk_at=None)
    tied = open_requests(queue, provider_staff, 2, due_at=soon, at_risk_at=soon)
    later = open_requests(queue, provider_staff, 4)
    benefits = ReviewQueue.objects.get(code="benefits")
    (only,) = open_requests(benefits, provider_staff, 1, status=Status.PENDED, due_at=None, at_risk_at=None)
    shown = {item.queue.code: [row.pa.pk for row in item.urgent] for item in supervisor_queues()}
    assert shown[queue.code] == [r.pk for r in tied + later[:3]]
    _, page = queue_page(queue, QueueFilters(), 1)
    assert shown[queue.code] == [row.pa.pk for row in page[:5]] and stopped[0].pk not in shown[queue.code]
    assert shown["benefits"] == [only.pk] and shown["transplant"] == []


def test_it_reassigns_from_the_page_to_a_reviewer_of_the_queue_with_the_csrf_token(
    supervisor, nurse, other_nurse, provider_staff, queue
):
    (pa,) = open_requests(queue, provider_staff, 1, claimed_by=nurse)
    client = login(Client(enforce_csrf_checks=True), supervisor)
    page = client.get(reverse("review:supervisor")).content.decode()
    form = page.split(f'action="{reverse("review:supervisor_reassign", args=[pa.pk])}"')[1].split("</form>")[
        0
    ]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert f'value="{other_nurse.pk}"' in form and f'value="{nurse.pk}"' not in form  # she holds it already
    data = {"reassign-reviewer": other_nurse.pk, "reassign-reason": "Nina is on leave."}
    url = reverse("review:supervisor_reassign", args=[pa.pk])
    assert client.post(url, data).status_code == 403
    response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response.url == f"{reverse('review:supervisor')}#queue-mn-car-t"
    pa.refresh_from_db()
    assert pa.claimed_by == other_nurse
    line = pa.events.get(kind=EventKind.REASSIGNED)
    assert line.actor == supervisor and line.reason == "From nina to noah: Nina is on leave."
    assert f"Request {pa} is now with noah." in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("reviewer", "reason", "message"),
    [
        ("stranger_nurse", "Cover.", "is not assigned to the Medical necessity: CAR-T queue."),
        ("other_nurse", "  ", "Please give the reason for reassigning."),
        ("", "Cover.", "Please choose a reviewer."),
    ],
)
def test_it_shows_a_refusal_on_the_page_keeps_the_input_and_changes_nothing(
    request, client, supervisor, nurse, provider_staff, queue, reviewer, reason, message
):
    (pa,) = open_requests(queue, provider_staff, 1, claimed_by=nurse)
    if reviewer == "stranger_nurse":
        chosen = str(make_user("stella", Role.CLINICAL_REVIEWER).pk)
    else:
        chosen = str(request.getfixturevalue(reviewer).pk) if reviewer else ""
    response = login(client, supervisor).post(
        reverse("review:supervisor_reassign", args=[pa.pk]),
        {"reassign-reviewer": chosen, "reassign-reason": reason},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'data-testid="reassign-refused"' in page
    row = page.split(f'<tr data-request="{pa.pk}"')[1].split("</tr>")[0]
    assert "<details open>" in row and f'value="{reason}"' in row
    pa.refresh_from_db()
    assert pa.claimed_by == nurse and not pa.events.filter(kind=EventKind.REASSIGNED).exists()


def test_it_answers_a_request_that_does_not_exist_with_a_message(client, supervisor, other_nurse, queue):
    response = login(client, supervisor).post(
        reverse("review:supervisor_reassign", args=[999999]),
        {"reassign-reviewer": other_nurse.pk, "reassign-reason": "Cover."},
    )
    assert response.status_code == 200 and "No such request." in response.content.decode()


def test_it_gives_nurses_no_reassign_url(client, nurse, other_nurse, provider_staff, queue):
    (pa,) = open_requests(queue, provider_staff, 1, claimed_by=nurse)
    response = login(client, nurse).post(
        reverse("review:supervisor_reassign", args=[pa.pk]),
        {"reassign-reviewer": other_nurse.pk, "reassign-reason": "Mine now."},
    )
    assert response.status_code == 404
    pa.refresh_from_db()
    assert pa.claimed_by == nurse


def test_it_costs_the_same_queries_for_more_queues_requests_and_people(
    client, supervisor, nurse, provider_staff, queue
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("review:supervisor")).status_code == 200
        return len(captured)

    login(client, supervisor)
    open_requests(queue, provider_staff, 2, claimed_by=nurse)
    few = queries()
    for code in ("mn-general", "transplant", "benefits"):
        other = ReviewQueue.objects.get(code=code)
        open_requests(other, provider_staff, 300, claimed_by=nurse)
        for n in range(3):
            QueueAssignment.objects.create(
                reviewer=make_user(f"{code}-{n}", Role.PHYSICIAN_REVIEWER), queue=other
            )
        QueueAssignment.objects.create(reviewer=make_user(f"{code}-watch", Role.SUPERVISOR), queue=other)
    open_requests(queue, provider_staff, 300)
    response = client.get(reverse("review:supervisor"))
    assert sum(len(item.urgent) for item in response.context["overview"]) == 20
    assert queries() == few


def test_it_offers_an_assignment_link_for_a_queue_nobody_works(client, supervisor, provider_staff):
    queue = ReviewQueue.objects.get(code="benefits")
    (pa,) = open_requests(queue, provider_staff, 1)
    page = login(client, supervisor).get(reverse("review:supervisor")).content.decode()
    row = page.split(f'<tr data-request="{pa.pk}"')[1].split("</tr>")[0]
    assert "Assign a reviewer to this queue first" in row and "<form" not in row
