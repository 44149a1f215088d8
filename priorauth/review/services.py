"""Services for the review side: claim, release, reassign, move, note, pend, escalate, decide.

Every service runs in one transaction, locks the request row, checks who may do what (the
rules of DOMAIN.md "Who uses it" and "The request's life") and records a timeline event; a
refused action raises ReviewError and writes nothing. The determinations themselves, and the
approvals by operation of law, are in `priorauth.review.determinations`.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from priorauth import limits
from priorauth.members.models import User
from priorauth.members.roles import DECIDING_ROLES
from priorauth.notifications.models import Event as NotificationEvent
from priorauth.notifications.services import notify_request_event
from priorauth.policies.models import ReviewQueue
from priorauth.requests import clock, extension
from priorauth.requests.models import EventKind, InformationRequest, PriorAuthRequest, Status
from priorauth.requests.services import due_refresh
from priorauth.review.access import is_supervisor, reviewer_may_see
from priorauth.review.common import (
    OPEN,
    ReviewError,
    check_may_act,
    event,
    locked,
    name_of,
    require_open,
    require_supervisor,
    required,
)
from priorauth.review.determinations import deemed_approvals_record, determination_record
from priorauth.review.models import InternalNote, QueueAssignment

__all__ = [
    "ReviewError",
    "deemed_approvals_record",
    "determination_record",
    "review_add_note",
    "review_claim",
    "review_escalate",
    "review_extend",
    "review_move",
    "review_pend",
    "review_reassign",
    "review_release",
]


@transaction.atomic
def review_claim(*, user: User, request_id: int) -> PriorAuthRequest:
    """Return the request, now claimed by the user; claiming one's own claim again changes nothing.

    The claim is one conditional update, so of two reviewers claiming at once exactly one
    wins; the other is told who did. A reviewer claims only in the queues they work. A
    supervisor does not claim: they cannot decide, so their claim would only hold the request
    back from the reviewers until released; they reassign it to a reviewer instead.
    """
    pa = PriorAuthRequest.objects.select_related("queue").filter(pk=request_id).first()
    if pa is None or not reviewer_may_see(user, pa):
        raise ReviewError("No such request.")
    if is_supervisor(user):
        raise ReviewError("Supervisors assign requests to reviewers; they do not claim them. Use Reassign.")
    if pa.claimed_by_id == user.pk:
        return pa
    if not QueueAssignment.objects.filter(reviewer=user, queue=pa.queue_id).exists():
        raise ReviewError(f"You are not assigned to the {pa.queue.name if pa.queue else 'request'}'s queue.")
    now = timezone.now()
    won = PriorAuthRequest.objects.filter(pk=pa.pk, claimed_by=None, status__in=OPEN).update(
        claimed_by=user, claimed_at=now, updated_at=now
    )
    pa.refresh_from_db()
    if not won:
        if pa.claimed_by_id == user.pk:
            return pa
        require_open(pa)
        raise ReviewError(f"Already claimed by {name_of(pa.claimed_by)}.")
    event(pa, actor=user, kind=EventKind.CLAIMED, internal=True)
    return pa


@transaction.atomic
def review_release(*, user: User, request_id: int) -> PriorAuthRequest:
    """Return the request back in its queue, unclaimed. Only its claimer or a supervisor releases it."""
    pa = locked(user, request_id)
    if pa.claimed_by_id is None:
        raise ReviewError(f"Request {pa} is not claimed.")
    if pa.claimed_by_id != user.pk and not is_supervisor(user):
        raise ReviewError(
            f"Request {pa} is claimed by {name_of(pa.claimed_by)}; only they or a supervisor can release it."
        )
    reason = "" if pa.claimed_by_id == user.pk else f"Released from {name_of(pa.claimed_by)}."
    pa.claimed_by, pa.claimed_at = None, None
    pa.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
    event(pa, actor=user, kind=EventKind.RELEASED, reason=reason, internal=True)
    return pa


@transaction.atomic
def review_reassign(*, user: User, request_id: int, reviewer_id: int, reason: str) -> PriorAuthRequest:
    """Return the request, now claimed by another reviewer who works its queue (supervisors only)."""
    require_supervisor(user, "reassign a request")
    reason = required(reason, "the reason for reassigning")
    pa = locked(user, request_id)
    require_open(pa)
    reviewer = User.objects.filter(pk=reviewer_id, is_active=True, role__in=DECIDING_ROLES).first()
    if reviewer is None:
        raise ReviewError("Please choose a nurse or physician reviewer.")
    if not QueueAssignment.objects.filter(reviewer=reviewer, queue=pa.queue_id).exists():
        queue = pa.queue.name if pa.queue else "request's"
        raise ReviewError(f"{name_of(reviewer)} is not assigned to the {queue} queue.")
    if reviewer.pk == pa.claimed_by_id:
        raise ReviewError(f"Request {pa} is already with {name_of(reviewer)}.")
    previous_id, previous = pa.claimed_by_id, name_of(pa.claimed_by) if pa.claimed_by_id else "the queue"
    pa.claimed_by, pa.claimed_at = reviewer, timezone.now()
    pa.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
    event(
        pa,
        actor=user,
        kind=EventKind.REASSIGNED,
        reason=f"From {previous} to {name_of(reviewer)}: {reason}",
        internal=True,
    )
    notify_request_event(
        request=pa,
        event=NotificationEvent.REASSIGNED,
        actor=user,
        extra={"reviewer_id": reviewer.pk, "previous_reviewer_id": previous_id},
    )
    return pa


@transaction.atomic
def review_move(*, user: User, request_id: int, queue_code: str, reason: str) -> PriorAuthRequest:
    """Return the request in another queue, unclaimed, for that queue's reviewers (supervisors only)."""
    require_supervisor(user, "move a request to another queue")
    reason = required(reason, "the reason for moving the request")
    pa = locked(user, request_id)
    require_open(pa)
    queue = ReviewQueue.objects.filter(code=queue_code).first()
    if queue is None:
        raise ReviewError(f"There is no queue {queue_code!r}.")
    if queue.pk == pa.queue_id:
        raise ReviewError(f"Request {pa} is already in the {queue.name} queue.")
    previous = pa.queue.name if pa.queue else "no queue"
    pa.queue, pa.claimed_by, pa.claimed_at = queue, None, None
    pa.save(update_fields=["queue", "claimed_by", "claimed_at", "updated_at"])
    reason = f"From {previous} to {queue.name}: {reason}"
    event(pa, actor=user, kind=EventKind.MOVED, reason=reason, internal=True)
    notify_request_event(request=pa, event=NotificationEvent.ROUTED, actor=user)
    return pa


@transaction.atomic
def review_add_note(*, user: User, request_id: int, text: str) -> InternalNote:
    """Return the new internal note (reviewers only see it; it is never edited)."""
    text = required(text, "the note's text")
    pa = locked(user, request_id)
    note = InternalNote.objects.create(request=pa, author=user, text=text)
    event(pa, actor=user, kind=EventKind.NOTE_ADDED, internal=True)
    return note


@transaction.atomic
def review_pend(
    *, user: User, request_id: int, needed: str, respond_by: datetime.datetime | None
) -> InformationRequest:
    """Return the information request; the request is pended and its due time moves as the rules allow.

    The provider is given from the federal minimum for the request's urgency to a year to
    answer (`clock.respond_by_problem`); a time outside that is refused, nothing written.
    """
    needed = required(needed, "what information is needed", limits.PEND_QUESTION)
    now = timezone.now()
    pa = locked(user, request_id)
    check_may_act(user, pa, "pend it for information", now=now)
    if problem := clock.respond_by_problem(respond_by, pa.urgency, now):
        raise ReviewError(problem)
    asked = InformationRequest.objects.create(request=pa, needed=needed, respond_by=respond_by, asked_by=user)
    pa.status, pa.pended_at = Status.PENDED, now
    due_refresh(pa)
    pa.save()
    event(
        pa,
        actor=user,
        kind=EventKind.PENDED,
        reason=needed,
        from_status=Status.IN_REVIEW,
        to_status=pa.status,
    )
    notify_request_event(request=pa, event=NotificationEvent.PENDED, actor=user)
    return asked


@transaction.atomic
def review_escalate(*, user: User, request_id: int, reason: str) -> PriorAuthRequest:
    """Return the request, released to its queue for a physician reviewer to decide."""
    reason = required(reason, "the reason for physician review")
    now = timezone.now()
    pa = locked(user, request_id)
    check_may_act(user, pa, "escalate it", now=now)
    pa.needs_physician = True
    pa.escalated_by, pa.escalated_at, pa.escalation_reason = user, now, reason
    pa.claimed_by, pa.claimed_at = None, None
    pa.save()
    # The reason is a note between reviewers (it may weigh the provider's case): never the provider's.
    event(pa, actor=user, kind=EventKind.ESCALATED, reason=reason, internal=True)
    return pa


@transaction.atomic
def review_extend(*, user: User, request_id: int, reason: str) -> PriorAuthRequest:
    """Return the request with its timeframe extended once, by its governing rule's extension.

    Only the nurse or physician reviewer who holds the claim, on a standard request in review,
    before its due time, with the reason (the matters beyond the plan's control, which the
    provider is told: 29 CFR 2560.503-1(f)(2)(iii)(A)). Refused otherwise, nothing written
    (`extension.extension_problem`). The provider is notified of the new due time.
    """
    reason = required(reason, "the reason for the extension", limits.NOTE)
    now = timezone.now()
    pa = locked(user, request_id)
    check_may_act(user, pa, "extend its timeframe", now=now)
    problem = extension.extension_problem(
        urgency=pa.urgency, due_rule=pa.due_rule, due_at=pa.due_at, extended_at=pa.extended_at, now=now
    )
    if problem:
        raise ReviewError(problem)
    previous_due = pa.due_at
    pa.extended_at, pa.extended_by, pa.extension_reason = now, user, reason
    due_refresh(pa)
    pa.save()
    assert previous_due is not None and pa.due_at is not None
    words = extension.extension_words(pa.due_rule)
    event(
        pa,
        actor=user,
        kind=EventKind.EXTENDED,
        reason=f"Extended by {words}, from {_eastern(previous_due)} to {_eastern(pa.due_at)}: {reason}",
    )
    notify_request_event(request=pa, event=NotificationEvent.EXTENDED, actor=user)
    return pa


def _eastern(moment: datetime.datetime) -> str:
    """Return a moment as the timeline shows it to people: Eastern time, e.g. "06/08/2026 10:00 AM ET"."""
    return f"{moment.astimezone(clock.EASTERN):%m/%d/%Y %I:%M %p} ET"
