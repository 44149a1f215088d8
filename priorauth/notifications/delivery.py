"""Deliver email rows: at least once, never silently twice.

Rows of a registered channel (channels.py: a PAS subscription's rest-hook) go the same way,
through their channel's sender; "the mail server" below is then the receiving endpoint.

- A worker claims a row (pending -> sending) with a conditional update that names it
  (`claimed_by`) and gives it a lease (`lease_until`): the SMTP timeout and a margin. A row
  queued twice (by the commit hook and the relay) or a task run twice sends one email.
- A worker that dies mid-send leaves the row `sending`. Once the lease expires the relay sets
  it pending again and counts the interruption, and it is sent again with the row's own
  Message-ID, so a receiver can drop the repeat: the one duplicate an outbox cannot rule out
  (the mail server accepted it, the worker died before marking the row).
- Once the mail server accepted an email, marking its row sent is retried on its own through a
  database blip, never by sending again. The mark and what follows a send (the acknowledgement)
  are one transaction, conditional on the row not being sent yet: whichever path marks the row,
  what follows happens once.
- A row the outbox gives up on is `failed` (surely not sent: every attempt failed before the
  mail server accepted it) or `uncertain` (may have been sent: an attempt was interrupted). An
  administrator resends either; the admin asks first for an uncertain one.
"""

from __future__ import annotations

import datetime
import logging
import os
import smtplib
import socket
import time
import uuid
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from priorauth.notifications.channels import DeliveryError, sender_for
from priorauth.notifications.messages import email_context
from priorauth.notifications.models import DELIVERED_CHANNELS, DeliveryStatus, Event, Notification
from priorauth.notifications.services import queue_delivery
from priorauth.requests.models import EventKind, PriorAuthRequest, RequestEvent

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# A row handed to the broker this long ago and still pending was lost on the way: queue it again.
RELAY_AFTER = datetime.timedelta(minutes=1)
RELAY_BATCH = 500
# The SMTP socket timeout when settings name none (Django's default, None, waits forever).
DEFAULT_SEND_TIMEOUT = 10
# The lease outlives the send's timeout by this much: rendering, and marking the row sent.
LEASE_MARGIN = datetime.timedelta(seconds=10)
# Waits between tries at marking a sent row (seconds): about 4.5 s in all, inside the margin.
MARK_RETRY_DELAYS = (0.1, 0.4, 1.0, 3.0)
INTERRUPTED = "Lease expired while sending (may have been sent)"


@dataclass(frozen=True)
class Outcome:
    """What one delivery attempt did; `retry_in` is the backoff in seconds for a `retry`."""

    state: Literal["sent", "skipped", "retry", "failed"]
    retry_in: int = 0


def is_transient(error: BaseException) -> bool:
    """Return whether sending again later may succeed: connection trouble or an SMTP 4xx reply.

    A registered channel's sender says so itself (`DeliveryError.transient`).
    """
    if isinstance(error, DeliveryError):
        return error.transient
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPException):
        return False  # refused recipients or sender, authentication: sending again changes nothing
    return isinstance(error, ConnectionError | TimeoutError | OSError)


def error_label(error: BaseException) -> str:
    """Return the error's class and SMTP code: never its message, which may quote the email."""
    if isinstance(error, DeliveryError):
        return error.label[:200]
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__


def backoff_seconds(attempts: int) -> int:
    """Return the wait before the next attempt: 30 s, 1, 2, 4, 8 minutes ..., at most an hour."""
    return int(min(30 * 2 ** max(attempts - 1, 0), 3600))


def send_timeout() -> float:
    """Return the SMTP socket timeout in seconds: EMAIL_TIMEOUT, or DEFAULT_SEND_TIMEOUT when unset."""
    return float(getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_SEND_TIMEOUT)


def lease(channel: str = "email") -> datetime.timedelta:
    """Return how long a claim lasts: a little over the send's timeout (the channel's sender's).

    The timeout bounds each SMTP step, so a server that stalls fails the send inside the lease.
    One slower than that yet still answering may see its row sent again (same Message-ID).
    """
    sender = sender_for(channel)
    timeout = sender.timeout if sender else send_timeout()
    return datetime.timedelta(seconds=timeout) + LEASE_MARGIN


def claimant(task_id: str = "") -> str:
    """Return who claims a row: host, process id, and the task's id (a fresh token outside a task).

    Each claim's own: a worker whose lease expired must not take its row back from the next.
    """
    return f"{socket.gethostname()}:{os.getpid()}/{task_id or uuid.uuid4().hex}"


def notification_deliver(*, notification_id: int, task_id: str = "") -> Outcome:
    """Return the outcome of sending one email row; a row not pending (sent, being sent) is skipped.

    Runs outside any transaction: the claim commits before the email goes out.
    """
    now = timezone.now()
    worker = claimant(task_id)
    row = Notification.objects.filter(
        pk=notification_id, status=DeliveryStatus.PENDING, channel__in=DELIVERED_CHANNELS
    )
    channel = row.values_list("channel", flat=True).first()
    claimed = channel is not None and row.update(
        status=DeliveryStatus.SENDING,
        claimed_at=now,
        claimed_by=worker,
        lease_until=now + lease(channel),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return Outcome("skipped")
    notification = Notification.objects.select_related("recipient", "request").get(pk=notification_id)
    try:
        _send(notification)
    except Exception as error:
        return _failed_attempt(notification, error)
    notification_mark_sent(notification=notification)
    log.info("notification %s sent (%s)", notification_id, notification.event)
    return Outcome("sent")


def _send(notification: Notification) -> None:
    sender = sender_for(notification.channel)
    if sender is not None:
        sender.send(notification)
        return
    context = email_context(notification)
    template = f"notifications/email/{notification.event}"
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        # Every attempt carries the row's Message-ID: a receiver given a repeat can drop it.
        headers={"Message-ID": notification.message_id} if notification.message_id else None,
        connection=get_connection(timeout=send_timeout()),
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()


def notification_mark_sent(*, notification: Notification) -> bool:
    """Return whether this call marked the row sent (False: another path had marked it already).

    Called once the mail server accepted the email, so it never sends: a database error is
    retried here a few times (MARK_RETRY_DELAYS), on a fresh connection. Should every try fail,
    the error is raised and the row keeps its lease: once that expires the email goes out again
    with the same Message-ID.
    """
    for delay in MARK_RETRY_DELAYS:
        try:
            return _mark_sent(notification)
        except (OperationalError, InterfaceError) as error:
            log.warning(
                "notification %s sent, not yet marked (%s): marking again in %s s",
                notification.pk,
                type(error).__name__,
                delay,
            )
        _drop_connection()
        time.sleep(delay)
    return _mark_sent(notification)  # the last try: its error is raised, the row keeps its lease


@transaction.atomic
def _mark_sent(notification: Notification) -> bool:
    # Any state but sent: a row the relay set pending (or uncertain) after this worker's lease
    # expired was sent all the same. Only the path that marks it runs what follows the send.
    marked = (
        Notification.objects.filter(pk=notification.pk)
        .exclude(status=DeliveryStatus.SENT)
        .update(status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error="", lease_until=None)
    )
    if marked:
        _after_sent(notification)
    return bool(marked)


def _drop_connection() -> None:
    # A connection the error broke is closed so the next try opens a new one; inside a caller's
    # transaction (a test's) the connection is the caller's to handle.
    if not connection.in_atomic_block:
        connection.close()


def _failed_attempt(notification: Notification, error: Exception) -> Outcome:
    label = error_label(error)
    # Still this worker's claim: past its lease the relay (or another worker) has the row.
    rows = Notification.objects.filter(
        pk=notification.pk, status=DeliveryStatus.SENDING, claimed_by=notification.claimed_by
    )
    if is_transient(error) and notification.attempts < MAX_ATTEMPTS:
        wait = backoff_seconds(notification.attempts)
        # queued_at in the future keeps the relay off the row until the retry is due.
        retry_at = timezone.now() + datetime.timedelta(seconds=wait)
        if not rows.update(
            status=DeliveryStatus.PENDING, last_error=label, queued_at=retry_at, lease_until=None
        ):
            return Outcome("skipped")
        log.warning("notification %s: %s, retry in %s s", notification.pk, label, wait)
        return Outcome("retry", wait)
    # An earlier attempt that was interrupted may have gone out: then it is not `failed`.
    given_up = DeliveryStatus.UNCERTAIN if notification.may_have_been_sent else DeliveryStatus.FAILED
    if not rows.update(status=given_up, last_error=label, lease_until=None):
        return Outcome("skipped")
    log.error(
        "notification %s %s after %s attempts: %s", notification.pk, given_up, notification.attempts, label
    )
    return Outcome("failed")


def _after_sent(notification: Notification) -> None:
    # The acknowledgement is part of the request's record: the provider's timeline shows it. It
    # runs in the transaction that marks the row; the request's own guard keeps it to one.
    if notification.event != Event.SUBMITTED or notification.request_id is None:
        return
    with transaction.atomic():
        first = PriorAuthRequest.objects.filter(
            pk=notification.request_id, acknowledgement_sent_at=None
        ).update(acknowledgement_sent_at=timezone.now())
        if first:
            RequestEvent.objects.create(
                request_id=notification.request_id,
                kind=EventKind.ACKNOWLEDGED,
                reason=f"Acknowledgement emailed to {notification.recipient.email}.",
            )


def notifications_relay(*, now: datetime.datetime) -> list[int]:
    """Return the ids of email rows still pending a minute after their hand-off, stamped as queued now.

    First, rows whose lease expired mid-send are set pending again (or, out of attempts,
    uncertain), their interruption counted: they are among the ids returned. The caller hands
    the returned ids to the broker.
    """
    leases_expire(now=now)
    waiting = Notification.objects.filter(
        Q(queued_at__lte=now - RELAY_AFTER) | Q(queued_at=None),
        status=DeliveryStatus.PENDING,
        channel__in=DELIVERED_CHANNELS,
    )
    ids = list(waiting.order_by("queued_at", "pk").values_list("pk", flat=True)[:RELAY_BATCH])
    Notification.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(queued_at=now)
    return ids


def leases_expire(*, now: datetime.datetime) -> int:
    """Return how many rows whose worker's lease expired were set pending again (to be sent again).

    Each expiry counts as an interruption: that attempt may have reached the mail server. A
    row out of attempts is given up as uncertain instead.
    """
    expired = Notification.objects.filter(status=DeliveryStatus.SENDING, lease_until__lte=now)
    released = {"interruptions": F("interruptions") + 1, "last_error": INTERRUPTED, "lease_until": None}
    expired.filter(attempts__gte=MAX_ATTEMPTS).update(status=DeliveryStatus.UNCERTAIN, **released)
    return expired.update(status=DeliveryStatus.PENDING, queued_at=None, **released)


@transaction.atomic
def notifications_resend(*, notification_ids: list[int], uncertain: bool = False) -> int:
    """Return how many email rows the outbox gave up on were set pending again and queued.

    Failed rows (surely not sent) always; uncertain ones (may have been sent) only with
    `uncertain=True`, once an administrator was asked. A resent row keeps its Message-ID.
    """
    given_up = [DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN] if uncertain else [DeliveryStatus.FAILED]
    rows = Notification.objects.filter(
        pk__in=notification_ids, status__in=given_up, channel__in=DELIVERED_CHANNELS
    )
    ids = list(rows.values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING,
        attempts=0,
        last_error="",
        queued_at=timezone.now(),
        claimed_at=None,
        claimed_by="",
        lease_until=None,
    )
    queue_delivery(ids)
    return len(ids)
