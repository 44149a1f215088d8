"""At least once, never silently twice: a lease on each claim, the same Message-ID on every attempt,
a sent row marked again (never sent again) after a database error, what follows a send done once.
"""

from __future__ import annotations

import datetime
import smtplib
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend
from django.db import OperationalError, connection
from django.utils import timezone

from priorauth.notifications import delivery, services
from priorauth.notifications.models import DeliveryStatus, Notification
from priorauth.notifications.tasks import relay_pending_notifications
from priorauth.requests.models import EventKind
from tests.notifications.conftest import emails
from tests.notifications.test_delivery import fail_with
from tests.review.world import submitted

SECOND = datetime.timedelta(seconds=1)


class WorkerKilled(BaseException):
    """The worker dies (SIGKILL): nothing after this runs, the row is left as it was."""


@pytest.fixture
def pending(clock, provider_staff) -> Notification:
    """Return the acknowledgement row of a submission whose commit hook never ran (still pending)."""
    submitted(provider_staff, "OH")
    (row,) = emails()
    return row


def killed_after_acceptance(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next send reaches the mail server, then its worker dies before marking the row."""
    real = EmailMultiAlternatives.send

    def send(self: EmailMultiAlternatives, fail_silently: bool = False) -> int:
        real(self, fail_silently)
        monkeypatch.setattr(EmailMultiAlternatives, "send", real)  # the next worker lives
        raise WorkerKilled

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)


def message_ids() -> list[str]:
    return [message.message()["Message-ID"] for message in mail.outbox]


def acknowledgements(row: Notification) -> int:
    return row.request.events.filter(kind=EventKind.ACKNOWLEDGED).count()


def test_it_writes_each_email_row_with_its_own_message_id_in_the_senders_domain(pending, other_staff):
    submitted(other_staff, "OH")
    ids = [row.message_id for row in emails()]
    assert len(set(ids)) == 2
    assert all(i.startswith("<") and i.endswith("@example.org>") for i in ids)
    assert not Notification.objects.filter(channel="in_app").exclude(message_id="").exists()


def test_it_claims_a_row_under_a_lease_a_little_over_the_smtp_timeout(pending, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_TIMEOUT = 20
    seen = {}

    def send_messages(self: EmailBackend, messages: list[EmailMultiAlternatives]) -> int:
        seen["timeout"] = self.timeout
        seen["row"] = Notification.objects.get(pk=pending.pk)
        return len(messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    assert delivery.notification_deliver(notification_id=pending.pk, task_id="t-1").state == "sent"
    row = seen["row"]
    assert seen["timeout"] == 20
    assert row.status == DeliveryStatus.SENDING and row.claimed_by.endswith("/t-1")
    assert row.lease_until == row.claimed_at + datetime.timedelta(seconds=20) + delivery.LEASE_MARGIN
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.SENT and pending.lease_until is None


def test_it_sends_a_row_again_once_its_lease_expires_with_the_same_message_id(pending, clock, monkeypatch):
    killed_after_acceptance(monkeypatch)
    with pytest.raises(WorkerKilled):
        delivery.notification_deliver(notification_id=pending.pk)
    clock.shift(delivery.lease() - SECOND)
    assert relay_pending_notifications.delay().get() == 0  # the worker may still be sending
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.SENDING
    clock.shift(2 * SECOND)
    assert relay_pending_notifications.delay().get() == 1
    assert message_ids() == [pending.message_id, pending.message_id]
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.SENT
    assert (pending.attempts, pending.interruptions) == (2, 1)
    assert acknowledgements(pending) == 1
    assert relay_pending_notifications.delay().get() == 0
    assert len(mail.outbox) == 2


def test_it_marks_a_sent_row_again_after_a_database_error_without_sending_again(pending):
    failures = []

    def update_fails_once(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        marking = sql.startswith('UPDATE "notifications_notification"') and DeliveryStatus.SENT in params
        if marking and not failures:
            failures.append(sql)
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(update_fails_once):
        assert delivery.notification_deliver(notification_id=pending.pk).state == "sent"
    assert len(failures) == 1
    assert len(mail.outbox) == 1
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.SENT and pending.attempts == 1
    assert acknowledgements(pending) == 1


def test_it_acknowledges_once_when_two_workers_mark_the_row(pending, clock, monkeypatch):
    """The first worker outlives its lease; the relay has the row sent again; both mark it."""
    real = EmailMultiAlternatives.send

    def slow_send(self: EmailMultiAlternatives, fail_silently: bool = False) -> int:
        monkeypatch.setattr(EmailMultiAlternatives, "send", real)
        clock.shift(delivery.lease() + SECOND)
        assert relay_pending_notifications.delay().get() == 1  # a second worker sends and marks it
        return real(self, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", slow_send)
    assert delivery.notification_deliver(notification_id=pending.pk).state == "sent"
    assert message_ids() == [pending.message_id, pending.message_id]
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.SENT and pending.interruptions == 1
    assert delivery.notification_mark_sent(notification=pending) is False  # a third path: nothing
    assert acknowledgements(pending) == 1
    pending.request.refresh_from_db()
    assert pending.request.acknowledgement_sent_at is not None


def test_it_leaves_a_row_another_worker_took_over_to_that_worker_when_its_own_send_fails(
    pending, clock, monkeypatch
):
    def late_failure(self: EmailMultiAlternatives, fail_silently: bool = False) -> int:
        clock.shift(delivery.lease() + SECOND)
        delivery.leases_expire(now=timezone.now())
        raise smtplib.SMTPServerDisconnected()

    monkeypatch.setattr(EmailMultiAlternatives, "send", late_failure)
    assert delivery.notification_deliver(notification_id=pending.pk).state == "skipped"
    pending.refresh_from_db()
    # The relay's state stands: pending again at once, its interruption counted, not backed off.
    assert pending.status == DeliveryStatus.PENDING and pending.queued_at is None
    assert pending.interruptions == 1 and pending.last_error == delivery.INTERRUPTED


def test_it_says_not_sent_when_no_attempt_could_have_reached_the_mail_server(pending, monkeypatch):
    fail_with(monkeypatch, smtplib.SMTPRecipientsRefused({}))
    assert delivery.notification_deliver(notification_id=pending.pk).state == "failed"
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.FAILED and not pending.may_have_been_sent
    assert pending.get_status_display() == "Failed: not sent"


def test_it_says_may_have_been_sent_when_an_interrupted_attempt_came_before_the_failure(
    pending, clock, monkeypatch
):
    killed_after_acceptance(monkeypatch)
    with pytest.raises(WorkerKilled):
        delivery.notification_deliver(notification_id=pending.pk)
    clock.shift(delivery.lease() + SECOND)
    assert delivery.leases_expire(now=timezone.now()) == 1
    fail_with(monkeypatch, smtplib.SMTPRecipientsRefused({}))
    assert delivery.notification_deliver(notification_id=pending.pk).state == "failed"
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.UNCERTAIN and pending.may_have_been_sent
    assert pending.get_status_display() == "Uncertain: may have been sent"
    assert pending.last_error == "SMTPRecipientsRefused"


def test_it_gives_up_as_may_have_been_sent_when_every_attempts_lease_expires(pending, clock, monkeypatch):
    def killed(self: EmailMultiAlternatives, fail_silently: bool = False) -> int:
        raise WorkerKilled

    monkeypatch.setattr(EmailMultiAlternatives, "send", killed)
    for _ in range(delivery.MAX_ATTEMPTS):
        with pytest.raises(WorkerKilled):
            delivery.notification_deliver(notification_id=pending.pk)
        clock.shift(delivery.lease() + SECOND)
        delivery.leases_expire(now=timezone.now())
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.UNCERTAIN
    assert (pending.attempts, pending.interruptions) == (delivery.MAX_ATTEMPTS, delivery.MAX_ATTEMPTS)
    assert delivery.notifications_relay(now=timezone.now()) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates a PostgreSQL backend")
def test_it_marks_a_sent_row_on_a_new_connection_when_the_database_dropped_the_old_one(
    clock, provider_staff, monkeypatch
):
    # Committed for real here: the hook would deliver at once, so it hands nothing over.
    monkeypatch.setattr(services, "send_to_broker", lambda ids: None)
    submitted(provider_staff, "OH")
    (pending,) = emails()
    real = EmailMultiAlternatives.send
    terminated = []

    def send_then_connection_dies(self: EmailMultiAlternatives, fail_silently: bool = False) -> int:
        sent = real(self, fail_silently)
        backend = connection.connection.info.backend_pid
        terminated.append(backend)
        other = connection.copy()
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
        finally:
            other.close()
        return sent

    monkeypatch.setattr(EmailMultiAlternatives, "send", send_then_connection_dies)
    assert delivery.notification_deliver(notification_id=pending.pk).state == "sent"
    assert connection.connection.info.backend_pid not in terminated  # marked on a new connection
    assert len(mail.outbox) == 1
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.SENT and pending.attempts == 1
    assert acknowledgements(pending) == 1
