"""What the review services share: the error they raise, the row lock, the event, who may act.

A refused action raises ReviewError; its message is shown to the user as is.
"""

from __future__ import annotations

import datetime

from priorauth import limits
from priorauth.members.models import Role, User
from priorauth.members.roles import DECIDING_ROLES
from priorauth.requests.models import PriorAuthRequest, RequestEvent, Status
from priorauth.review.access import is_supervisor, reviewer_may_see

# Requests still waiting for a decision: these may be claimed, moved or reassigned.
OPEN = frozenset({Status.SUBMITTED, Status.IN_REVIEW, Status.PENDED})


class ReviewError(Exception):
    """A review action that cannot be done; the message is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def name_of(user: User | None) -> str:
    """Return how a person is named to colleagues: full name, else username."""
    if user is None:
        return "nobody"
    return user.get_full_name() or user.username


def event(
    pa: PriorAuthRequest,
    *,
    actor: User | None,
    kind: str,
    reason: str = "",
    internal: bool = False,
    from_status: str = "",
    to_status: str = "",
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=pa,
        actor=actor,
        kind=kind,
        reason=reason,
        internal=internal,
        from_status=from_status,
        to_status=to_status,
    )


def locked(user: User, request_id: int) -> PriorAuthRequest:
    """Return the request row, locked; one the user may not see is refused as if it did not exist."""
    pa = (
        PriorAuthRequest.objects.select_for_update(of=("self",))
        .select_related("member__plan", "product", "queue", "claimed_by")
        .filter(pk=request_id)
        .first()
    )
    if pa is None or not reviewer_may_see(user, pa):
        raise ReviewError("No such request.")
    return pa


def check_may_act(user: User, pa: PriorAuthRequest, what: str, *, now: datetime.datetime) -> None:
    """Refuse, with the reason, a pend, escalation or determination this user may not make now.

    Only a nurse or physician reviewer acts, on a request in review that they have claimed and
    did not submit or escalate themselves. An escalated request waits for a physician. Once a
    deadline that the law turns into an approval has passed, the approval stands.
    """
    if user.role not in DECIDING_ROLES:
        raise ReviewError(f"Only a nurse or physician reviewer can {what}.")
    if pa.status != Status.IN_REVIEW:
        raise ReviewError(
            f"Request {pa} is {pa.get_status_display().lower()}; only a request in review can be acted on."
        )
    if pa.claimed_by_id != user.pk:
        raise ReviewError(f"Please claim request {pa} before you {what}.")
    if pa.submitted_by_id == user.pk:
        raise ReviewError(f"You submitted request {pa}; another reviewer must {what}.")
    if pa.escalated_by_id == user.pk:
        raise ReviewError(f"You escalated request {pa}; a different physician reviewer must decide it.")
    if pa.needs_physician and user.role != Role.PHYSICIAN_REVIEWER:
        raise ReviewError(
            f"Request {pa} was escalated for physician review; a physician reviewer must decide it."
        )
    if deemed_deadline_passed(pa, now):
        raise ReviewError(
            f"The deadline for request {pa} has passed and the law approves it: it is being recorded "
            "as approved by operation of law."
        )


def deemed_deadline_passed(pa: PriorAuthRequest, now: datetime.datetime) -> bool:
    """Return whether the request's due time has passed under a rule that deems it approved."""
    rule = pa.due_rule or {}
    return rule.get("missed") == "deemed_approved" and pa.due_at is not None and now >= pa.due_at


def required(text: str | None, what: str, limit: int = limits.NOTE) -> str:
    """Return the text stripped; blank text, or text over `limit` characters, is refused naming `what`."""
    text = (text or "").strip()
    if not text:
        raise ReviewError(f"Please give {what}.")
    if problem := limits.text_problem(what, text, limit):
        raise ReviewError(problem)
    return text


def require_open(pa: PriorAuthRequest) -> None:
    if pa.status not in OPEN:
        raise ReviewError(
            f"Request {pa} is {pa.get_status_display().lower()}; it is no longer open for review."
        )


def require_supervisor(user: User, what: str) -> None:
    if not is_supervisor(user):
        raise ReviewError(f"Only a supervisor can {what}.")
