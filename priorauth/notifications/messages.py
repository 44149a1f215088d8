"""What a notification says and where it links: the context its templates render, built at delivery.

Each recipient reads only what they may already see: the provider their own request's
number, status and due time; reviewers and supervisors request numbers, queues and due times.
Nothing here names the member, a diagnosis or the therapy. An email says where, not what: it
carries no clinical text (a pend's question, a reason, a note); the in-app centre, behind the
sign-in, shows the pend's question.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from priorauth.members.models import Role, User
from priorauth.notifications.models import Event, Notification
from priorauth.policies.models import ReviewQueue
from priorauth.requests import clock
from priorauth.requests.models import InformationRequest, PriorAuthRequest, Status
from priorauth.review.models import PeerToPeer

# A request is open (its clock may run) until it is decided, withdrawn or needs no authorization.
OPEN_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW, Status.PENDED)
DIGEST_OLDEST = 10
# Events whose message links the determination letter.
LETTER_EVENTS = frozenset({Event.DETERMINED, Event.REDETERMINED})
PEER_TO_PEER_EVENTS = frozenset(
    {Event.PEER_TO_PEER_REQUESTED, Event.PEER_TO_PEER_SCHEDULED, Event.PEER_TO_PEER_REMINDER}
)


def request_path(user: User, request_id: int) -> str:
    """Return the request's page for this person: the provider's page or the reviewer's."""
    if user.role == Role.PROVIDER_STAFF:
        return reverse("requests:detail", args=[request_id])
    return _path_or("review:request", [request_id], f"/review/requests/{request_id}/")


def letter_path(request_id: int) -> str:
    """Return the determination letter's page."""
    return _path_or("letters:letter", [request_id], f"/letters/{request_id}/")


def appeal_paths(user: User, n: Notification) -> tuple[str, str]:
    """Return an appeal notification's links: where to act on it, and its letter once decided.

    The office reads the appeal on the request's page; a physician works it on its review page.
    """
    appeal_id = n.context.get("appeal_id")
    if not appeal_id or n.request_id is None:
        return "", ""
    if user.role == Role.PROVIDER_STAFF:
        link = request_path(user, n.request_id)
    else:
        link = _path_or("appeals:review", [appeal_id], f"/appeals/{appeal_id}/review/")
    decided = n.event == Event.APPEAL_DECIDED
    letter = _path_or("appeals:letter", [appeal_id], f"/appeals/{appeal_id}/letter/") if decided else ""
    return link, letter


def _path_or(name: str, args: list[Any], fallback: str) -> str:
    # The review side names its URLs in its own module; the paths themselves are the contract.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def absolute(path: str) -> str:
    """Return a link for an email: SITE_URL and the path (just the path when SITE_URL is unset)."""
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


def email_context(notification: Notification) -> dict[str, Any]:
    """Return the template context of a notification's email."""
    context: dict[str, Any] = {"notification": notification, "subject": notification.subject}
    pa = notification.request
    if pa is not None:
        now = timezone.now()
        context.update(
            pa=pa,
            link=absolute(request_path(notification.recipient, pa.pk)),
            time_left=clock.time_left(pa.due_at, now),
        )
    if notification.event in LETTER_EVENTS and pa is not None:
        context["letter_link"] = absolute(letter_path(pa.pk))
    if notification.event in (Event.APPEAL_FILED, Event.APPEAL_DECIDED) and pa is not None:
        link, letter = appeal_paths(notification.recipient, notification)
        context["link"] = absolute(link) if link else context["link"]
        context["letter_link"] = absolute(letter) if letter else ""
    if notification.event in PEER_TO_PEER_EVENTS:
        context["talk"] = _talk(notification)
    if notification.event == Event.PENDED:
        context["asked"] = _information_request(notification)
    if notification.event == Event.DIGEST:
        context["digest"] = digest(notification.recipient, timezone.now())
        context["link"] = absolute("/review/")
    return context


@dataclass(frozen=True)
class InAppItem:
    """An in-app notification as the centre shows it: its links and the facts of its short body.

    `due_at` is the due time when the event happened (a message says what was true when sent);
    `asked` is a pend's question; `to`/`taken_from` name a reassignment's reviewers and
    `reassigned` says which of them the reader is ("to_you", "from_you" or "" for a colleague).
    """

    notification: Notification
    link: str
    letter: str = ""
    due_at: datetime.datetime | None = None
    asked: InformationRequest | None = None
    to: User | None = None
    taken_from: User | None = None
    reassigned: str = ""
    talk: PeerToPeer | None = None


def in_app_items(user: User, notifications: Iterable[Notification]) -> list[InAppItem]:
    """Return the centre's items for the user's notifications, in order: at most two more queries.

    The notifications come with their request, its queue and its claimer (`select_related`);
    the pends' questions and the reassignments' reviewers are read in one query each.
    """
    found = list(notifications)
    asked_ids = {n.context.get("information_request_id") for n in found if n.event == Event.PENDED}
    asked = InformationRequest.objects.in_bulk([pk for pk in asked_ids if pk])
    people_ids = {
        n.context.get(key)
        for n in found
        if n.event == Event.REASSIGNED
        for key in ("reviewer_id", "previous_reviewer_id")
    }
    people = User.objects.in_bulk([pk for pk in people_ids if pk])
    return [_item(user, n, asked, people) for n in found]


def _item(
    user: User, n: Notification, asked: dict[int, InformationRequest], people: dict[int, User]
) -> InAppItem:
    question = asked.get(n.context.get("information_request_id"))
    to, taken_from = (
        people.get(n.context.get("reviewer_id")),
        people.get(n.context.get("previous_reviewer_id")),
    )
    reassigned = ""
    if n.event == Event.REASSIGNED:
        reassigned = "to_you" if to is None or to.pk == user.pk else ""
        reassigned = "from_you" if taken_from is not None and taken_from.pk == user.pk else reassigned
    link = request_path(user, n.request_id) if n.request_id else ""
    letter = letter_path(n.request_id) if n.event in LETTER_EVENTS and n.request_id else ""
    if n.event in (Event.APPEAL_FILED, Event.APPEAL_DECIDED):
        link, letter = appeal_paths(user, n)
    return InAppItem(
        notification=n,
        link=link,
        letter=letter,
        due_at=_moment(n.context.get("due_at")),
        asked=question if question is not None and question.request_id == n.request_id else None,
        to=to,
        taken_from=taken_from,
        reassigned=reassigned,
        talk=_talk(n) if n.event in PEER_TO_PEER_EVENTS else None,
    )


def _moment(text: str | None) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _talk(notification: Notification) -> PeerToPeer | None:
    talk_id = notification.context.get("peer_to_peer_id")
    return PeerToPeer.objects.filter(pk=talk_id or 0, request_id=notification.request_id).first()


def _information_request(notification: Notification) -> InformationRequest | None:
    asked_id = notification.context.get("information_request_id")
    return InformationRequest.objects.filter(pk=asked_id, request_id=notification.request_id).first()


@dataclass(frozen=True)
class QueueCounts:
    name: str
    open: int
    at_risk: int
    overdue: int


@dataclass(frozen=True)
class DueItem:
    number: str
    queue: str
    due_at: datetime.datetime
    time_left: str


@dataclass(frozen=True)
class Digest:
    queues: list[QueueCounts]
    oldest: list[DueItem]


def digest(user: User, now: datetime.datetime) -> Digest:
    """Return the reviewer's queues with their open, at-risk and overdue counts, and the items due first."""
    queue_ids = list(user.queue_assignments.values_list("queue_id", flat=True))
    open_requests = PriorAuthRequest.objects.filter(queue_id__in=queue_ids, status__in=OPEN_STATUSES)
    mine = Q(priorauthrequest__status__in=OPEN_STATUSES)
    queues = (
        ReviewQueue.objects.filter(pk__in=queue_ids)
        .annotate(
            open_count=Count("priorauthrequest", filter=mine),
            at_risk_count=Count(
                "priorauthrequest",
                filter=mine & Q(priorauthrequest__at_risk_at__lte=now, priorauthrequest__due_at__gt=now),
            ),
            overdue_count=Count("priorauthrequest", filter=mine & Q(priorauthrequest__due_at__lte=now)),
        )
        .order_by("name")
    )
    oldest = open_requests.filter(due_at__isnull=False).select_related("queue").order_by("due_at", "pk")
    return Digest(
        queues=[QueueCounts(q.name, q.open_count, q.at_risk_count, q.overdue_count) for q in queues],
        oldest=[
            DueItem(pa.number or "", pa.queue.name, pa.due_at, clock.time_left(pa.due_at, now))
            for pa in oldest[:DIGEST_OLDEST]
        ],
    )
