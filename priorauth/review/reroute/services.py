"""Re-route the open requests the policy records, as changed, send to another queue."""

from __future__ import annotations

from django.db import transaction

from priorauth.members.models import User
from priorauth.notifications.models import Event as NotificationEvent
from priorauth.notifications.services import notify_request_event
from priorauth.policies import deferral
from priorauth.policies.models import ReviewQueue
from priorauth.policies.selectors import policy_snapshot
from priorauth.requests.models import EventKind, PriorAuthRequest
from priorauth.review.common import OPEN, ReviewError, event, require_supervisor
from priorauth.review.reroute.selectors import reroute_candidates


@transaction.atomic
def requests_reroute(*, user: User, fingerprint: str) -> list[PriorAuthRequest]:
    """Return the requests moved: every one listed when the supervisor looked, to its new queue.

    The listed requests are locked, then the list is made again; a list that differs from the
    one shown (`fingerprint`: a request was decided or moved, or the records changed since) is
    refused whole, and nothing moves. Each request leaves its claim behind (the new queue's
    reviewers take it up), keeps the due time its provider was given, and gets a timeline line
    naming the records that now route it. Raises ReviewError.
    """
    require_supervisor(user, "re-route requests")
    shown = reroute_candidates()
    if shown.fingerprint == fingerprint:
        ids = [row.id for row, _ in shown.items]
        locked = PriorAuthRequest.objects.select_for_update(of=("self",)).filter(pk__in=ids, status__in=OPEN)
        # Locked, the list is made again: a request decided or moved meanwhile changes it.
        shown = reroute_candidates(ids=list(locked.order_by("pk").values_list("pk", flat=True)))
    if shown.fingerprint != fingerprint:
        raise ReviewError("The list changed since you opened it; nothing was moved. Please check it again.")
    candidates = shown
    snapshot = policy_snapshot()
    queues = {queue.code: queue for queue in ReviewQueue.objects.all()}
    requests = PriorAuthRequest.objects.select_related("queue").in_bulk(
        [row.id for row, _ in candidates.items]
    )
    moved = []
    for row, _ in candidates.items:
        try:
            decision = deferral.decide(row.facts, snapshot)
        except deferral.UndecidableRequest as error:
            raise ReviewError(
                f"Request {row.number} cannot be decided again ({error}); nothing was moved."
            ) from error
        moved.append(_reroute(requests[row.id], decision, queues[decision.queue or ""], user))
    return moved


def _reroute(
    pa: PriorAuthRequest, decision: deferral.Decision, queue: ReviewQueue, user: User
) -> PriorAuthRequest:
    previous = pa.queue.name if pa.queue else "no queue"
    stored = deferral.decision_as_json(decision)
    # The due time once given stays: the new decision's clock is not the provider's.
    stored["due_at"] = (pa.decision or {}).get("due_at")
    old_due_step = [step for step in (pa.decision or {}).get("trace", []) if step.get("step") == "due_time"]
    stored["trace"] = [step for step in stored["trace"] if step["step"] != "due_time"] + old_due_step
    pa.decision, pa.routing_key, pa.queue = stored, decision.routing_key or "", queue
    pa.claimed_by, pa.claimed_at = None, None
    pa.governing_policy_number = decision.governing.number if decision.governing else ""
    pa.governing_policy_effective = decision.governing.effective if decision.governing else None
    pa.criteria_policy_number = decision.criteria.number if decision.criteria else ""
    pa.criteria_policy_effective = decision.criteria.effective if decision.criteria else None
    pa.save(
        update_fields=[
            "decision",
            "routing_key",
            "queue",
            "claimed_by",
            "claimed_at",
            "governing_policy_number",
            "governing_policy_effective",
            "criteria_policy_number",
            "criteria_policy_effective",
            "updated_at",
        ]
    )
    event(pa, actor=user, kind=EventKind.MOVED, reason=_reason(previous, queue, decision), internal=True)
    notify_request_event(request=pa, event=NotificationEvent.ROUTED, actor=user)
    return pa


def _reason(previous: str, queue: ReviewQueue, decision: deferral.Decision) -> str:
    """Return the timeline's reason: from where to where, and the records' steps that say so."""
    steps = [step.result for step in decision.trace if step.step in ("benefits", "criteria_source", "queue")]
    said = "; ".join(steps[-2:])
    return f"Re-routed from {previous} to {queue.name} after a change to the policy records: {said}."
