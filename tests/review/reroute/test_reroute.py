"""A supervisor re-routes, in one confirmed action, the open requests a policy change sends elsewhere."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from priorauth.policies.models import ReviewQueue, RoutingEntry
from priorauth.requests.models import EventKind, PriorAuthRequest, RequestEvent
from priorauth.review.common import ReviewError
from priorauth.review.reroute.selectors import reroute_candidates
from priorauth.review.reroute.services import requests_reroute
from tests.policies.impact.world import prepared, seed  # noqa: F401  (fixtures used by name)
from tests.review.world import claimed

URL = reverse("review:reroute")


@pytest.fixture
def car_t_to_general(prepared):
    """The CAR-T routing entry, saved to point at the general medical-necessity queue."""
    RoutingEntry.objects.filter(key="medical-necessity", category="car_t").update(
        queue=ReviewQueue.objects.get(code="mn-general")
    )
    return prepared


def _confirmed(client: Client) -> dict[str, str]:
    page = client.get(URL)
    return {"fingerprint": page.context["form"].initial["fingerprint"], "confirm": "on"}


def test_it_moves_nothing_when_the_record_is_saved(car_t_to_general):
    assert set(PriorAuthRequest.objects.filter(status="in_review").values_list("queue__code", flat=True)) == {
        "mn-car-t",
        "mn-gene-therapy",
        "mn-general",
    }


def test_it_lists_the_open_requests_the_records_now_send_elsewhere(client, supervisor, car_t_to_general):
    client.force_login(supervisor)

    page = client.get(URL)

    assert page.status_code == 200
    assert page.context["count"] == 3
    text = page.content.decode()
    assert "Re-route these 3 requests" in text
    assert all(pa.number in text for pa in car_t_to_general["yescarta"])
    assert car_t_to_general["closed"][0].number not in text


def test_it_re_routes_them_with_an_event_each_and_keeps_their_due_times(
    client, supervisor, nurse, car_t_to_general
):
    first = claimed(nurse, car_t_to_general["yescarta"][0])
    due = dict(PriorAuthRequest.objects.values_list("pk", "due_at"))
    client.force_login(supervisor)

    response = client.post(URL, _confirmed(client))

    assert response.status_code == 302
    moved = PriorAuthRequest.objects.filter(pk__in=[pa.pk for pa in car_t_to_general["yescarta"]])
    assert {pa.queue.code for pa in moved} == {"mn-general"}
    assert dict(PriorAuthRequest.objects.values_list("pk", "due_at")) == due
    first.refresh_from_db()
    assert first.claimed_by is None and first.decision["queue"] == "mn-general"
    events = RequestEvent.objects.filter(kind=EventKind.MOVED, request__in=moved)
    assert events.count() == 3 and {e.actor for e in events} == {supervisor}
    reason = events.first().reason
    assert "after a change to the policy records" in reason and "goes to queue mn-general" in reason
    # The closed request stays where it was decided, and the list is now empty.
    assert PriorAuthRequest.objects.get(pk=car_t_to_general["closed"][0].pk).queue.code == "mn-car-t"
    assert client.get(URL).context["count"] == 0


def test_it_moves_nothing_without_the_confirmation(client, supervisor, car_t_to_general):
    client.force_login(supervisor)
    data = _confirmed(client)
    del data["confirm"]

    client.post(URL, data)

    assert not RequestEvent.objects.filter(kind=EventKind.MOVED).exists()
    assert client.get(URL).context["count"] == 3


def test_it_refuses_a_list_that_changed_since_it_was_shown(supervisor, car_t_to_general):
    shown = reroute_candidates().fingerprint
    PriorAuthRequest.objects.filter(pk=car_t_to_general["yescarta"][0].pk).update(status="approved")

    with pytest.raises(ReviewError, match="list changed"):
        requests_reroute(user=supervisor, fingerprint=shown)

    assert not RequestEvent.objects.filter(kind=EventKind.MOVED).exists()


def test_it_leaves_a_request_a_supervisor_moved_by_hand_under_unchanged_records(supervisor, prepared):
    pa = prepared["yescarta"][0]
    PriorAuthRequest.objects.filter(pk=pa.pk).update(queue=ReviewQueue.objects.get(code="triage"))

    assert reroute_candidates().items == []


@pytest.mark.parametrize("person", ["nurse", "physician", "policy_admin", "provider_staff"])
def test_it_is_not_there_for_anyone_but_a_supervisor(client, person, request, car_t_to_general):
    client.force_login(request.getfixturevalue(person))

    assert client.get(URL).status_code == 404
    assert (
        client.post(URL, {"fingerprint": reroute_candidates().fingerprint, "confirm": "on"}).status_code
        == 404
    )

    assert not RequestEvent.objects.filter(kind=EventKind.MOVED).exists()


def test_its_service_refuses_a_non_supervisor(nurse, car_t_to_general):
    with pytest.raises(ReviewError, match="Only a supervisor"):
        requests_reroute(user=nurse, fingerprint=reroute_candidates().fingerprint)
