"""Queue assignments: a supervisor set to watch a queue gets its warnings and never becomes its reviewer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from priorauth.members.models import Role
from priorauth.notifications.models import Event, Notification
from priorauth.notifications.services import notify_request_event, queue_supervisors
from priorauth.review.models import QueueAssignment
from priorauth.review.services import ReviewError, review_reassign
from tests.conftest import make_user
from tests.review.test_views import login
from tests.review.world import assign, seed, submitted  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def pa(provider_staff):
    return submitted(provider_staff, "OH")


@pytest.fixture
def watcher(db):
    return make_user("wendy", Role.SUPERVISOR)


def assign_on_page(client, person, queue):
    return client.post(
        reverse("review:assignments"), {"assign-reviewer": person.pk, "assign-queue": queue.pk}
    )


def warned(event: str) -> list[str]:
    found = Notification.objects.filter(event=event, channel="in_app").select_related("recipient")
    return sorted(n.recipient.username for n in found)


def test_it_warns_only_the_supervisor_assigned_on_the_page_to_watch_the_queue(
    client, supervisor, watcher, pa
):
    login(client, supervisor)
    page = client.get(reverse("review:assignments")).content.decode()
    assert f'<option value="{watcher.pk}">wendy (Supervisor)</option>' in page
    response = assign_on_page(client, watcher, pa.queue)
    assert response.status_code == 302
    assert f"wendy now watches {pa.queue.name}." in client.get(response.url).content.decode()
    assert queue_supervisors(pa.queue_id) == [watcher]
    notify_request_event(request=pa, event=Event.AT_RISK)
    assert warned(Event.AT_RISK) == ["wendy"]
    overview = client.get(reverse("review:supervisor")).content.decode()
    watched = overview.split(f'<tr data-queue="{pa.queue.code}">')[1].split("</tr>")[0]
    assert '<td class="small" data-testid="watched-by">wendy</td>' in watched
    assert "Every supervisor" in overview.split('<tr data-queue="triage">')[1].split("</tr>")[0]


def test_it_warns_every_supervisor_while_a_queue_has_none_assigned(supervisor, watcher, pa):
    notify_request_event(request=pa, event=Event.AT_RISK)
    assert warned(Event.AT_RISK) == ["sam", "wendy"]


def test_it_never_makes_a_watching_supervisor_a_reviewer_of_the_queue(
    client, provider_staff, nurse, supervisor, watcher, pa
):
    assign(nurse, pa)
    login(client, supervisor)
    assign_on_page(client, watcher, pa.queue)
    second = submitted(provider_staff, "OH")
    assert warned(Event.ROUTED) == ["nina"]  # the new request is news to its reviewers only
    with pytest.raises(ReviewError, match="choose a nurse or physician"):
        review_reassign(user=supervisor, request_id=second.pk, reviewer_id=watcher.pk, reason="Cover.")
    overview = client.get(reverse("review:supervisor"))
    (item,) = [item for item in overview.context["overview"] if item.queue.pk == pa.queue_id]
    assert (item.reviewers, item.watchers) == ([nurse], [watcher])
    reassign_form = (
        overview.content.decode().split(f'id="reassign-{pa.pk}-reviewer"')[1].split("</select>")[0]
    )
    assert f'value="{nurse.pk}"' in reassign_form and f'value="{watcher.pk}"' not in reassign_form


def test_it_refuses_to_assign_provider_staff_with_a_plain_message(client, supervisor, provider_staff, pa):
    response = assign_on_page(login(client, supervisor), provider_staff, pa.queue)
    assert response.status_code == 200
    assert (
        "Please choose an active nurse, physician or supervisor from the list." in response.content.decode()
    )
    assert not QueueAssignment.objects.exists()


def test_it_says_a_supervisor_already_watches_the_queue(client, supervisor, watcher, pa):
    login(client, supervisor)
    assign_on_page(client, watcher, pa.queue)
    again = assign_on_page(client, watcher, pa.queue)
    assert f"wendy already watches the {pa.queue.name} queue." in again.content.decode()
    assert QueueAssignment.objects.count() == 1


def test_it_lets_policy_admins_assign_a_supervisor_to_watch_a_queue_in_the_admin(
    client, policy_admin, watcher, pa
):
    login(client, policy_admin)
    response = client.post(
        reverse("admin:review_queueassignment_add"), {"reviewer": watcher.pk, "queue": pa.queue_id}
    )
    assert response.status_code == 302
    assert queue_supervisors(pa.queue_id) == [watcher]
