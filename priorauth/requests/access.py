"""Who may see what on the provider's side: one helper per object kind, 404 for anything else.

Provider office staff see only their own organization's requests, members and documents.
Anything outside answers 404 (not 403), so the existence of another organization's data
never leaks. Other roles have their own pages: provider pages answer them 403. Each object a
helper returns is a read of health information, noted in the PHI access log (`phi_read`).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from priorauth.audit.models import Kind
from priorauth.audit.services import phi_read
from priorauth.members.models import Member, Role, User
from priorauth.requests.models import Attachment, PriorAuthRequest

View = Callable[..., HttpResponse]


def is_provider_staff(user: User) -> bool:
    return user.is_authenticated and user.role == Role.PROVIDER_STAFF and user.organization_id is not None


def provider_required(view: View) -> View:
    """Return the view, open only to logged-in provider office staff (others get 403)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not is_provider_staff(request.user):
            raise PermissionDenied("These pages are for provider office staff.")
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def get_request_for_user(user: User, pk: int, *, kind: str = Kind.REQUEST) -> PriorAuthRequest:
    """Return the user's organization's request, or raise Http404.

    `kind` names what the caller shows of it in the access log (the letter, say).
    """
    found = (
        PriorAuthRequest.objects.select_related("member__plan", "product", "queue", "submitted_by")
        .filter(pk=pk, organization_id=user.organization_id)
        .first()
    )
    if found is None or not is_provider_staff(user):
        raise Http404("No such request.")
    phi_read(user=user, kind=kind, object_id=found.pk, member_id=found.member_id, request_id=found.pk)
    return found


def get_draft_for_user(user: User, pk: int) -> PriorAuthRequest:
    """Return the user's organization's request, or raise Http404; the caller checks it is a draft."""
    return get_request_for_user(user, pk)


def get_attachment_for_user(user: User, pk: int) -> Attachment:
    """Return a document on one of the user's organization's requests, or raise Http404."""
    found = (
        Attachment.objects.select_related("request")
        .filter(pk=pk, request__organization_id=user.organization_id)
        .first()
    )
    if found is None or not is_provider_staff(user):
        raise Http404("No such document.")
    phi_read(
        user=user,
        kind=Kind.DOCUMENT,
        object_id=found.pk,
        member_id=found.request.member_id,
        request_id=found.request_id,
    )
    return found


def get_member_for_user(user: User, pk: int) -> Member:
    """Return a member the user's organization has a request for, or raise Http404.

    Office staff reach a new member only through the lookup (member ID and date of birth);
    browsing is limited to members their organization has already started a request for.
    """
    found = (
        Member.objects.select_related("plan")
        .filter(pk=pk, requests__organization_id=user.organization_id)
        .distinct()
        .first()
    )
    if found is None or not is_provider_staff(user):
        raise Http404("No such member.")
    phi_read(user=user, kind=Kind.MEMBER, object_id=found.pk, member_id=found.pk)
    return found


_TICKET_SALT = "priorauth.requests.member-ticket"
TICKET_MAX_AGE = 60 * 60 * 2


@dataclass(frozen=True)
class MemberTicket:
    member: Member
    token: uuid.UUID
    date_of_service: datetime.date | None


def member_ticket(user: User, member: Member, date_of_service: datetime.date | None) -> str:
    """Return a signed proof that this user found this member by ID and date of birth.

    It travels in a hidden field of the "Start request" form, so the member's ID never goes
    in a URL; the token in it makes a repeated start find the same draft.
    """
    payload = {
        "m": member.pk,
        "u": user.pk,
        "t": uuid.uuid4().hex,
        "d": date_of_service.isoformat() if date_of_service else None,
    }
    return signing.dumps(payload, salt=_TICKET_SALT)


class TicketExpired(Exception):
    """A member-lookup ticket that is stale, garbled or names no member: the user looks up again."""

    message = "This member lookup has expired or is no longer valid. Please look the member up again."


def member_from_ticket(user: User, ticket: str) -> MemberTicket:
    """Return the member a ticket proves the user looked up.

    A stale, garbled or memberless ticket raises TicketExpired, which names no one; a ticket
    made for another user is Http404, like any other organization's data.
    """
    try:
        payload = signing.loads(ticket, salt=_TICKET_SALT, max_age=TICKET_MAX_AGE)
    except signing.BadSignature as error:
        raise TicketExpired from error
    if payload.get("u") != user.pk or not is_provider_staff(user):
        raise Http404("No such member.")
    member = Member.objects.filter(pk=payload.get("m")).first()
    if member is None:
        raise TicketExpired
    phi_read(user=user, kind=Kind.MEMBER, object_id=member.pk, member_id=member.pk)
    day = datetime.date.fromisoformat(payload["d"]) if payload.get("d") else None
    return MemberTicket(member=member, token=uuid.UUID(payload["t"]), date_of_service=day)
