"""Write notifications: who hears of an event, by which channel, once, in the caller's transaction.

`notify_request_event` is called by the services that change a request, inside their
transaction, so a notification exists exactly when its cause does. Email rows are handed to
the broker after the commit; if the broker is down the change still stands and the relay
(`delivery.notifications_relay`) hands them over later. In-app rows need no delivery.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from celery import current_app
from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from priorauth.members.models import Role, User
from priorauth.members.roles import DECIDING_ROLES
from priorauth.notifications.channels import request_event
from priorauth.notifications.models import (
    Channel,
    DeliveryStatus,
    Event,
    Notification,
    dedupe_key,
    new_message_id,
    target_dedupe_key,
)
from priorauth.requests.models import EventKind, PriorAuthRequest
from priorauth.review.models import QueueAssignment

log = logging.getLogger(__name__)

# The Celery task that sends one email row (notifications/tasks.py registers it under this name).
DELIVER_TASK = "notifications.deliver"

CHANNELS: dict[str, tuple[str, ...]] = {
    Event.SUBMITTED: (Channel.EMAIL, Channel.IN_APP),
    Event.ROUTED: (Channel.IN_APP,),
    Event.REASSIGNED: (Channel.IN_APP,),
    Event.PENDED: (Channel.EMAIL, Channel.IN_APP),
    Event.INFORMATION_RECEIVED: (Channel.IN_APP,),
    Event.DETERMINED: (Channel.EMAIL, Channel.IN_APP),
    Event.AT_RISK: (Channel.EMAIL, Channel.IN_APP),
    Event.OVERDUE: (Channel.EMAIL, Channel.IN_APP),
    Event.DIGEST: (Channel.EMAIL,),
    Event.EXTENDED: (Channel.EMAIL, Channel.IN_APP),
    Event.PEER_TO_PEER_REQUESTED: (Channel.EMAIL, Channel.IN_APP),
    Event.PEER_TO_PEER_SCHEDULED: (Channel.EMAIL, Channel.IN_APP),
    Event.PEER_TO_PEER_REMINDER: (Channel.EMAIL, Channel.IN_APP),
    Event.REDETERMINED: (Channel.EMAIL, Channel.IN_APP),
    # A burst of member lookups by one user: the supervisors see it in the app (priorauth.lookup).
    Event.LOOKUP_BURST: (Channel.IN_APP,),
    # An appeal (priorauth.appeals): the office that filed it and the appeals queue's physicians
    # hear of its filing, the office of its decision. `extra` names the appeal and its queue.
    Event.APPEAL_FILED: (Channel.EMAIL, Channel.IN_APP),
    Event.APPEAL_DECIDED: (Channel.EMAIL, Channel.IN_APP),
}
APPEAL_EVENTS = frozenset({Event.APPEAL_FILED, Event.APPEAL_DECIDED})
PEER_TO_PEER_EVENTS = frozenset(
    {Event.PEER_TO_PEER_REQUESTED, Event.PEER_TO_PEER_SCHEDULED, Event.PEER_TO_PEER_REMINDER}
)
# Events that can happen more than once on a request: each occurrence is its timeline line.
TIMELINE_KINDS: dict[str, tuple[str, ...]] = {
    Event.ROUTED: (EventKind.ROUTED, EventKind.MOVED),
    Event.REASSIGNED: (EventKind.REASSIGNED,),
    Event.PENDED: (EventKind.PENDED,),
    Event.INFORMATION_RECEIVED: (EventKind.INFORMATION_RECEIVED,),
    Event.EXTENDED: (EventKind.EXTENDED,),
    Event.PEER_TO_PEER_REQUESTED: (EventKind.PEER_TO_PEER_REQUESTED,),
    Event.PEER_TO_PEER_SCHEDULED: (EventKind.PEER_TO_PEER_SCHEDULED,),
    Event.REDETERMINED: (EventKind.REDETERMINED,),
}


def notify_request_event(
    *,
    request: PriorAuthRequest,
    event: str,
    actor: User | None = None,
    extra: Mapping[str, Any] | None = None,
) -> list[Notification]:
    """Return the notifications written for an event on a request (none already written are repeated).

    Call it inside the transaction that makes the change, after its timeline line is written.
    `extra` may name `occurrence` (the overdue watch passes the day) and, on a reassignment,
    `reviewer_id` and `previous_reviewer_id` (whom it was taken from). The person who acted is
    not told of their own action, except the submitter's acknowledgement.
    """
    extra = dict(extra or {})
    occurrence = str(extra.pop("occurrence", "") or _occurrence(request, event))
    people = _recipients(request, event, extra)
    # The office that files an appeal gets its acknowledgement, as it does for a submission.
    if actor is not None and event not in (Event.SUBMITTED, Event.APPEAL_FILED):
        people = [person for person in people if person.pk != actor.pk]
    written = notifications_write(
        event=event,
        request=request,
        occurrence=occurrence,
        recipients=people,
        context=_context(request, event, extra),
    )
    # The channels of the packages above (channels.py) write their rows in this same transaction.
    request_event.send(sender=PriorAuthRequest, request=request, event=event, occurrence=occurrence)
    return written


def digest_notify(*, user: User, day: str) -> list[Notification]:
    """Return the daily digest row for a reviewer and a day (written once, however often asked)."""
    return notifications_write(
        event=Event.DIGEST, request=None, occurrence=day, recipients=[user], context={"day": day}
    )


def notifications_write(
    *,
    event: str,
    request: PriorAuthRequest | None,
    occurrence: str,
    recipients: Iterable[User],
    context: Mapping[str, Any],
) -> list[Notification]:
    """Return the rows for these recipients, writing those not yet written; email rows go out on commit.

    The unique dedupe key settles a race between two writers: both find the row afterwards,
    both queue it, and the delivery's conditional claim sends it once.
    """
    rows = _rows(event, request, occurrence, recipients, dict(context))
    if not rows:
        return []
    keys = [row.dedupe_key for row in rows]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    written = list(Notification.objects.filter(dedupe_key__in=keys, status=DeliveryStatus.PENDING))
    queue_delivery([row.pk for row in written if row.channel == Channel.EMAIL])
    return list(Notification.objects.filter(dedupe_key__in=keys))


def notifications_write_for(
    *,
    event: str,
    request: PriorAuthRequest,
    occurrence: str,
    channel: str,
    targets: Mapping[str, Mapping[str, Any]],
) -> list[Notification]:
    """Return the rows of an event for targets that are not people (a subscription), once each.

    `targets` maps each target's name (`subscription:12`) to the ids its message needs; the
    context keeps the name as `target`. Written in the caller's transaction, handed to the
    broker on commit, delivered like an email row (channels.py names the sender).
    """
    now = timezone.now()
    rows = [
        Notification(
            recipient=None,
            event=event,
            request=request,
            channel=channel,
            occurrence=occurrence,
            dedupe_key=target_dedupe_key(
                event=event, request_id=request.pk, occurrence=occurrence, target=target, channel=channel
            ),
            context={**context, "target": target},
            queued_at=now,
        )
        for target, context in targets.items()
    ]
    if not rows:
        return []
    keys = [row.dedupe_key for row in rows]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    written = Notification.objects.filter(dedupe_key__in=keys, status=DeliveryStatus.PENDING)
    queue_delivery(list(written.values_list("pk", flat=True)))
    return list(Notification.objects.filter(dedupe_key__in=keys))


def _rows(
    event: str,
    request: PriorAuthRequest | None,
    occurrence: str,
    recipients: Iterable[User],
    context: dict[str, Any],
) -> list[Notification]:
    now = timezone.now()
    request_id = request.pk if request is not None else None
    unique = {person.pk: person for person in recipients if person.is_active}
    rows = []
    for person in unique.values():
        for channel in CHANNELS[event]:
            if channel == Channel.EMAIL and not person.email:
                continue
            in_app = channel == Channel.IN_APP
            rows.append(
                Notification(
                    recipient=person,
                    event=event,
                    request=request,
                    channel=channel,
                    occurrence=occurrence,
                    dedupe_key=dedupe_key(
                        event=event,
                        request_id=request_id,
                        occurrence=occurrence,
                        recipient_id=person.pk,
                        channel=channel,
                    ),
                    context=context,
                    # An in-app row is delivered by being written; an email row waits for the task.
                    status=DeliveryStatus.SENT if in_app else DeliveryStatus.PENDING,
                    sent_at=now if in_app else None,
                    queued_at=None if in_app else now,
                    message_id="" if in_app else new_message_id(),
                )
            )
    return rows


def queue_delivery(notification_ids: list[int]) -> None:
    """Hand the email rows to the broker once the transaction commits (ids only)."""
    if notification_ids:
        transaction.on_commit(lambda: send_to_broker(notification_ids))


def send_to_broker(notification_ids: Iterable[int]) -> None:
    """Queue a delivery task per row; a broker that is down is logged, never raised or waited for.

    One attempt per row, no retries (the settings give it a quarter of a second to connect).
    The first failure stops the loop, since the broker is down for the rest too, and marks
    the rows not handed over (`queued_at` cleared): they stay pending, and the relay's next
    run queues them without waiting out its minute.
    """
    # By its registered name (tasks.py imports this module, not the other way round).
    deliver = current_app.signature(DELIVER_TASK)
    ids = list(notification_ids)
    for index, notification_id in enumerate(ids):
        try:
            deliver.apply_async((notification_id,), retry=False)
        except Exception as error:
            log.warning(
                "notification %s not queued (%s); the relay will queue it",
                notification_id,
                type(error).__name__,
            )
            _mark_not_handed_over(ids[index:])
            return


def _mark_not_handed_over(notification_ids: list[int]) -> None:
    try:
        Notification.objects.filter(pk__in=notification_ids, status=DeliveryStatus.PENDING).update(
            queued_at=None
        )
    except DatabaseError as error:
        # The rows keep their hand-off time: the relay finds them a minute later instead.
        log.warning("notifications not marked for the relay (%s)", type(error).__name__)


def _occurrence(request: PriorAuthRequest, event: str) -> str:
    kinds = TIMELINE_KINDS.get(event)
    if not kinds:
        return ""
    latest = request.events.filter(kind__in=kinds).order_by("-pk").values_list("pk", flat=True).first()
    return str(latest or "")


def _context(request: PriorAuthRequest, event: str, extra: Mapping[str, Any]) -> dict[str, Any]:
    """Return the ids and dates the message needs, as they stand when the event happens.

    The in-app message is read long after it is written: it says when the request was due then.
    """
    context: dict[str, Any] = {}
    if request.due_at is not None:
        context["due_at"] = request.due_at.isoformat()
    if event == Event.PENDED:
        asked = request.information_requests.filter(answered_at=None).order_by("-pk").first()
        if asked:
            context["information_request_id"] = asked.pk
    if event == Event.REASSIGNED:
        context["reviewer_id"], context["previous_reviewer_id"] = _reassigned_between(request, extra)
    if event in APPEAL_EVENTS:
        context["appeal_id"] = extra.get("appeal_id")
        if extra.get("appeal_due_at"):
            context["due_at"] = str(extra["appeal_due_at"])
    if event in PEER_TO_PEER_EVENTS:
        # The talk's id: the message reads its time from the row (never the phone or the times offered).
        context["peer_to_peer_id"] = extra.get("peer_to_peer_id")
    return context


def _reassigned_between(request: PriorAuthRequest, extra: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """Return the ids of the reviewer a request was given to and the one it was taken from.

    The new reviewer defaults to whoever holds the claim now; the previous one may be None.
    """
    return extra.get("reviewer_id") or request.claimed_by_id, extra.get("previous_reviewer_id")


def _recipients(request: PriorAuthRequest, event: str, extra: Mapping[str, Any]) -> list[User]:
    if event in (Event.SUBMITTED, Event.DETERMINED):
        return _submitter(request)
    if event == Event.ROUTED:
        return queue_reviewers(request.queue_id)
    if event == Event.REASSIGNED:
        # The queue's reviewers, the new reviewer and the one it was taken from, who may have left it.
        named = _reassigned_between(request, extra)
        return [*queue_reviewers(request.queue_id), *User.objects.filter(pk__in=[pk for pk in named if pk])]
    if event in (Event.PENDED, Event.EXTENDED, Event.REDETERMINED):
        return _provider_staff(request)
    if event == Event.PEER_TO_PEER_REQUESTED:
        physicians = [p for p in queue_reviewers(request.queue_id) if p.role == Role.PHYSICIAN_REVIEWER]
        return [*physicians, *queue_supervisors(request.queue_id)]
    if event in (Event.PEER_TO_PEER_SCHEDULED, Event.PEER_TO_PEER_REMINDER):
        physician = User.objects.filter(pk=extra.get("physician_id") or 0)
        return [*_provider_staff(request), *physician]
    if event == Event.INFORMATION_RECEIVED:
        if request.claimed_by_id:
            return list(User.objects.filter(pk=request.claimed_by_id))
        return queue_reviewers(request.queue_id)
    if event in (Event.AT_RISK, Event.OVERDUE):
        return queue_supervisors(request.queue_id)
    if event == Event.APPEAL_FILED:
        filer = User.objects.filter(pk=extra.get("filed_by_id"))
        return [*_submitter(request), *filer, *queue_reviewers(extra.get("queue_id"))]
    if event == Event.APPEAL_DECIDED:
        return [*_submitter(request), *User.objects.filter(pk=extra.get("filed_by_id"))]
    raise ValueError(f"not a request event: {event}")


def _submitter(request: PriorAuthRequest) -> list[User]:
    """Return who hears of the request for the provider: the person who submitted it.

    A request from an EHR (Da Vinci PAS) was submitted by its API client's account, which no one
    signs in to: its organization's office staff hear of it instead, as they see it in their list.
    """
    if request.submitted_by.is_active:
        return [request.submitted_by]
    return _organization_staff(request)


def _provider_staff(request: PriorAuthRequest) -> list[User]:
    """Return the request's submitter and their organization's office staff."""
    return [*_submitter(request), *_organization_staff(request)]


def _organization_staff(request: PriorAuthRequest) -> list[User]:
    return list(
        User.objects.filter(organization_id=request.organization_id, role=Role.PROVIDER_STAFF, is_active=True)
    )


def queue_reviewers(queue_id: int | None) -> list[User]:
    """Return the nurses and physicians who work a queue, in a stable order.

    Supervisors assigned to a queue watch it (`queue_supervisors`); they are not its reviewers.
    """
    if queue_id is None:
        return []
    assigned = QueueAssignment.objects.filter(queue_id=queue_id).values("reviewer_id")
    reviewers = User.objects.filter(pk__in=assigned, is_active=True, role__in=DECIDING_ROLES)
    return list(reviewers.order_by("pk"))


def queue_supervisors(queue_id: int | None) -> list[User]:
    """Return the supervisors assigned to a queue; with none assigned, every supervisor.

    Supervisors see every queue, so a queue nobody supervises by name still warns someone.
    """
    supervisors = User.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("pk")
    assigned = supervisors.filter(queue_assignments__queue_id=queue_id) if queue_id else supervisors.none()
    return list(assigned) or list(supervisors)


def notifications_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Return how many of the user's unread in-app notifications were marked read (one, or all)."""
    unread = Notification.objects.filter(recipient=user, channel=Channel.IN_APP, read_at=None)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def in_app_for(user: User) -> QuerySet[Notification]:
    """Return the user's in-app notifications, without those about a queue a reviewer no longer works.

    A nurse or physician removed from a queue (its QueueAssignment deleted) no longer sees the
    notifications about the requests in it; they come back if the assignment does. Supervisors
    see every queue, and provider staff are not assigned to queues: they keep all of theirs.
    """
    mine = Notification.objects.filter(recipient=user, channel=Channel.IN_APP)
    if user.role not in DECIDING_ROLES:
        return mine
    worked = QueueAssignment.objects.filter(reviewer=user).values("queue_id")
    return mine.filter(
        Q(request__isnull=True) | Q(request__queue__isnull=True) | Q(request__queue__in=worked)
    )


def unread_count(user: User) -> int:
    """Return the number of the user's unread in-app notifications (those `in_app_for` shows)."""
    return in_app_for(user).filter(read_at=None).count()
