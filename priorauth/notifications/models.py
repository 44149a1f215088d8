"""The notification outbox: one row per message per recipient and channel, written with its cause.

A row is written in the same transaction as the change that causes it, then delivered by a
task that claims it with a conditional update (healthchecks' outbox). Rows hold ids and event
kinds, never health information: the message is rendered from the request at delivery.
"""

from __future__ import annotations

from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.db import models


class Event(models.TextChoices):
    SUBMITTED = "submitted", "Request received"
    ROUTED = "routed", "New request in your queue"
    REASSIGNED = "reassigned", "Request reassigned"
    PENDED = "pended", "More information needed"
    INFORMATION_RECEIVED = "information_received", "Information received"
    DETERMINED = "determined", "Decision made"
    EXTENDED = "extended", "Timeframe extended"
    PEER_TO_PEER_REQUESTED = "peer_to_peer_requested", "Peer-to-peer requested"
    PEER_TO_PEER_SCHEDULED = "peer_to_peer_scheduled", "Peer-to-peer scheduled"
    PEER_TO_PEER_REMINDER = "peer_to_peer_reminder", "Peer-to-peer reminder"
    REDETERMINED = "redetermined", "Decision changed"
    AT_RISK = "at_risk", "Due time at risk"
    OVERDUE = "overdue", "Overdue"
    DIGEST = "digest", "Daily review digest"
    LOOKUP_BURST = "lookup_burst", "Member lookups paused"
    APPEAL_FILED = "appeal_filed", "Appeal received"
    APPEAL_DECIDED = "appeal_decided", "Appeal decided"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    IN_APP = "in_app", "In-app"
    # A PAS subscription's endpoint (priorauth.pas.subscriptions): no person receives it.
    REST_HOOK = "rest_hook", "Subscription (rest-hook)"


# The channels whose rows the outbox delivers (claims, leases, retries, the relay); in-app rows
# are delivered by being written.
DELIVERED_CHANNELS = (Channel.EMAIL, Channel.REST_HOOK)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    # Every attempt failed before the mail server accepted the email: resending is safe.
    FAILED = "failed", "Failed: not sent"
    # Gave up after an attempt that may have reached the mail server (its lease expired mid-send):
    # resending may deliver a second copy, with the same Message-ID.
    UNCERTAIN = "uncertain", "Uncertain: may have been sent"


# Subjects name the request number and the event, nothing about the member or the therapy.
SUBJECTS: dict[str, str] = {
    Event.SUBMITTED: "Request {number}: received",
    Event.ROUTED: "Request {number}: new in your queue",
    Event.REASSIGNED: "Request {number}: reassigned",
    Event.PENDED: "Request {number}: more information needed",
    Event.INFORMATION_RECEIVED: "Request {number}: information received",
    Event.DETERMINED: "Request {number}: decision made",
    Event.EXTENDED: "Request {number}: decision timeframe extended",
    Event.PEER_TO_PEER_REQUESTED: "Request {number}: peer-to-peer requested",
    Event.PEER_TO_PEER_SCHEDULED: "Request {number}: peer-to-peer scheduled",
    Event.PEER_TO_PEER_REMINDER: "Request {number}: peer-to-peer reminder",
    Event.REDETERMINED: "Request {number}: decision changed",
    Event.AT_RISK: "Request {number}: due time at risk",
    Event.OVERDUE: "Request {number}: overdue",
    Event.DIGEST: "Your review queues on {day}",
    Event.LOOKUP_BURST: "Member lookups paused for {who}",
    Event.APPEAL_FILED: "Request {number}: appeal received",
    Event.APPEAL_DECIDED: "Request {number}: appeal decided",
}
# A reassignment tells the new reviewer, the one it was taken from, and the queue's other reviewers.
REASSIGNED_TO_YOU = "Request {number}: assigned to you"
REASSIGNED_FROM_YOU = "Request {number}: reassigned from you"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        help_text="Empty for a rest-hook row: its context names the subscription.",
    )
    event = models.CharField(max_length=30, choices=Event.choices)
    request = models.ForeignKey(
        "requests.PriorAuthRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        help_text="Empty for a digest, which covers several requests.",
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    # Which occurrence of the event this is (a timeline line's id, a day): part of the dedupe key.
    occurrence = models.CharField(max_length=40, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    context = models.JSONField(
        default=dict, blank=True, help_text="Ids and dates the message needs; never health information."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(
        max_length=200, blank=True, help_text="The error's class and SMTP code only, never a message body."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the row was last handed to the broker, or when its retry is due: the relay waits past it.
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The lease of the worker sending the row: past `lease_until` the relay delivers it again.
    claimed_by = models.CharField(max_length=200, blank=True, help_text="Host, process and task.")
    lease_until = models.DateTimeField(null=True, blank=True)
    interruptions = models.PositiveSmallIntegerField(
        default=0, help_text="Attempts whose lease expired mid-send: each may have reached the mail server."
    )
    # Generated once when the row is written, sent with every attempt: a receiver drops a repeat.
    message_id = models.CharField(max_length=250, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "queued_at"], name="notification_outbox"),
            models.Index(fields=["recipient", "channel", "read_at"], name="notification_unread"),
            models.Index(fields=["request", "event", "occurrence"], name="notification_occurrence"),
        ]

    def __str__(self) -> str:
        to = self.recipient_id or self.context.get("target", "-")
        return f"{self.get_event_display()} to {to} by {self.channel}"

    @property
    def subject(self) -> str:
        """Return the subject line: the request number and the event, no health information."""
        number = self.request.number if self.request_id and self.request else ""
        return self._subject_template().format(
            number=number, day=self.context.get("day", ""), who=self.context.get("username", "")
        )

    def _subject_template(self) -> str:
        if self.event != Event.REASSIGNED:
            return SUBJECTS[self.event]
        # Rows written before the context named both reviewers went to the new reviewer only.
        if self.context.get("reviewer_id", self.recipient_id) == self.recipient_id:
            return REASSIGNED_TO_YOU
        if self.context.get("previous_reviewer_id") == self.recipient_id:
            return REASSIGNED_FROM_YOU
        return SUBJECTS[self.event]

    @property
    def is_unread(self) -> bool:
        return self.channel == Channel.IN_APP and self.read_at is None

    @property
    def may_have_been_sent(self) -> bool:
        """Return whether an earlier attempt may have reached the mail server (its lease expired)."""
        return self.interruptions > 0


def new_message_id() -> str:
    """Return a fresh Message-ID in the sender's domain (DEFAULT_FROM_EMAIL's), "<...@domain>"."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


def dedupe_key(
    *, event: str, request_id: int | None, occurrence: str, recipient_id: int, channel: str
) -> str:
    """Return the key that makes one event's notification to one person by one channel unique."""
    return f"{event}:{request_id or '-'}:{occurrence or '-'}:{recipient_id}:{channel}"


def target_dedupe_key(*, event: str, request_id: int, occurrence: str, target: str, channel: str) -> str:
    """Return the key that makes one event's notification to one target (not a person) unique."""
    return f"{event}:{request_id}:{occurrence or '-'}:{target}:{channel}"
