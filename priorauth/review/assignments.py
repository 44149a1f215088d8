"""Services for who is assigned to which queue: a supervisor adds or removes a person-queue pair.

Nurses and physicians assigned to a queue work it: they see and claim its requests and can be
given them. Supervisors assigned to a queue watch it: its at-risk warnings go to them (to every
supervisor while a queue has none). A supervisor so assigned is never the queue's reviewer:
new-work notices, the reassignment choices and reassignment itself take nurses and physicians only.
Policy administrators set the same pairs in the Django admin. A removed pair ends a reviewer's
access to the queue; requests they have claimed there stay claimed (a supervisor reassigns
them), so no work in progress is silently dropped.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from priorauth.members.models import Role, User
from priorauth.members.roles import QUEUE_ROLES
from priorauth.policies.models import ReviewQueue
from priorauth.review.access import is_supervisor
from priorauth.review.models import QueueAssignment
from priorauth.review.services import ReviewError


def _require_supervisor(user: User) -> None:
    if not is_supervisor(user):
        raise ReviewError("Only a supervisor can change queue assignments.")


def duty(person: User) -> str:
    """Return what a person assigned to a queue does there: a supervisor watches it, others work it."""
    return "watches" if person.role == Role.SUPERVISOR else "works"


@transaction.atomic
def queue_assignment_add(*, user: User, reviewer_id: int, queue_id: int) -> QueueAssignment:
    """Return the new assignment of a reviewer (to work) or a supervisor (to watch) to a queue.

    Only supervisors assign here.
    """
    _require_supervisor(user)
    person = User.objects.filter(pk=reviewer_id, is_active=True, role__in=QUEUE_ROLES).first()
    if person is None:
        raise ReviewError("Please choose a nurse or physician reviewer, or a supervisor.")
    queue = ReviewQueue.objects.filter(pk=queue_id).first()
    if queue is None:
        raise ReviewError("Please choose a queue.")
    try:
        with transaction.atomic():
            return QueueAssignment.objects.create(reviewer=person, queue=queue, assigned_by=user)
    except IntegrityError as error:
        name = person.get_full_name() or person.username
        raise ReviewError(f"{name} already {duty(person)} the {queue.name} queue.") from error


@transaction.atomic
def queue_assignment_remove(*, user: User, assignment_id: int) -> None:
    """Remove a person from a queue (supervisors only); one already removed is refused."""
    _require_supervisor(user)
    deleted, _ = QueueAssignment.objects.filter(pk=assignment_id).delete()
    if not deleted:
        raise ReviewError("That assignment was already removed.")
