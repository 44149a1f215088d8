"""Who may see what on the review side: reviewers see their queues' requests, supervisors all.

Anyone else (provider office staff, policy administrators) gets 404 on every reviewer URL, so
the review side's existence and contents never leak to them. Each request or document a
helper returns is a read of health information, noted in the PHI access log (`phi_read`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse

from priorauth.audit.models import Kind
from priorauth.audit.services import phi_read
from priorauth.members.models import Role, User
from priorauth.members.roles import QUEUE_ROLES
from priorauth.requests.models import Attachment, PriorAuthRequest, Status
from priorauth.review.models import QueueAssignment

View = Callable[..., HttpResponse]


def is_reviewer(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role in QUEUE_ROLES


def is_supervisor(user: User) -> bool:
    return is_reviewer(user) and user.role == Role.SUPERVISOR


def reviewer_required(view: View) -> View:
    """Return the view, open only to nurse and physician reviewers and supervisors (others 404)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not is_reviewer(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def assigned_queue_ids(user: User) -> set[int]:
    """Return the ids of the queues the user is assigned to work."""
    return set(QueueAssignment.objects.filter(reviewer=user).values_list("queue_id", flat=True))


def reviewer_may_see(user: User, pa: PriorAuthRequest) -> bool:
    """Return whether the user may open this request on the review side.

    Drafts are the provider's own until submitted. A supervisor sees every other request; a
    reviewer those in a queue they work, and any they hold a claim on.
    """
    if not is_reviewer(user) or pa.status == Status.DRAFT:
        return False
    if is_supervisor(user) or pa.claimed_by_id == user.pk:
        return True
    return pa.queue_id is not None and pa.queue_id in assigned_queue_ids(user)


def get_request_for_reviewer(user: User, pk: int, *, kind: str = Kind.REVIEW) -> PriorAuthRequest:
    """Return the request if the user may see it on the review side, or raise Http404.

    `kind` names what the caller shows of it in the access log (the letter, say).
    """
    pa = _request_for_reviewer(user, pk)
    phi_read(user=user, kind=kind, object_id=pa.pk, member_id=pa.member_id, request_id=pa.pk)
    return pa


def get_attachment_for_reviewer(user: User, pk: int) -> Attachment:
    """Return a document of a request the user may see on the review side, or raise Http404."""
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None:
        raise Http404("No such document.")
    pa = _request_for_reviewer(user, attachment.request_id)
    phi_read(user=user, kind=Kind.DOCUMENT, object_id=attachment.pk, member_id=pa.member_id, request_id=pa.pk)
    return attachment


def _request_for_reviewer(user: User, pk: int) -> PriorAuthRequest:
    if not is_reviewer(user):
        raise Http404("No such request.")
    found = PriorAuthRequest.objects.select_related(
        "member__plan", "product", "queue", "submitted_by", "claimed_by", "escalated_by", "organization"
    ).filter(pk=pk)
    found = found.exclude(status=Status.DRAFT)
    if not is_supervisor(user):
        found = found.filter(Q(queue__assignments__reviewer=user) | Q(claimed_by=user)).distinct()
    pa = found.first()
    if pa is None:
        raise Http404("No such request.")
    return pa
