"""The impact preview's reads: the requests' facts in one query, and the preview itself.

Only the columns the deferral logic reads and the page shows are loaded: no member name, ID,
birth date or diagnoses. Nothing is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q
from django.db.models.fields.json import KT
from django.utils import timezone

from priorauth.policies import vocab
from priorauth.policies.deferral import Coverage, RequestFacts
from priorauth.policies.impact import compare, drafts
from priorauth.policies.selectors import policy_snapshot
from priorauth.requests.models import OPEN_STATUSES, PriorAuthRequest, Status

# The second set the preview re-decides: requests received in the last 90 days (issue 14).
RECENT = datetime.timedelta(days=90)
STATUS_LABELS = dict(Status.choices)
_COLUMNS = (
    "id",
    "number",
    "status",
    "queue__code",
    "routed_to",
    "product__hcpcs",
    "product__brand",
    "category",
    "genetically_modified",
    "urgency",
    "date_of_service",
    "received_at",
    "plan_state",
    "member__plan__code",
    "member__coverage_periods__start",
    "member__coverage_periods__end",
)


def request_rows(*, since: datetime.datetime | None, open_only: bool = False) -> list[compare.RequestRow]:
    """Return the submitted requests that are open or were received at or after `since`.

    One query: a request with several coverage periods comes back as several rows, joined here.
    Requests without a date of service or receipt (none once submitted) are left out.
    """
    wanted = Q(status__in=OPEN_STATUSES)
    if since is not None and not open_only:
        wanted |= Q(received_at__gte=since)
    query = (
        PriorAuthRequest.objects.filter(wanted)
        .annotate(routed_to=KT("decision__queue"))
        .exclude(status=Status.DRAFT)
        .exclude(received_at=None)
        .exclude(date_of_service=None)
        .order_by("id")
        .values_list(*_COLUMNS)
    )
    return list(_rows(query))


def _rows(lines: Iterable[tuple[Any, ...]]) -> Iterator[compare.RequestRow]:
    current: tuple[Any, ...] | None = None
    periods: list[Coverage] = []
    for line in lines:
        if current is not None and line[0] != current[0]:
            yield _row(current, periods)
            periods = []
        current = line
        if line[-2] is not None:
            periods.append(Coverage(line[-2], line[-1]))
    if current is not None:
        yield _row(current, periods)


def _row(line: tuple[Any, ...], periods: list[Coverage]) -> compare.RequestRow:
    (pk, number, status, queue, routed_to, hcpcs, brand, category, modified, urgency, dos, received,
     state, plan, *_) = line  # fmt: skip
    return compare.RequestRow(
        id=pk,
        number=number or f"Draft {pk}",
        status=STATUS_LABELS.get(status, status),
        queue=queue,
        therapy=brand or vocab.CATEGORIES.get(category, category),
        plan_state=state,
        is_open=status in OPEN_STATUSES,
        routed_to=routed_to or None,
        facts=RequestFacts(
            plan=plan,
            coverage=tuple(periods),
            hcpcs=hcpcs,
            category=None if hcpcs else category,
            genetically_modified=None if hcpcs else modified,
            # Never read by the deferral logic (MHPAEA parity), so never loaded.
            diagnoses=(),
            urgency=urgency,
            date_of_service=dos,
            received_at=received,
        ),
    )


def impact_preview(
    changes: Iterable[drafts.Change], *, now: datetime.datetime | None = None
) -> compare.Preview:
    """Return what the draft change would do to the open requests and those of the last 90 days."""
    since = (now or timezone.now()) - RECENT
    before = policy_snapshot()
    after = drafts.with_changes(before, changes)
    return compare.preview(request_rows(since=since), before, after, since=since)
