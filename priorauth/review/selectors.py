"""Reads for the reviewers' pages: queues with their counts, a queue's page, the review screen's texts.

Counts are one aggregate query over the queues; a queue page is one query whatever the number
of requests (no total count: see `QueuePage`), because every row's related records come in the
same query (`select_related`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, FilteredRelation, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from priorauth.members.models import User
from priorauth.members.roles import DECIDING_ROLES
from priorauth.policies import vocab
from priorauth.policies.models import Policy, ReviewQueue
from priorauth.requests import clock
from priorauth.requests.models import OPEN_STATUSES, PriorAuthRequest, Status
from priorauth.review.access import is_supervisor
from priorauth.review.models import QueueAssignment

PAGE_SIZE = 25
CLAIM_UNCLAIMED, CLAIM_MINE = "unclaimed", "mine"


def _open(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": OPEN_STATUSES})


def _with_counts(queues: QuerySet[ReviewQueue], now: datetime.datetime) -> list[ReviewQueue]:
    """Return the queues, by code, with open, pended, at-risk and overdue counts and the oldest due time.

    At risk: three quarters of the timeframe used but not yet due. Overdue: past its due time.
    A request whose clock is stopped (no due time) is open but neither.
    """
    if connection.vendor == "postgresql":
        return _counted_by_queue(queues, now)
    # The open condition goes in the join, so only open requests are read.
    opened = FilteredRelation("priorauthrequest", condition=_open("priorauthrequest__"))
    return list(
        queues.annotate(open_pa=opened)
        .annotate(
            open_count=Count("open_pa"),
            pended_count=Count("open_pa", filter=Q(open_pa__status=Status.PENDED)),
            at_risk_count=Count("open_pa", filter=Q(open_pa__at_risk_at__lte=now, open_pa__due_at__gt=now)),
            overdue_count=Count("open_pa", filter=Q(open_pa__due_at__lte=now)),
            oldest_due=Min("open_pa__due_at"),
        )
        .order_by("code")
    )


def _counted_by_queue(queues: QuerySet[ReviewQueue], now: datetime.datetime) -> list[ReviewQueue]:
    """Return `_with_counts` in one query that counts each queue from its range of the open index.

    Counting stays proportional to the open requests, but asked per queue PostgreSQL always
    reads the index on open requests (request_open_queue_due, which carries the status and
    at-risk time), never the table; the join used elsewhere was planned as a scan of the whole
    table when most requests were open (41 ms against 11 ms at 100,000: bench/README.md).
    """
    quote = connection.ops.quote_name
    chosen, chosen_params = queues.order_by().values("pk").query.sql_with_params()
    statuses = ", ".join(["%s"] * len(OPEN_STATUSES))
    sql = (
        f"SELECT queue.*, counts.* FROM {quote(ReviewQueue._meta.db_table)} queue CROSS JOIN LATERAL ("
        "SELECT count(*) AS open_count, count(*) FILTER (WHERE pa.status = %s) AS pended_count,"
        " count(*) FILTER (WHERE pa.at_risk_at <= %s AND pa.due_at > %s) AS at_risk_count,"
        " count(*) FILTER (WHERE pa.due_at <= %s) AS overdue_count, min(pa.due_at) AS oldest_due"
        f" FROM {quote(PriorAuthRequest._meta.db_table)} pa"
        f" WHERE pa.queue_id = queue.id AND pa.status IN ({statuses})) counts"
        f" WHERE queue.id IN ({chosen}) ORDER BY queue.code"
    )
    params = (Status.PENDED, now, now, now, *OPEN_STATUSES, *chosen_params)
    return list(ReviewQueue.objects.raw(sql, params))


def reviewer_queues(user: User, now: datetime.datetime | None = None) -> list[ReviewQueue]:
    """Return the queues the reviewer works (every queue for a supervisor), with their counts."""
    queues = ReviewQueue.objects.all()
    if not is_supervisor(user):
        queues = queues.filter(pk__in=user.queue_assignments.values("queue_id"))
    return _with_counts(queues, now or timezone.now())


def supervisor_overview(now: datetime.datetime | None = None) -> list[ReviewQueue]:
    """Return every queue with its open, at-risk and overdue counts and its oldest due time."""
    return _with_counts(ReviewQueue.objects.all(), now or timezone.now())


def reviewer_workload() -> QuerySet[User]:
    """Return the active reviewers with how many open requests each has claimed, busiest first."""
    claimed = (
        PriorAuthRequest.objects.filter(_open(), claimed_by=OuterRef("pk"))
        .values("claimed_by")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        User.objects.filter(role__in=DECIDING_ROLES, is_active=True)
        .annotate(claimed_count=Coalesce(Subquery(claimed), 0))
        .order_by("-claimed_count", "username")
    )


def _rows() -> QuerySet[PriorAuthRequest]:
    return PriorAuthRequest.objects.select_related("queue", "product", "member__plan", "claimed_by")


def claimed_by(user: User) -> QuerySet[PriorAuthRequest]:
    """Return the open requests the reviewer has claimed, most urgent first."""
    return _rows().filter(_open(), claimed_by=user).order_by(F("due_at").asc(nulls_last=True), "pk")


@dataclass(frozen=True)
class QueueFilters:
    """A queue page's filters; every value is a code (never member data), empty for any."""

    urgency: str = ""
    category: str = ""
    state: str = ""
    status: str = ""
    claim: str = ""


def queue_requests(
    queue: ReviewQueue, filters: QueueFilters, user: User | None = None
) -> QuerySet[PriorAuthRequest]:
    """Return the queue's open requests matching the filters, the earliest due first.

    A request with no due time (its clock stopped while pended) comes last. The state is the
    plan's state stored when the request was routed (a member who moves later stays in it).
    """
    found = _rows().filter(queue=queue)
    found = found.filter(status=filters.status) if filters.status else found.filter(_open())
    if filters.urgency:
        found = found.filter(urgency=filters.urgency)
    if filters.category:
        found = found.filter(category=filters.category)
    if filters.state:
        found = found.filter(plan_state=filters.state)
    if filters.claim == CLAIM_UNCLAIMED:
        found = found.filter(claimed_by__isnull=True)
    elif filters.claim == CLAIM_MINE and user is not None:
        found = found.filter(claimed_by=user)
    return found.order_by(F("due_at").asc(nulls_last=True), "pk")


@dataclass(frozen=True)
class QueueRow:
    """A request as a queue lists it, with where it stands against its due time."""

    pa: PriorAuthRequest
    due_state: clock.DueState
    time_left: str


@dataclass(frozen=True)
class QueuePage:
    """Where a queue page sits: its number, how many rows it shows, and whether more follow.

    There is no total: counting every match costs time in proportion to the queue (a hundred
    thousand requests made the count the slowest part of the page; see bench/), while a
    reviewer works from the top. Fetching one row more than a page tells whether a next exists.
    """

    number: int
    shown: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def first_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1

    @property
    def last_index(self) -> int:
        return self.first_index + self.shown - 1


# No queue fills a million pages (25 million open requests): a larger number is a mangled link,
# and its row offset would not fit the database's integers.
MAX_PAGE = 1_000_000


def _page_number(page: str | int | None) -> int:
    """Return the page asked for; one that is not a number, or no queue could reach, is page 1.

    Page 1 as for any page past the end (see `queue_page`), which is found without a count.
    """
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else 1


def queue_page(
    queue: ReviewQueue,
    filters: QueueFilters,
    page: str | int | None,
    *,
    user: User | None = None,
    now: datetime.datetime | None = None,
) -> tuple[QueuePage, list[QueueRow]]:
    """Return one page of the queue (25 requests) and its rows: one query, whatever the size.

    A page number past the end (a stale link) gives the first page.
    """
    now = now or timezone.now()
    number = _page_number(page)
    found = queue_requests(queue, filters, user)
    start = (number - 1) * PAGE_SIZE
    fetched = list(found[start : start + PAGE_SIZE + 1])
    if not fetched and number > 1:
        return queue_page(queue, filters, 1, user=user, now=now)
    shown = fetched[:PAGE_SIZE]
    place = QueuePage(number=number, shown=len(shown), has_next=len(fetched) > PAGE_SIZE)
    return place, [row_for(pa, now) for pa in shown]


def row_for(pa: PriorAuthRequest, now: datetime.datetime) -> QueueRow:
    """Return a request's row: its due state and the time left, judged at `now`."""
    state = clock.due_state(received_at=pa.received_at, due_at=pa.due_at, at_risk_at=pa.at_risk_at, now=now)
    return QueueRow(pa=pa, due_state=state, time_left=clock.time_left(pa.due_at, now))


def state_choices() -> list[tuple[str, str]]:
    """Return the states a plan may be in, the served ones first."""
    served = [(code, vocab.US_STATES[code]) for code in vocab.SERVED_STATES]
    return served + [(c, n) for c, n in sorted(vocab.US_STATES.items()) if c not in vocab.SERVED_STATES]


@dataclass(frozen=True)
class PolicySection:
    label: str
    text: str = ""
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicyText:
    """A policy version's statement, sections A to I, as a review screen shows it."""

    policy: Policy
    sections: tuple[PolicySection, ...]
    in_effect: bool


def policy_text(number: str, effective: datetime.date | None, on: datetime.date | None) -> PolicyText | None:
    """Return the statement of the policy version a request was decided under, or None.

    The version is the one stored with the request (number and effective date). A request
    stored without the effective date gets the version of that number in effect on `on`.
    """
    if not number:
        return None
    versions = Policy.objects.filter(number=number).prefetch_related("revisions")
    chosen = next((p for p in versions if p.effective == effective), None) if effective else None
    if chosen is None and on is not None:
        chosen = next((p for p in versions if p.is_in_effect(on)), None)
    if chosen is None:
        return None
    return PolicyText(
        policy=chosen,
        sections=_sections(chosen),
        in_effect=on is not None and chosen.is_in_effect(on),
    )


def _sections(policy: Policy) -> tuple[PolicySection, ...]:
    """Return sections A to I in order: G lists related policies, H the revision history."""
    text = {name: getattr(policy, name) for name in vocab.TEXT_SECTIONS}
    before = [
        PolicySection(label, text[name])
        for name, label in vocab.TEXT_SECTIONS.items()
        if name != "references"
    ]
    related = PolicySection("G. Related Policies/Rules", lines=tuple(str(r) for r in policy.related or ()))
    history = PolicySection(
        "H. Review/Revision History",
        lines=tuple(f"{r.date:%m/%d/%Y}: {r.action}" for r in policy.revisions.all()),
    )
    references = PolicySection(vocab.TEXT_SECTIONS["references"], text["references"])
    return (*before, related, history, references)


def assignments() -> QuerySet[QueueAssignment]:
    """Return every reviewer-queue pair, by queue, with who set it."""
    return QueueAssignment.objects.select_related("reviewer", "queue", "assigned_by").order_by(
        "queue__code", "reviewer__username"
    )
