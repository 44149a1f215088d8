"""Reads for the appeals pages: the queue's open appeals, a request's appeals."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from priorauth.appeals.models import Appeal, AppealStatus
from priorauth.members.models import User
from priorauth.requests import clock
from priorauth.requests.models import PriorAuthRequest
from priorauth.review.access import assigned_queue_ids, is_supervisor


@dataclass(frozen=True)
class AppealRow:
    appeal: Appeal
    due_state: str
    time_left: str


def due_state(appeal: Appeal, now: datetime.datetime) -> str:
    """Return "overdue", "at_risk" or "on_track" for an open appeal (the queues' words)."""
    if now >= appeal.due_at:
        return "overdue"
    if appeal.at_risk_at is not None and now >= appeal.at_risk_at:
        return "at_risk"
    return "on_track"


def open_appeals(user: User) -> QuerySet[Appeal]:
    """Return the open appeals the user works (a supervisor: all), the earliest due first."""
    found = Appeal.objects.filter(status=AppealStatus.OPEN).select_related(
        "request__member__plan", "request__product", "determination__decided_by", "queue"
    )
    if not is_supervisor(user):
        found = found.filter(queue_id__in=assigned_queue_ids(user))
    return found.order_by("due_at", "pk")


def rows(appeals: QuerySet[Appeal], now: datetime.datetime) -> list[AppealRow]:
    return [AppealRow(a, due_state(a, now), clock.time_left(a.due_at, now)) for a in appeals]


def appeals_of(pa: PriorAuthRequest) -> list[Appeal]:
    """Return the request's appeals, newest first, with their documents and deciders."""
    return list(
        pa.appeals.select_related("decided_by", "filed_by")
        .prefetch_related("documents")
        .order_by("-received_at")
    )


def recent_specialty(pa: PriorAuthRequest) -> str:
    """Return the ordering provider's specialty as last given on this organization's appeals ("" if none)."""
    if not pa.ordering_npi:
        return ""
    latest = (
        Appeal.objects.filter(
            request__organization_id=pa.organization_id, request__ordering_npi=pa.ordering_npi
        )
        .exclude(ordering_specialty="")
        .order_by("-received_at")
        .values_list("ordering_specialty", flat=True)
        .first()
    )
    return latest or ""
