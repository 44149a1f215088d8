"""Deliver email rows: claim with a conditional update, send, mark; retry, fail and resend.

At most once: a row is claimed (pending -> sending) before its email goes out, so a task run
twice, or a row queued twice (by the commit hook and the relay), sends one email. A worker
that dies mid-send leaves the row in `sending`; the relay marks it failed after a while, so an
administrator sees it and decides whether to resend, rather than the system guessing.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from priorauth.notifications.messages import email_context
from priorauth.notifications.models import Channel, DeliveryStatus, Event, Notification
from priorauth.notifications.services import queue_delivery
from priorauth.requests.models import EventKind, PriorAuthRequest, RequestEvent

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# A row handed to the broker this long ago and still pending was lost on the way: queue it again.
RELAY_AFTER = datetime.timedelta(minutes=1)
# A row in `sending` this long was interrupted (the worker died): it may or may not have gone out.
STUCK_AFTER = datetime.timedelta(minutes=15)
RELAY_BATCH = 500
INTERRUPTED = "Interrupted while sending (may have been sent)"


@dataclass(frozen=True)
class Outcome:
    """What one delivery attempt did; `retry_in` is the backoff in seconds for a `retry`."""

    state: Literal["sent", "skipped", "retry", "failed"]
    retry_in: int = 0


def is_transient(error: BaseException) -> bool:
    """Return whether sending again later may succeed: connection trouble or an SMTP 4xx reply."""
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPException):
        return False  # refused recipients or sender, authentication: sending again changes nothing
    return isinstance(error, ConnectionError | TimeoutError | OSError)


def error_label(error: BaseException) -> str:
    """Return the error's class and SMTP code: never its message, which may quote the email."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__


def backoff_seconds(attempts: int) -> int:
    """Return the wait before the next attempt: 30 s, 1, 2, 4, 8 minutes ..., at most an hour."""
    return int(min(30 * 2 ** max(attempts - 1, 0), 3600))


def notification_deliver(*, notification_id: int) -> Outcome:
    """Return the outcome of sending one email row; a row not pending (sent, being sent) is skipped.

    Runs outside any transaction: the claim commits before the email goes out.
    """
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=DeliveryStatus.PENDING, channel=Channel.EMAIL
    ).update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return Outcome("skipped")
    notification = Notification.objects.select_related("recipient", "request").get(pk=notification_id)
    try:
        _send(notification)
    except Exception as error:
        return _failed_attempt(notification, error)
    Notification.objects.filter(pk=notification_id).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    _after_sent(notification)
    log.info("notification %s sent (%s)", notification_id, notification.event)
    return Outcome("sent")


def _send(notification: Notification) -> None:
    context = email_context(notification)
    template = f"notifications/email/{notification.event}"
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()


def _failed_attempt(notification: Notification, error: Exception) -> Outcome:
    label = error_label(error)
    rows = Notification.objects.filter(pk=notification.pk, status=DeliveryStatus.SENDING)
    if is_transient(error) and notification.attempts < MAX_ATTEMPTS:
        wait = backoff_seconds(notification.attempts)
        # queued_at in the future keeps the relay off the row until the retry is due.
        rows.update(
            status=DeliveryStatus.PENDING,
            last_error=label,
            queued_at=timezone.now() + datetime.timedelta(seconds=wait),
        )
        log.warning("notification %s: %s, retry in %s s", notification.pk, label, wait)
        return Outcome("retry", wait)
    rows.update(status=DeliveryStatus.FAILED, last_error=label)
    log.error("notification %s failed after %s attempts: %s", notification.pk, notification.attempts, label)
    return Outcome("failed")


def _after_sent(notification: Notification) -> None:
    # The acknowledgement is part of the request's record: the provider's timeline shows it.
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

    Also marks rows stuck in `sending` as failed (see the module docstring). The caller hands
    the returned ids to the broker.
    """
    stuck = Notification.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lte=now - STUCK_AFTER)
    stuck.update(status=DeliveryStatus.FAILED, last_error=INTERRUPTED)
    waiting = Notification.objects.filter(
        Q(queued_at__lte=now - RELAY_AFTER) | Q(queued_at=None),
        status=DeliveryStatus.PENDING,
        channel=Channel.EMAIL,
    )
    ids = list(waiting.order_by("queued_at", "pk").values_list("pk", flat=True)[:RELAY_BATCH])
    Notification.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(queued_at=now)
    return ids


@transaction.atomic
def notifications_resend(*, notification_ids: list[int]) -> int:
    """Return how many failed email rows were set pending again and queued (an administrator's resend)."""
    failed = Notification.objects.filter(
        pk__in=notification_ids, status=DeliveryStatus.FAILED, channel=Channel.EMAIL
    )
    ids = list(failed.values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING, attempts=0, last_error="", queued_at=timezone.now(), claimed_at=None
    )
    queue_delivery(ids)
    return len(ids)
