"""The admin's resend: failed emails (not sent) go again at once; for those that may have been sent
it asks first, and only a confirmed resend sends them (with their own Message-ID).
"""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from priorauth.notifications import delivery
from priorauth.notifications.models import DeliveryStatus, Notification
from tests.notifications.conftest import emails
from tests.notifications.test_delivery import fail_with
from tests.notifications.test_lease import WorkerKilled, killed_after_acceptance
from tests.review.world import submitted

CHANGELIST = reverse("admin:notifications_notification_changelist")


@pytest.fixture
def given_up(clock, provider_staff, other_staff, monkeypatch) -> tuple[Notification, Notification]:
    """Return two acknowledgements the outbox gave up on: one surely not sent, one that may have been."""
    submitted(provider_staff, "OH")
    submitted(other_staff, "OH")
    not_sent, maybe_sent = emails()
    killed_after_acceptance(monkeypatch)
    with pytest.raises(WorkerKilled):
        delivery.notification_deliver(notification_id=maybe_sent.pk)
    clock.shift(delivery.lease() + datetime.timedelta(seconds=1))
    delivery.leases_expire(now=timezone.now())
    fail_with(monkeypatch, smtplib.SMTPRecipientsRefused({}))
    for row in (not_sent, maybe_sent):
        delivery.notification_deliver(notification_id=row.pk)
    monkeypatch.undo()
    mail.outbox.clear()
    not_sent.refresh_from_db()
    maybe_sent.refresh_from_db()
    assert (not_sent.status, maybe_sent.status) == (DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN)
    return not_sent, maybe_sent


@pytest.fixture
def administrator(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 16)
    client.force_login(admin)
    return admin


def test_it_lists_which_emails_were_not_sent_and_which_may_have_been(given_up, administrator, client):
    page = client.get(CHANGELIST).content.decode()
    assert "Failed: not sent" in page and "Uncertain: may have been sent" in page


def test_it_asks_before_resending_an_email_that_may_have_been_sent(
    given_up, administrator, client, django_capture_on_commit_callbacks
):
    not_sent, maybe_sent = given_up
    selected = {"action": "resend", "_selected_action": [not_sent.pk, maybe_sent.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        question = client.post(CHANGELIST, selected)
    assert question.status_code == 200
    page = question.content.decode()
    assert "These 1 email <strong>may have been sent</strong>" in page
    assert "These 1 email <strong>were not sent</strong>" in page
    assert 'name="post" value="yes"' in page
    # Asked, not yet answered: nothing is resent, not even the one surely not sent.
    assert mail.outbox == []
    assert {row.status for row in emails()} == {DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN}
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(CHANGELIST, {**selected, "post": "yes"}, follow=True)
    assert "2 queued again." in answer.content.decode()
    assert {row.status for row in emails()} == {DeliveryStatus.SENT}
    by_id = {message.message()["Message-ID"]: message.to for message in mail.outbox}
    assert by_id[maybe_sent.message_id] == [maybe_sent.recipient.email]
    assert len(by_id) == 2


def test_it_resends_emails_that_were_not_sent_without_asking(
    given_up, administrator, client, django_capture_on_commit_callbacks
):
    not_sent, maybe_sent = given_up
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "resend", "_selected_action": [not_sent.pk]}, follow=True
        )
    assert "1 queued again." in response.content.decode()
    assert [message.to for message in mail.outbox] == [[not_sent.recipient.email]]
    maybe_sent.refresh_from_db()
    assert maybe_sent.status == DeliveryStatus.UNCERTAIN


def test_it_resends_an_email_that_may_have_been_sent_only_when_told_to(given_up):
    _, maybe_sent = given_up
    assert delivery.notifications_resend(notification_ids=[maybe_sent.pk]) == 0
    assert delivery.notifications_resend(notification_ids=[maybe_sent.pk], uncertain=True) == 1
    maybe_sent.refresh_from_db()
    assert maybe_sent.status == DeliveryStatus.PENDING and maybe_sent.interruptions == 1
