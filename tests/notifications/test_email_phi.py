"""E-mail says where, not what: every kind of email carries the request number and a link, no PHI.

And a reviewer removed from a queue no longer sees the notifications about its requests.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from priorauth.notifications.models import Channel, Event, Notification
from priorauth.notifications.services import digest_notify, notify_request_event, unread_count
from priorauth.requests import services
from priorauth.review import services as review
from priorauth.review.models import QueueAssignment
from tests.notifications.conftest import days
from tests.review.world import MONDAY, assign, claimed, denial, other_nurse, submitted  # noqa: F401 (fixture)

QUESTION = "Please send the bone marrow biopsy showing 40% blasts."
REASON = "ECOG 3 documented on the neurology consult; the criteria require 0 or 1."


def phi_of(pa) -> list[str]:
    """Return the request's health information as it could appear in an email."""
    member = pa.member
    dob = member.date_of_birth
    return [
        member.first_name,
        member.last_name,
        member.member_id,
        dob.isoformat(),
        f"{dob:%m/%d/%Y}",
        f"{dob:%B} {dob.day}, {dob.year}",
        *pa.diagnoses,
        QUESTION,
        "bone marrow",
        REASON,
        "ECOG 3",
        pa.product.brand,
        pa.product.generic,
    ]


def every_kind_of_email(pa, provider_staff, physician, supervisor) -> None:
    """Send one email of each kind about the request: received, pended, decided, at risk, overdue, digest."""
    review.review_pend(user=physician, request_id=pa.pk, needed=QUESTION, respond_by=MONDAY + days(50))
    asked = pa.information_requests.get()
    services.request_answer_information(
        user=provider_staff, request_id=pa.pk, information_request_id=asked.pk, answer="Attached."
    )
    for event in (Event.AT_RISK, Event.OVERDUE):
        notify_request_event(request=pa, event=event, extra={"occurrence": "2026-06-01"})
    digest_notify(user=physician, day="2026-06-01")
    review.review_claim(user=physician, request_id=pa.pk)
    review.determination_record(user=physician, request_id=pa.pk, **denial(reason=REASON))


def test_no_email_of_any_kind_carries_the_requests_phi(
    clock, provider_staff, physician, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pa = claimed(physician, submitted(provider_staff, "OH"))
        assign(supervisor, pa)
        every_kind_of_email(pa, provider_staff, physician, supervisor)
    kinds = set(Notification.objects.filter(channel=Channel.EMAIL).values_list("event", flat=True))
    assert kinds == {
        Event.SUBMITTED,
        Event.PENDED,
        Event.DETERMINED,
        Event.AT_RISK,
        Event.OVERDUE,
        Event.DIGEST,
    }
    assert len(mail.outbox) >= 6
    phi = phi_of(pa)
    for message in mail.outbox:
        html = message.alternatives[0][0]
        for text in (message.subject, message.body, html):
            found = [value for value in phi if value in text]
            assert not found, f"{message.subject}: {found}"
        # Where: the request's number (the digest: the queues) and a link.
        assert pa.number in message.subject + message.body or "Open your queues" in message.body
        assert "/requests/" in message.body or "/review/" in message.body or "/letters/" in message.body


def test_the_notification_centre_keeps_the_pends_question(
    client, clock, provider_staff, nurse, django_capture_on_commit_callbacks
):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    review.review_pend(user=nurse, request_id=pa.pk, needed=QUESTION, respond_by=MONDAY + days(50))
    client.force_login(provider_staff)
    page = client.get(reverse("notifications:list")).content.decode()
    assert QUESTION in page


@pytest.fixture
def routed_to_two_nurses(clock, provider_staff, nurse, other_nurse):
    pa = submitted(provider_staff, "OH")
    assign(nurse, pa)
    assign(other_nurse, pa)
    notify_request_event(request=pa, event=Event.ROUTED)
    return pa


def test_a_reviewer_removed_from_the_queue_no_longer_sees_its_notifications(
    client, routed_to_two_nurses, nurse, other_nurse
):
    pa = routed_to_two_nurses
    assert unread_count(nurse) == 1
    QueueAssignment.objects.filter(reviewer=nurse, queue=pa.queue).delete()
    assert unread_count(nurse) == 0 and unread_count(other_nurse) == 1
    client.force_login(nurse)
    page = client.get(reverse("notifications:list")).content.decode()
    assert pa.number not in page
    client.force_login(other_nurse)
    assert pa.number in client.get(reverse("notifications:list")).content.decode()
    # Assigned again, the reviewer sees them again: nothing was deleted.
    QueueAssignment.objects.create(reviewer=nurse, queue=pa.queue)
    assert unread_count(nurse) == 1


def test_the_digest_leaves_out_a_queue_the_reviewer_no_longer_works(
    clock, routed_to_two_nurses, nurse, django_capture_on_commit_callbacks
):
    pa = routed_to_two_nurses
    QueueAssignment.objects.filter(reviewer=nurse, queue=pa.queue).delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        digest_notify(user=nurse, day="2026-06-01")
    (message,) = mail.outbox
    assert pa.queue.name not in message.body and pa.number not in message.body
