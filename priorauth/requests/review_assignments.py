"""Services for who works which queue: a supervisor adds or removes a reviewer-queue pair.

Policy administrators set the same pairs in the Django admin. A removed pair ends the
reviewer's access to the queue; requests they have claimed there stay claimed (a supervisor
reassigns them), so no work in progress is silently dropped.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from priorauth.members.models import User
from priorauth.policies.models import ReviewQueue
from priorauth.requests.models import QueueAssignment
from priorauth.requests.review import ReviewError
from priorauth.requests.review_access import DECIDING_ROLES, is_supervisor


def _require_supervisor(user: User) -> None:
    if not is_supervisor(user):
        raise ReviewError("Only a supervisor can change queue assignments.")


@transaction.atomic
def queue_assignment_add(*, user: User, reviewer_id: int, queue_id: int) -> QueueAssignment:
    """Return the new assignment of a nurse or physician reviewer to a queue (supervisors only)."""
    _require_supervisor(user)
    reviewer = User.objects.filter(pk=reviewer_id, is_active=True, role__in=DECIDING_ROLES).first()
    if reviewer is None:
        raise ReviewError("Please choose a nurse or physician reviewer.")
    queue = ReviewQueue.objects.filter(pk=queue_id).first()
    if queue is None:
        raise ReviewError("Please choose a queue.")
    try:
        with transaction.atomic():
            return QueueAssignment.objects.create(reviewer=reviewer, queue=queue, assigned_by=user)
    except IntegrityError as error:
        raise ReviewError(
            f"{reviewer.get_full_name() or reviewer.username} already works the {queue.name} queue."
        ) from error


@transaction.atomic
def queue_assignment_remove(*, user: User, assignment_id: int) -> None:
    """Remove a reviewer from a queue (supervisors only); one already removed is refused."""
    _require_supervisor(user)
    deleted, _ = QueueAssignment.objects.filter(pk=assignment_id).delete()
    if not deleted:
        raise ReviewError("That assignment was already removed.")
