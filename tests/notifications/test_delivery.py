"""Delivery: claimed once, retried with backoff on transient failures, failed visibly, resent by an admin.

Leases, the Message-ID and marking a sent row: test_lease.py; the resend's question: test_resend.py.
"""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from priorauth.notifications import delivery
from priorauth.notifications.models import DeliveryStatus, Notification
from priorauth.notifications.tasks import deliver_notification, relay_pending_notifications
from tests.notifications.conftest import emails
from tests.review.world import submitted


@pytest.fixture
def pending(clock, provider_staff) -> Notification:
    """Return the acknowledgement row of a submission whose commit hook never ran (still pending)."""
    submitted(provider_staff, "OH")
    (row,) = emails()
    assert row.status == DeliveryStatus.PENDING
    return row


def fail_with(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def send(self: EmailMultiAlternatives, fail_silently: bool = False) -> int:
        raise error

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)


def test_it_sends_one_email_however_often_the_task_runs(pending):
    assert deliver_notification.delay(pending.pk).get() == "sent"
    assert deliver_notification.delay(pending.pk).get() == "skipped"
    assert len(mail.outbox) == 1
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.SENT and pending.attempts == 1 and pending.sent_at is not None


def test_it_sends_nothing_for_a_row_another_worker_is_sending(pending):
    Notification.objects.filter(pk=pending.pk).update(status=DeliveryStatus.SENDING)
    assert delivery.notification_deliver(notification_id=pending.pk).state == "skipped"
    assert mail.outbox == []


def test_it_puts_a_transient_failure_back_with_a_backoff(pending, monkeypatch):
    fail_with(monkeypatch, smtplib.SMTPServerDisconnected("Connection closed: olivia@example.org"))
    outcome = delivery.notification_deliver(notification_id=pending.pk)
    assert outcome == delivery.Outcome("retry", 30)
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.PENDING and pending.attempts == 1
    assert pending.last_error == "SMTPServerDisconnected"  # the class, never the message
    assert pending.queued_at == timezone.now() + datetime.timedelta(seconds=30)
    assert mail.outbox == []


def test_it_backs_off_exponentially():
    assert [delivery.backoff_seconds(n) for n in (1, 2, 3, 4, 8, 20)] == [30, 60, 120, 240, 3600, 3600]


def test_it_marks_a_row_failed_after_the_last_attempt(pending, monkeypatch):
    fail_with(monkeypatch, smtplib.SMTPDataError(451, b"Try again later"))
    attempts = range(delivery.MAX_ATTEMPTS)
    states = [delivery.notification_deliver(notification_id=pending.pk).state for _ in attempts]
    assert states == ["retry"] * (delivery.MAX_ATTEMPTS - 1) + ["failed"]
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.FAILED and pending.last_error == "SMTPDataError 451"


def test_it_fails_a_permanent_refusal_at_once(pending, monkeypatch):
    fail_with(monkeypatch, smtplib.SMTPRecipientsRefused({"olivia@example.org": (550, b"No such user")}))
    assert delivery.notification_deliver(notification_id=pending.pk).state == "failed"
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.FAILED and pending.last_error == "SMTPRecipientsRefused"
    assert "olivia" not in pending.last_error


def test_it_relays_rows_left_pending_for_over_a_minute_and_only_those(pending, clock):
    assert relay_pending_notifications.delay().get() == 0  # just written: the commit hook has it
    clock.shift(datetime.timedelta(seconds=61))
    assert relay_pending_notifications.delay().get() == 1
    assert len(mail.outbox) == 1
    assert relay_pending_notifications.delay().get() == 0
    assert len(mail.outbox) == 1


def test_it_leaves_a_row_waiting_for_its_retry_to_its_backoff(pending, clock, monkeypatch):
    fail_with(monkeypatch, smtplib.SMTPServerDisconnected())
    delivery.notification_deliver(notification_id=pending.pk)
    clock.shift(datetime.timedelta(seconds=61))
    assert delivery.notifications_relay(now=timezone.now()) == []
    clock.shift(datetime.timedelta(seconds=30))
    assert delivery.notifications_relay(now=timezone.now()) == [pending.pk]


def test_it_lists_failures_in_the_admin_and_resends_them(
    pending, monkeypatch, client, django_user_model, django_capture_on_commit_callbacks
):
    fail_with(monkeypatch, smtplib.SMTPRecipientsRefused({}))
    delivery.notification_deliver(notification_id=pending.pk)
    monkeypatch.undo()
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 16)
    client.force_login(admin)
    changelist = reverse("admin:notifications_notification_changelist")
    page = client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert "SMTPRecipientsRefused" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "resend", "_selected_action": [pending.pk]}, follow=True
        )
    assert "1 queued again." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.SENT and pending.attempts == 1
    assert len(mail.outbox) == 1


def test_it_resends_only_failed_emails(pending):
    assert delivery.notifications_resend(notification_ids=[pending.pk]) == 0
