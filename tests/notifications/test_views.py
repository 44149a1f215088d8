"""The notification centre: one's own notifications, unread first, marked read by POST; the navbar badge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from priorauth.notifications.models import Notification
from priorauth.requests import review
from tests.notifications.conftest import days
from tests.requests.review_world import MONDAY, assign, claimed, submitted


@pytest.fixture
def world(clock, provider_staff, nurse):
    """Return a request the provider was told of twice (received, then pended)."""
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    review.review_pend(user=nurse, request_id=pa.pk, needed="PET-CT.", respond_by=MONDAY + days(5))
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
