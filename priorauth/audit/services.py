"""Record reads of health information: called by the access helpers, so no view can forget.

Within an HTTP request (PhiAccessMiddleware) a read is noted, and written when the response
succeeds (2xx): a helper that found the object but whose view then answered 404 or redirected
showed nothing, and one page that asks twice for the same object is one read. Outside a
request (a shell, a task) the row is written at once. A row that cannot be written fails the
response (fail closed): health information is never shown unrecorded.
"""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from priorauth.audit.models import DEFAULT_ACTIONS, SUPERUSER_ROLE, Action, PhiAccess

if TYPE_CHECKING:
    from priorauth.members.models import User


@dataclass
class Reads:
    """The reads of one HTTP request, waiting for its response."""

    address: str | None
    rows: dict[tuple[str, str, int | None], PhiAccess] = field(default_factory=dict)


_current: ContextVar[Reads | None] = ContextVar("priorauth_phi_reads", default=None)


def client_address(remote_addr: str | None) -> str | None:
    """Return REMOTE_ADDR if it is an IP address, else None (a socket path, garbage)."""
    try:
        return str(ipaddress.ip_address((remote_addr or "").strip()))
    except ValueError:
        return None


def phi_read(
    *,
    user: User,
    kind: str,
    object_id: int | None = None,
    member_id: int | None = None,
    request_id: int | None = None,
    action: str | None = None,
) -> None:
    """Note that the user read this object (of `kind`) concerning this member and request."""
    action = action or DEFAULT_ACTIONS.get(kind, Action.VIEW)
    reads = _current.get()
    row = PhiAccess(
        user_id=user.pk,
        username=user.get_username(),
        role=user.role or (SUPERUSER_ROLE if user.is_superuser else ""),
        organization_id=user.organization_id,
        kind=kind,
        action=action,
        object_id=object_id,
        member_id=member_id,
        request_id=request_id,
        address=reads.address if reads is not None else None,
    )
    if reads is None:
        row.save()
        return
    reads.rows.setdefault((kind, action, object_id), row)


def reads_begin(remote_addr: str | None) -> Token[Reads | None]:
    """Start collecting the reads of one HTTP request; pass the token to reads_end."""
    return _current.set(Reads(address=client_address(remote_addr)))


def reads_write() -> int:
    """Write the current request's reads (its response succeeded); return how many."""
    reads = _current.get()
    if reads is None or not reads.rows:
        return 0
    PhiAccess.objects.bulk_create(reads.rows.values())
    count = len(reads.rows)
    reads.rows.clear()
    return count


def reads_end(token: Token[Reads | None]) -> None:
    """Forget the request's reads that were not written (its response failed or redirected)."""
    _current.reset(token)
