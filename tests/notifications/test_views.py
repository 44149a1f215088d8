"""The notification centre: one's own notifications, unread first, marked read by POST; the navbar badge."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import strip_tags

from priorauth.notifications.models import Event, Notification
from priorauth.notifications.services import notify_request_event
from priorauth.review import services as review
from tests.notifications.conftest import PHI, days
from tests.review.world import MONDAY, assign, claimed, submitted

EASTERN = ZoneInfo("America/New_York")


@pytest.fixture
def world(clock, provider_staff, nurse):
    """Return a request the provider was told of twice (received, then pended)."""
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    review.review_pend(user=nurse, request_id=pa.pk, needed="PET-CT.", respond_by=MONDAY + days(50))
    return pa


def in_app(user):
    return Notification.objects.filter(recipient=user, channel="in_app")


def test_it_lists_unread_first_with_links_to_the_providers_request_page(client, provider_staff, world):
    received = in_app(provider_staff).get(event="submitted")
    received.read_at = received.created_at
    received.save()
    client.force_login(provider_staff)
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.index(f"Request {world.number}: more information needed") < page.index(
        f"Request {world.number}: received"
    )
    assert f'href="/requests/{world.pk}/"' in page
    assert "Mark as read" in page


def test_it_links_a_reviewer_to_the_review_page(client, clock, provider_staff, nurse):
    first = submitted(provider_staff, "OH")
    assign(nurse, first)
    pa = submitted(provider_staff, "OH")
    client.force_login(nurse)
    page = client.get(reverse("notifications:list")).content.decode()
    assert f'href="/review/requests/{pa.pk}/"' in page


def test_it_shows_the_unread_count_in_the_navbar(client, provider_staff, world):
    client.force_login(provider_staff)
    page = client.get(reverse("home")).content.decode()
    assert 'aria-label="Notifications, 2 unread"' in page


def test_it_marks_one_notification_read(client, provider_staff, world):
    pended = in_app(provider_staff).get(event="pended")
    client.force_login(provider_staff)
    response = client.post(reverse("notifications:read", args=[pended.pk]))
    assert response.status_code == 302
    assert list(in_app(provider_staff).filter(read_at=None).values_list("event", flat=True)) == ["submitted"]


def test_it_marks_all_read(client, provider_staff, world):
    client.force_login(provider_staff)
    client.post(reverse("notifications:read_all"))
    assert not in_app(provider_staff).filter(read_at=None).exists()
    page = client.get(reverse("home")).content.decode()
    assert 'aria-label="Notifications"' in page


def test_it_answers_404_for_someone_elses_notification(client, provider_staff, other_staff, world):
    pended = in_app(provider_staff).get(event="pended")
    client.force_login(other_staff)
    assert client.post(reverse("notifications:read", args=[pended.pk])).status_code == 404
    pended.refresh_from_db()
    assert pended.read_at is None
    assert world.number not in client.get(reverse("notifications:list")).content.decode()


def test_it_refuses_to_mark_read_by_get(client, provider_staff, world):
    client.force_login(provider_staff)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    assert in_app(provider_staff).filter(read_at=None).count() == 2


def test_it_asks_a_visitor_to_log_in(client, db):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and reverse("login") in response.url


def eastern(moment) -> str:
    """Return a moment as the pages show it (Eastern time)."""
    return dateformat.format(timezone.localtime(moment, EASTERN), "m/d/Y g:i A T")


def centre(client, user) -> str:
    """Return the notification list of the user's centre (the rest of the page is left out)."""
    client.force_login(user)
    page = client.get(reverse("notifications:list")).content.decode()
    return page[
        page.index('id="notification-list"') : page.index("</ul>", page.index('id="notification-list"'))
    ]


def test_it_tells_the_provider_what_happens_next_and_what_is_needed_by_when(client, provider_staff, world):
    asked = world.information_requests.get()
    received = in_app(provider_staff).get(event="submitted")
    listing = centre(client, provider_staff)
    assert "What happens next: a reviewer reviews the request; a decision is due by" in listing
    assert eastern(datetime.datetime.fromisoformat(received.context["due_at"])) in listing
    assert "What is needed:</span> <span" in listing and "PET-CT." in listing
    assert f"Please answer by {eastern(asked.respond_by)}" in strip_tags(listing)
    assert not any(word in listing for word in PHI)


def test_it_tells_each_reviewer_of_a_reassignment_what_it_means_for_them(
    client, clock, provider_staff, nurse, physician, supervisor
):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    assign(physician, pa)
    review.review_reassign(user=supervisor, request_id=pa.pk, reviewer_id=physician.pk, reason="Leave.")
    taken = strip_tags(centre(client, nurse))
    assert f"Request {pa.number}: reassigned from you" in taken
    assert "It was taken from you and given to dr_patel: you no longer need to work it." in taken
    given = strip_tags(centre(client, physician))
    assert f"Request {pa.number}: assigned to you" in given
    assert "A supervisor gave it to you (it was with nina)." in given
    assert f"Due by {eastern(pa.due_at)}" in given


def test_it_shows_a_reviewer_the_queue_and_due_time_of_a_new_request(client, clock, provider_staff, nurse):
    assign(nurse, submitted(provider_staff, "OH"))
    pa = submitted(provider_staff, "OH")
    listing = strip_tags(centre(client, nurse))
    assert f"New in {pa.queue.name}; due by {eastern(pa.due_at)}." in listing
    assert not any(word in listing for word in PHI)


def test_it_tells_the_supervisor_who_holds_a_request_at_risk(
    client, clock, provider_staff, nurse, supervisor
):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    notify_request_event(request=pa, event=Event.AT_RISK)
    listing = strip_tags(centre(client, supervisor))
    assert "Three quarters of its timeframe used and not decided" in listing
    assert "Claimed by nina." in listing


def test_it_costs_the_same_queries_for_a_few_or_many_notifications(client, clock, provider_staff, nurse):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("notifications:list")).status_code == 200
        return len(captured)

    client.force_login(provider_staff)
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    review.review_pend(user=nurse, request_id=pa.pk, needed="PET-CT.", respond_by=MONDAY + days(50))
    few = queries()
    for _ in range(5):
        pa = claimed(nurse, submitted(provider_staff, "OH"))
        review.review_pend(user=nurse, request_id=pa.pk, needed="Labs.", respond_by=MONDAY + days(50))
    assert in_app(provider_staff).count() == 12
    assert queries() == few
