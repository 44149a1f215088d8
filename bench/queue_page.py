"""The queue-page benchmark: fill the database with open requests, then time a reviewer's queue page.

The rows are written with `bulk_create` in batches, not through the intake services: the
benchmark measures reading a queue, and a hundred thousand submissions would take far longer
than the reads. The values still look like submitted requests: a due time from the received
time and urgency, the at-risk time three quarters of the way there, and a stopped clock (no due
time) for some pended requests.
"""

from __future__ import annotations

import datetime
import itertools
import json
import pathlib
import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from priorauth.members.models import CoveragePeriod, Member, Plan, ProviderOrganization, Role, User
from priorauth.policies.models import Product, ReviewQueue
from priorauth.policies.services import bundle_import
from priorauth.requests.models import PriorAuthRequest, Status
from priorauth.review.models import QueueAssignment

BUNDLE = pathlib.Path(__file__).resolve().parents[1] / "policies" / "mp-ad-1623.bundle.json"
# The queue the nurse works: the busiest one, as CAR-T medical necessity is in practice.
MEASURED_QUEUE = "mn-car-t"
MEASURED_SHARE = 0.4
ORGANIZATIONS = 50
REQUESTS_PER_MEMBER = 4
BATCH = 5000
# A filter a nurse would use: expedited, in review, for one state's members.
FILTERED_QUERY = {"urgency": "expedited", "state": "GA", "status": Status.IN_REVIEW.value}
# Each filter alone, at a value matching a small part of the queue (tcr_t: one product in nine,
# WV: one plan in six, mine: the nurse's share of the claimed).
SINGLE_FILTERS = {
    "urgency": {"urgency": "expedited"},
    "category": {"category": "tcr_t"},
    "state": {"state": "WV"},
    "status": {"status": Status.PENDED.value},
    "claimed": {"claim": "mine"},
}
STATUSES = ((Status.IN_REVIEW, 0.5), (Status.SUBMITTED, 0.3), (Status.PENDED, 0.2))
# Expedited requests are due in 72 hours, standard ones in 15 days (the usual timeframes).
TIMEFRAMES = {"expedited": datetime.timedelta(hours=72), "standard": datetime.timedelta(days=15)}
EXPEDITED_SHARE = 0.2
# Received over the last 20 days: many standard requests are due ahead, most expedited ones overdue.
RECEIVED_WITHIN = datetime.timedelta(days=20)
CLAIMED_SHARE = 0.3
STOPPED_CLOCK_SHARE = 0.3


@dataclass
class World:
    """What the requests refer to: the queues, products, plans, submitters, and the measuring nurse."""

    queue: ReviewQueue
    other_queues: list[ReviewQueue]
    products_by_queue: dict[int, list[Product]]
    plans: list[Plan]
    organizations: list[ProviderOrganization]
    staff: dict[int, User]
    reviewers: list[User]
    nurse: User
    supervisor: User
    added: int = 0


def world_create() -> World:
    """Return the benchmark's world: the seed bundle, organizations with their staff, reviewers.

    The nurse is assigned to the measured queue only.
    """
    bundle_import(data=json.loads(BUNDLE.read_text()))
    organizations = ProviderOrganization.objects.bulk_create(
        ProviderOrganization(name=f"Bench Oncology {i}", npi=f"9{i:09d}", tin=f"{i:09d}")
        for i in range(ORGANIZATIONS)
    )
    staff = User.objects.bulk_create(
        User(username=f"bench-staff-{o.pk}", role=Role.PROVIDER_STAFF, organization=o) for o in organizations
    )
    reviewers = User.objects.bulk_create(
        User(username=f"bench-nurse-{i}", first_name="Nurse", last_name=str(i), role=Role.CLINICAL_REVIEWER)
        for i in range(5)
    )
    queue = ReviewQueue.objects.get(code=MEASURED_QUEUE)
    QueueAssignment.objects.create(reviewer=reviewers[0], queue=queue)
    supervisor = User.objects.create(username="bench-supervisor", role=Role.SUPERVISOR)
    others = list(ReviewQueue.objects.exclude(pk=queue.pk))
    return World(
        queue=queue,
        other_queues=others,
        products_by_queue=_products_by_queue([queue, *others]),
        plans=list(Plan.objects.all()),
        organizations=organizations,
        staff={u.organization_id: u for u in staff},
        reviewers=reviewers,
        nurse=reviewers[0],
        supervisor=supervisor,
    )


def _products_by_queue(queues: list[ReviewQueue]) -> dict[int, list[Product]]:
    """Return plausible products per queue: T-cell therapies for CAR-T, gene therapies for genes."""
    products = list(Product.objects.all())
    by_code = {
        "mn-car-t": [p for p in products if p.category in {"car_t", "tcr_t", "til"}],
        "mn-gene-therapy": [p for p in products if p.category == "gene_therapy"],
    }
    return {q.pk: by_code.get(q.code, products) for q in queues}


def requests_add(world: World, count: int, *, now: datetime.datetime | None = None, seed: int = 1623) -> None:
    """Add `count` open requests (with their members and coverage), in batches of BATCH rows."""
    now = now or timezone.now()
    rng = random.Random(seed + world.added)
    start = world.added
    for first in range(start, start + count, BATCH):
        size = min(BATCH, start + count - first)
        members = _members_add(world, rng, first, size)
        PriorAuthRequest.objects.bulk_create(
            (_request(world, rng, now, first + i, members[i // REQUESTS_PER_MEMBER]) for i in range(size)),
            batch_size=BATCH,
        )
    world.added += count


def _members_add(world: World, rng: random.Random, first: int, size: int) -> list[Member]:
    count = -(-size // REQUESTS_PER_MEMBER)
    members = Member.objects.bulk_create(
        Member(
            member_id=f"B{first + i:011d}",
            first_name="Bench",
            last_name=f"Member {first + i}",
            date_of_birth=datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(20000)),
            plan=rng.choice(world.plans),
        )
        for i in range(count)
    )
    CoveragePeriod.objects.bulk_create(
        CoveragePeriod(member=m, start=datetime.date(2026, 1, 1), end=datetime.date(2027, 12, 31))
        for m in members
    )
    return members


def _weighted(rng: random.Random, choices: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _request(
    world: World, rng: random.Random, now: datetime.datetime, index: int, member: Member
) -> PriorAuthRequest:
    """Return one unsaved open request, its due times derived from when it was received."""
    queue = world.queue if rng.random() < MEASURED_SHARE else rng.choice(world.other_queues)
    product = rng.choice(world.products_by_queue[queue.pk])
    organization = rng.choice(world.organizations)
    urgency = "expedited" if rng.random() < EXPEDITED_SHARE else "standard"
    status = _weighted(rng, STATUSES)
    received = now - RECEIVED_WITHIN * rng.random()
    timeframe = TIMEFRAMES[urgency]
    stopped = status == Status.PENDED and rng.random() < STOPPED_CLOCK_SHARE
    claimed = status != Status.SUBMITTED and rng.random() < CLAIMED_SHARE
    return PriorAuthRequest(
        number=f"PA-B-{index:08d}",
        organization=organization,
        member=member,
        submitted_by=world.staff[organization.pk],
        status=status,
        product=product,
        category=product.category,
        urgency=urgency,
        queue=queue,
        plan_state=member.plan.state,
        routing_key="medical-necessity",
        received_at=received,
        submitted_at=received,
        routed_at=received,
        date_of_service=(now + datetime.timedelta(days=30)).date(),
        due_at=None if stopped else received + timeframe,
        at_risk_at=None if stopped else received + timeframe * 3 / 4,
        claimed_by=rng.choice(world.reviewers) if claimed else None,
        claimed_at=received if claimed else None,
    )


def analyze() -> None:
    """Refresh the planner's statistics of every table, and the visibility map for index-only scans.

    Autovacuum would get there on its own after a while; the benchmark measures the settled state.
    Every table, not only the filled ones: a never-analyzed small table (the plans) misleads the
    planner into joining from the wrong end.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


@dataclass(frozen=True)
class Timing:
    """One page's timings at one size, in milliseconds, and its query count."""

    page: str
    size: int
    median_ms: float
    p95_ms: float
    queries: int
    shown: int
    sql_ms: float = 0.0


def pages(world: World) -> dict[str, tuple[User, str, dict[str, str]]]:
    """Return the measured pages as viewer, path and query: the queue's first page as the nurse,
    filtered by the three filters together and by each alone, and the supervisor's overview."""
    path = reverse("review:queue", args=[world.queue.code])
    queue_pages = {
        "first page": {},
        "filtered page": FILTERED_QUERY,
        **{f"by {name}": query for name, query in SINGLE_FILTERS.items()},
    }
    found = {name: (world.nurse, path, dict(query)) for name, query in queue_pages.items()}
    found["supervisor"] = (world.supervisor, reverse("review:supervisor"), {})
    return found


def measure(world: World, *, runs: int, warmup: int) -> list[Timing]:
    """Return each page's median and p95 over `runs` loads after `warmup` loads, as its viewer."""
    size = PriorAuthRequest.objects.count()
    timings = []
    for name, (viewer, path, query) in pages(world).items():
        client = Client()
        client.force_login(viewer)
        for _ in range(warmup):
            _load(client, path, query)
        queries, shown = _counted(client, path, query)
        elapsed, in_sql = zip(*(_timed(client, path, query) for _ in range(runs)), strict=True)
        median, p95 = statistics.median(elapsed), percentile(list(elapsed), 95)
        timings.append(Timing(name, size, median, p95, queries, shown, statistics.median(in_sql)))
    return timings


def _load(client: Client, path: str, query: dict[str, str]) -> int:
    """Return how many rows (requests, or queues on the overview) the page shows; fail loudly on
    anything but a 200."""
    response = client.get(path, query)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}, not 200")
    return response.content.count(b'data-request="') + response.content.count(b'data-queue="')


def _counted(client: Client, path: str, query: dict[str, str]) -> tuple[int, int]:
    """Return the number of SQL queries one load of the page runs, and the rows it shows."""
    counted: list[str] = []

    def count(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        counted.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        shown = _load(client, path, query)
    return len(counted), shown


def _timed(client: Client, path: str, query: dict[str, str]) -> tuple[float, float]:
    return load_timed(lambda: _load(client, path, query))


def load_timed(load: Callable[[], None]) -> tuple[float, float]:
    """Return one load's time and the part of it spent in SQL, in milliseconds.

    The SQL part tells the database's share from Python's (rendering), which on a busy machine
    varies more than the queries do.
    """
    in_sql = [0.0]

    def timed(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, *args)
        finally:
            in_sql[0] += time.perf_counter() - started

    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        load()
    return (time.perf_counter() - started) * 1000, in_sql[0] * 1000


def percentile(values: list[float], pct: float) -> float:
    """Return the nearest-rank percentile of the values (p95 of 200 runs: the 190th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def pairs(timings: list[Timing]) -> Iterator[tuple[Timing, Timing]]:
    """Return each page's (smallest size, largest size) timings."""
    by_page = itertools.groupby(sorted(timings, key=lambda t: (t.page, t.size)), key=lambda t: t.page)
    for _, group in by_page:
        found = list(group)
        yield found[0], found[-1]


RATIO_TARGET = 1.5
P95_TARGET_MS = 150.0


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(timings: list[Timing]) -> list[str]:
    """Return the results as lines: each measurement, then each page's targets with PASS or MISS."""
    width = max(len(t.page) for t in timings)
    head = f"{'median':>9} {'p95':>9} {'in SQL':>9} {'queries':>8} {'rows':>5}"
    lines = [f"{'requests':>9}  {'page':<{width}} {head}"]
    for t in sorted(timings, key=lambda t: t.size):
        times = f"{t.median_ms:>6.1f} ms {t.p95_ms:>6.1f} ms {t.sql_ms:>6.1f} ms"
        lines.append(f"{t.size:>9,}  {t.page:<{width}} {times} {t.queries:>8} {t.shown:>5}")
    lines.append("")
    for small, large in pairs(timings):
        ratio = large.p95_ms / small.p95_ms
        same = "same" if small.queries == large.queries else "DIFFERENT"
        fast = _verdict(large.p95_ms < P95_TARGET_MS)
        lines.append(
            f"{large.page:<{width}}  p95 ratio {ratio:.2f} (median {large.median_ms / small.median_ms:.2f}), "
            f"target <= {RATIO_TARGET}: {_verdict(ratio <= RATIO_TARGET)}; p95 at {large.size:,} "
            f"{large.p95_ms:.1f} ms, target < {P95_TARGET_MS:.0f} ms: {fast}; "
            f"queries per page {small.queries} and {large.queries}: {same}"
        )
    return lines
