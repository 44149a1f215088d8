"""Who may see an appeal: the request's organization's office staff, and the appeals reviewers.

Every read goes through these helpers, which write the PHI access log against the request the
appeal is about. Anyone else gets 404, as for requests.
"""

from __future__ import annotations

from django.http import Http404

from priorauth.appeals.models import Appeal
from priorauth.audit.models import Kind
from priorauth.audit.services import phi_read
from priorauth.members.models import User
from priorauth.requests.access import is_provider_staff
from priorauth.requests.models import Attachment
from priorauth.review.access import assigned_queue_ids, is_reviewer, is_supervisor

RELATED = (
    "request__member__plan",
    "request__product",
    "request__organization",
    "determination",
    "decided_by",
)


def may_work_appeals(user: User, queue_id: int) -> bool:
    """Return whether a reviewer sees appeals of this queue: supervisors all, others their own queues."""
    return is_supervisor(user) or (is_reviewer(user) and queue_id in assigned_queue_ids(user))


def _log(user: User, appeal: Appeal, kind: str) -> None:
    pa = appeal.request
    phi_read(user=user, kind=kind, object_id=pa.pk, member_id=pa.member_id, request_id=pa.pk)


def get_appeal_for_user(user: User, pk: int, *, kind: str = Kind.REQUEST) -> Appeal:
    """Return the appeal if the user may read it (its office's staff, an appeals reviewer), else Http404."""
    appeal = Appeal.objects.select_related(*RELATED).filter(pk=pk).first()
    if appeal is None:
        raise Http404("No such appeal.")
    if is_provider_staff(user):
        if appeal.request.organization_id != user.organization_id:
            raise Http404("No such appeal.")
    elif not may_work_appeals(user, appeal.queue_id):
        raise Http404("No such appeal.")
    _log(user, appeal, kind)
    return appeal


def get_appeal_for_reviewer(user: User, pk: int) -> Appeal:
    """Return the appeal if the user works its queue (a supervisor: any), else Http404."""
    if not is_reviewer(user):
        raise Http404("No such appeal.")
    return get_appeal_for_user(user, pk, kind=Kind.REVIEW)


def get_appeal_document(user: User, appeal_pk: int, pk: int) -> Attachment:
    """Return a document of the appeal's request for an appeals reviewer, else Http404."""
    appeal = Appeal.objects.filter(pk=appeal_pk).first()
    if appeal is None or not may_work_appeals(user, appeal.queue_id):
        raise Http404("No such document.")
    attachment = Attachment.objects.filter(pk=pk, request_id=appeal.request_id).first()
    if attachment is None:
        raise Http404("No such document.")
    phi_read(
        user=user,
        kind=Kind.DOCUMENT,
        object_id=attachment.pk,
        member_id=appeal.request.member_id,
        request_id=appeal.request_id,
    )
    return attachment
