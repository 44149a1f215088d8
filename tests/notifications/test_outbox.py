"""Each event writes its notifications in the transaction that causes it, to the people the issue names."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from priorauth.members.models import Role
from priorauth.notifications.models import Event, Notification
from priorauth.notifications.services import notify_request_event
from priorauth.requests import services
from priorauth.requests.models import EventKind, PriorAuthRequest
from priorauth.review import services as review
from priorauth.review.models import QueueAssignment
from tests.conftest import make_user
from tests.notifications.conftest import PHI, days, rows
from tests.review.world import MONDAY, approval, assign, claimed, submitted


def test_it_acknowledges_a_submission_by_email_and_in_app_once_committed(
    clock, provider_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pa = submitted(provider_staff, "OH")
    assert rows(event=Event.SUBMITTED) == [
        ("submitted", "olivia", "email"),
        ("submitted", "olivia", "in_app"),
    ]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"Request {pa.number}: received"
    assert message.to == [provider_staff.email]
    assert pa.number in message.body and "A decision is due by" in message.body
    assert pa.number in message.alternatives[0][0]
    pa.refresh_from_db()
    assert pa.acknowledgement_sent_at is not None
    assert pa.events.filter(kind=EventKind.ACKNOWLEDGED).count() == 1


def test_it_tells_the_queues_reviewers_of_a_routed_request_in_app(clock, provider_staff, nurse, physician):
    first = submitted(provider_staff, "OH")
    assign(nurse, first)
    assign(physician, first)
    pa = submitted(provider_staff, "OH")
    assert rows(event=Event.ROUTED, request=pa) == [
        ("routed", "dr_patel", "in_app"),
        ("routed", "nina", "in_app"),
    ]


def test_it_writes_nothing_when_the_change_rolls_back(clock, provider_staff):
    with pytest.raises(RuntimeError), transaction.atomic():
        submitted(provider_staff, "OH")
        raise RuntimeError("the submission fails after the notification was written")
    assert Notification.objects.count() == 0


def test_it_writes_one_row_per_person_and_channel_however_often_an_event_is_reported(clock, provider_staff):
    pa = submitted(provider_staff, "OH")
    again = notify_request_event(request=pa, event=Event.SUBMITTED, actor=provider_staff)
    assert len(again) == 2
    assert Notification.objects.filter(event=Event.SUBMITTED).count() == 2


def test_it_tells_the_submitter_and_their_colleagues_what_a_pend_needs_and_by_when(
    clock, provider_staff, teammate, other_staff, nurse, django_capture_on_commit_callbacks
):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.review_pend(
            user=nurse,
            request_id=pa.pk,
            needed="Please send the latest PET-CT report.",
            respond_by=MONDAY + days(50),
        )
    assert rows(event=Event.PENDED) == [
        ("pended", "olivia", "email"),
        ("pended", "olivia", "in_app"),
        ("pended", "tomas", "email"),
        ("pended", "tomas", "in_app"),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["olivia@example.org", "tomas@example.org"]
    message = mail.outbox[0]
    assert message.subject == f"Request {pa.number}: more information needed"
    # The question is clinical text: the email says where to read it, the request page.
    assert "Please send the latest PET-CT report." not in message.body + message.alternatives[0][0]
    assert "The question is on the request page" in message.body
    assert "Please answer by Tuesday, July 21, 2026" in message.body
    assert f"/requests/{pa.pk}/" in message.body


def test_it_tells_each_pend_of_a_request_once(clock, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    asked = review.review_pend(user=nurse, request_id=pa.pk, needed="PET-CT.", respond_by=MONDAY + days(50))
    services.request_answer_information(
        user=provider_staff, request_id=pa.pk, information_request_id=asked.pk, answer="Attached."
    )
    review.review_pend(user=nurse, request_id=pa.pk, needed="ECOG note.", respond_by=MONDAY + days(50))
    pends = Notification.objects.filter(event=Event.PENDED, channel="email").order_by("pk")
    assert [n.context["information_request_id"] for n in pends] == [asked.pk, asked.pk + 1]


def test_it_tells_the_claiming_reviewer_the_information_arrived(clock, provider_staff, nurse, other_staff):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    asked = review.review_pend(user=nurse, request_id=pa.pk, needed="PET-CT.", respond_by=MONDAY + days(50))
    services.request_answer_information(
        user=provider_staff, request_id=pa.pk, information_request_id=asked.pk, answer="Attached."
    )
    assert rows(event=Event.INFORMATION_RECEIVED) == [("information_received", "nina", "in_app")]


def test_it_tells_the_queues_reviewers_and_the_previous_claimant_of_a_reassignment(
    clock, provider_staff, nurse, physician, supervisor
):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    assign(physician, pa)
    assign(make_user("noah", Role.CLINICAL_REVIEWER), pa)
    assign(supervisor, pa)  # watches the queue: not one of its reviewers
    QueueAssignment.objects.filter(reviewer=nurse).delete()  # she left the queue: why it is reassigned
    review.review_reassign(user=supervisor, request_id=pa.pk, reviewer_id=physician.pk, reason="Leave.")
    found = Notification.objects.filter(event=Event.REASSIGNED).select_related("recipient", "request")
    assert sorted((n.recipient.username, n.channel, n.subject) for n in found) == [
        ("dr_patel", "in_app", f"Request {pa.number}: assigned to you"),
        ("nina", "in_app", f"Request {pa.number}: reassigned from you"),
        ("noah", "in_app", f"Request {pa.number}: reassigned"),
    ]


def test_it_sends_the_submitter_the_decision_with_a_link_to_the_letter(
    clock, provider_staff, nurse, django_capture_on_commit_callbacks
):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.determination_record(user=nurse, request_id=pa.pk, **approval())
    assert rows(event=Event.DETERMINED) == [
        ("determined", "olivia", "email"),
        ("determined", "olivia", "in_app"),
    ]
    (message,) = mail.outbox
    assert message.subject == f"Request {pa.number}: decision made"
    assert f"/letters/{pa.pk}/" in message.body and "Approved" in message.body


def test_it_puts_no_health_information_in_any_subject(
    clock, provider_staff, nurse, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pa = claimed(nurse, submitted(provider_staff, "OH"))
        review.review_pend(user=nurse, request_id=pa.pk, needed="PET-CT.", respond_by=MONDAY + days(50))
        for event in (Event.AT_RISK, Event.OVERDUE):
            notify_request_event(request=pa, event=event, extra={"occurrence": "2026-06-01"})
    subjects = {n.subject for n in Notification.objects.select_related("request")}
    assert len(subjects) >= 4
    for subject in subjects:
        assert subject.startswith(f"Request {pa.number}: ")
        assert not any(word in subject for word in PHI)
    # Received and pended to the submitter, at risk and overdue to the supervisor: four emails.
    assert sorted(m.subject.split(": ")[1] for m in mail.outbox) == [
        "due time at risk",
        "more information needed",
        "overdue",
        "received",
    ]
    for message in mail.outbox:
        assert not any(word in message.subject + message.body for word in PHI), message.subject


def test_it_keeps_the_submission_when_the_broker_refuses_the_task(
    clock, provider_staff, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from kombu.exceptions import OperationalError

    from priorauth.notifications.tasks import deliver_notification

    def broker_down(*args: object, **kwargs: object) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(deliver_notification, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        pa = submitted(provider_staff, "OH")
    pa.refresh_from_db()
    assert pa.number and pa.status == "in_review"
    assert mail.outbox == []
    assert [n.status for n in Notification.objects.filter(channel="email")] == ["pending"]
    assert "not queued (OperationalError)" in caplog.text
    assert not any(word in caplog.text for word in PHI)


def test_it_does_not_tell_someone_of_their_own_action(clock, provider_staff, nurse, supervisor):
    pa = submitted(provider_staff, "OH")
    # A claim a supervisor took before supervisors stopped claiming: they hand it on themselves.
    PriorAuthRequest.objects.filter(pk=pa.pk).update(claimed_by=supervisor)
    assign(nurse, pa)
    review.review_reassign(user=supervisor, request_id=pa.pk, reviewer_id=nurse.pk, reason="Workload.")
    assert rows(event=Event.REASSIGNED) == [("reassigned", "nina", "in_app")]
