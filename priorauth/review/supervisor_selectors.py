"""Reads for the supervisor's page: each queue's counts, its most urgent requests and its people.

Three queries whatever the number of queues and requests: the counts (one aggregate over the
queues), the most urgent open requests of every queue (one query; on PostgreSQL it reads only
each queue's first index entries), and who works or watches each queue (one query over the
assignments).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils import timezone

from priorauth.members.models import Role, User
from priorauth.members.roles import QUEUE_ROLES
from priorauth.policies.models import ReviewQueue
from priorauth.requests.models import PriorAuthRequest
from priorauth.review.models import QueueAssignment
from priorauth.review.selectors import (
    OPEN_STATUSES,
    QueueRow,
    row_for,
    supervisor_overview,
)

# Enough to act on the requests about to run out of time; the queue's own page lists the rest.
URGENT_PER_QUEUE = 5


@dataclass(frozen=True)
class QueueOverview:
    """A queue as the supervisor sees it: its counts, the requests due first, and its people.

    `reviewers` are the nurses and physicians who work it (the only people its requests may be
    reassigned to); `watchers` the supervisors assigned to watch it.
    """

    queue: ReviewQueue
    urgent: list[QueueRow] = field(default_factory=list)
    reviewers: list[User] = field(default_factory=list)
    watchers: list[User] = field(default_factory=list)


def supervisor_queues(
    now: datetime.datetime | None = None, per_queue: int = URGENT_PER_QUEUE
) -> list[QueueOverview]:
    """Return every queue with its counts, its `per_queue` open requests due first, and its people."""
    now = now or timezone.now()
    urgent = _most_urgent(per_queue, now)
    reviewers, watchers = _people()
    return [
        QueueOverview(
            queue=queue,
            urgent=urgent.get(queue.pk, []),
            reviewers=reviewers.get(queue.pk, []),
            watchers=watchers.get(queue.pk, []),
        )
        for queue in supervisor_overview(now)
    ]


def _most_urgent(per_queue: int, now: datetime.datetime) -> dict[int, list[QueueRow]]:
    # The same order as the queue's own page, so its first rows are the ones shown here.
    order = [F("due_at").asc(nulls_last=True), F("pk").asc()]
    found_rows = PriorAuthRequest.objects.select_related("claimed_by")
    if connection.vendor == "postgresql":
        found_rows = found_rows.filter(pk__in=_first_open_ids(per_queue)).order_by("queue_id", *order)
    else:
        # Elsewhere (SQLite in tests) rank every open request: the same rows, read from all of them.
        found_rows = (
            found_rows.filter(status__in=OPEN_STATUSES, queue__isnull=False)
            .annotate(rank=Window(RowNumber(), partition_by=[F("queue_id")], order_by=order))
            .filter(rank__lte=per_queue)
            .order_by("queue_id", "rank")
        )
    found: dict[int, list[QueueRow]] = defaultdict(list)
    for pa in found_rows:
        found[pa.queue_id].append(row_for(pa, now))
    return found


def _first_open_ids(per_queue: int) -> RawSQL:
    """Return, as a subquery, the ids of each queue's `per_queue` open requests due first.

    Each queue reads only its first entries of the open requests' index (request_open_queue_due,
    whose order this is), so the cost follows the number of queues, not of requests; ranking
    every open request took 128 ms at 100,000 (bench/README.md).
    """
    quote = connection.ops.quote_name
    requests, queues = quote(PriorAuthRequest._meta.db_table), quote(ReviewQueue._meta.db_table)
    statuses = ", ".join(["%s"] * len(OPEN_STATUSES))
    sql = (
        f"SELECT urgent.id FROM {queues} queue CROSS JOIN LATERAL ("
        f"SELECT pa.id FROM {requests} pa WHERE pa.queue_id = queue.id AND pa.status IN ({statuses})"
        " ORDER BY pa.due_at ASC NULLS LAST, pa.id ASC LIMIT %s) urgent"
    )
    return RawSQL(sql, (*OPEN_STATUSES, per_queue))


def _people() -> tuple[dict[int, list[User]], dict[int, list[User]]]:
    """Return, by queue id, the active reviewers who work it and the supervisors who watch it."""
    reviewers: dict[int, list[User]] = defaultdict(list)
    watchers: dict[int, list[User]] = defaultdict(list)
    pairs = (
        QueueAssignment.objects.filter(reviewer__is_active=True, reviewer__role__in=QUEUE_ROLES)
        .select_related("reviewer")
        .order_by("reviewer__last_name", "reviewer__username")
    )
    for pair in pairs:
        people = watchers if pair.reviewer.role == Role.SUPERVISOR else reviewers
        people[pair.queue_id].append(pair.reviewer)
    return reviewers, watchers
