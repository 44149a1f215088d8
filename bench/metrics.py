"""The metrics benchmark: a year of decided requests with their events, then the supervisor's dashboard.

Rows are written with `bulk_create` (events with their own times, `bench.events`), not through
the services: the benchmark measures reading the figures. Each decided request has the events
its life would have: submitted and routed; for some a pend and its answer, an extension, an
appeal; its determination (or a deemed approval) some hours or days after receipt.
"""

from __future__ import annotations

import datetime
import random
import statistics
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench import queue_page
from bench.events import events_create
from priorauth.members.models import User
from priorauth.metrics.periods import EASTERN
from priorauth.metrics.selectors import CACHE_SECONDS
from priorauth.requests.models import EventKind, PriorAuthRequest, RequestEvent, Status

SIZES = (1_000, 100_000)
BATCH = queue_page.BATCH
OUTCOMES = (
    (Status.APPROVED, 0.70),
    (Status.DENIED, 0.15),
    (Status.PARTIALLY_APPROVED, 0.06),
    (Status.MODIFIED, 0.04),
    (EventKind.DEEMED_APPROVED, 0.05),
)
PENDED_SHARE, EXTENDED_SHARE, APPEALED_SHARE = 0.2, 0.05, 0.4
P95_TARGET_MS = 300.0


def decided_add(world: queue_page.World, count: int, *, now: datetime.datetime, seed: int = 57) -> None:
    """Add `count` requests received since January 1 (Eastern) of `now`'s year and decided by `now`."""
    rng = random.Random(seed + world.added)
    year_start = datetime.datetime(now.astimezone(EASTERN).year, 1, 1, tzinfo=EASTERN)
    # Received early enough to be decided by now (a deemed approval comes up to 22.5 days later).
    span = max(now - year_start - datetime.timedelta(days=23), datetime.timedelta(hours=1))
    start = world.added
    for first in range(start, start + count, BATCH):
        size = min(BATCH, start + count - first)
        members = queue_page._members_add(world, rng, first, size)
        made = [
            _request(
                world,
                rng,
                first + i,
                members[i // queue_page.REQUESTS_PER_MEMBER],
                year_start + span * rng.random(),
            )
            for i in range(size)
        ]
        requests = PriorAuthRequest.objects.bulk_create([pa for pa, _ in made], batch_size=BATCH)
        events_create(
            event for pa, (_, life) in zip(requests, made, strict=True) for event in _events(pa, life, rng)
        )
    world.added += count


@dataclass(frozen=True)
class _Life:
    outcome: str
    decided_at: datetime.datetime
    pended: bool
    extended: bool


def _request(
    world: queue_page.World, rng: random.Random, index: int, member: object, received: datetime.datetime
) -> tuple[PriorAuthRequest, _Life]:
    queue = world.queue if rng.random() < queue_page.MEASURED_SHARE else rng.choice(world.other_queues)
    product = rng.choice(world.products_by_queue[queue.pk])
    organization = rng.choice(world.organizations)
    urgency = "expedited" if rng.random() < queue_page.EXPEDITED_SHARE else "standard"
    timeframe = queue_page.TIMEFRAMES[urgency]
    outcome = queue_page._weighted(rng, OUTCOMES)
    # Most within the timeframe, some after it; a deemed approval always after.
    late = outcome == EventKind.DEEMED_APPROVED or rng.random() < 0.08
    decided_at = received + timeframe * (1 + rng.random() * 0.5 if late else rng.random())
    life = _Life(
        outcome,
        decided_at,
        rng.random() < PENDED_SHARE,
        urgency == "standard" and rng.random() < EXTENDED_SHARE,
    )
    status = Status.APPROVED if outcome == EventKind.DEEMED_APPROVED else outcome
    pa = PriorAuthRequest(
        number=f"PA-M-{index:08d}",
        organization=organization,
        member=member,
        submitted_by=world.staff[organization.pk],
        status=status,
        product=product,
        category=product.category,
        urgency=urgency,
        queue=queue,
        plan_state=member.plan.state,  # type: ignore[attr-defined]
        routing_key="medical-necessity",
        received_at=received,
        submitted_at=received,
        routed_at=received,
        decided_at=decided_at,
        date_of_service=(received + datetime.timedelta(days=30)).date(),
        due_at=received + timeframe,
        at_risk_at=received + timeframe * 3 / 4,
    )
    return pa, life


def _events(pa: PriorAuthRequest, life: _Life, rng: random.Random) -> list[RequestEvent]:
    received, decided = pa.received_at, life.decided_at
    assert received is not None
    minute = datetime.timedelta(minutes=1)
    events = [
        RequestEvent(request=pa, kind=EventKind.SUBMITTED, to_status=Status.SUBMITTED, at=received),
        RequestEvent(request=pa, kind=EventKind.ROUTED, to_status=Status.IN_REVIEW, at=received + minute),
    ]
    if life.pended:
        asked = received + (decided - received) * 0.2
        events.append(RequestEvent(request=pa, kind=EventKind.PENDED, to_status=Status.PENDED, at=asked))
        answered = asked + (decided - asked) * rng.random() * 0.8
        events.append(RequestEvent(request=pa, kind=EventKind.INFORMATION_RECEIVED, at=answered))
    if life.extended:
        events.append(
            RequestEvent(request=pa, kind=EventKind.EXTENDED, at=received + (decided - received) / 2)
        )
    deemed = life.outcome == EventKind.DEEMED_APPROVED
    kind = EventKind.DEEMED_APPROVED if deemed else EventKind.DETERMINED
    events.append(RequestEvent(request=pa, kind=kind, to_status=pa.status, at=decided))
    if pa.status == Status.DENIED and rng.random() < APPEALED_SHARE:
        events.append(
            RequestEvent(request=pa, kind=EventKind.APPEAL_FILED, at=decided + datetime.timedelta(days=3))
        )
        overturned = Status.APPROVED if rng.random() < 0.4 else Status.DENIED
        appeal_decided = decided + datetime.timedelta(days=12)
        events.append(
            RequestEvent(request=pa, kind=EventKind.APPEAL_DECIDED, to_status=overturned, at=appeal_decided)
        )
    return events


@dataclass(frozen=True)
class Timing:
    """The dashboard's loads at one size: served from the figures kept (warm) and computed afresh (cold)."""

    size: int
    median_ms: float
    p95_ms: float
    queries: int
    sql_ms: float
    cold_median_ms: float = 0.0
    cold_sql_ms: float = 0.0


COLD_RUNS = 5


def measure(world: queue_page.World, *, runs: int, warmup: int) -> Timing:
    """Return the dashboard's median and p95 over `runs` loads as the supervisor, after `warmup` loads,
    and the median of COLD_RUNS loads that compute the figures afresh (the kept ones cleared first)."""
    client = _signed_in(world.supervisor)
    cold = []
    for _ in range(COLD_RUNS):
        cache.clear()
        cold.append(_timed(client))
    for _ in range(warmup):
        _load(client)
    counted: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: counted.append(sql) or execute(sql, *args)):
        _load(client)
    elapsed, in_sql = zip(*(_timed(client) for _ in range(runs)), strict=True)
    size = PriorAuthRequest.objects.filter(decided_at__isnull=False).count()
    median, p95 = statistics.median(elapsed), queue_page.percentile(list(elapsed), 95)
    cold_ms, cold_sql = zip(*cold, strict=True)
    return Timing(
        size,
        median,
        p95,
        len(counted),
        statistics.median(in_sql),
        statistics.median(cold_ms),
        statistics.median(cold_sql),
    )


def _signed_in(user: User) -> Client:
    """Return a client signed in as the user, second factor included (supervisors need one)."""
    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "bench"})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _load(client: Client) -> None:
    # Production settings send plain HTTP to HTTPS: the load says it came over HTTPS.
    response = client.get(reverse("metrics:dashboard"), secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"the metrics dashboard answered {response.status_code}, not 200")


def _timed(client: Client) -> tuple[float, float]:
    """Return one load's time and the part of it spent in SQL, in milliseconds."""
    return queue_page.load_timed(lambda: _load(client))


def report(timings: list[Timing]) -> list[str]:
    warm = f"{'median':>9} {'p95':>9} {'in SQL':>9} {'queries':>8}"
    head = f"{'decided':>9}  {warm}   {'cold median':>11} {'in SQL':>9}"
    lines = [head]
    for t in timings:
        warm = f"{t.median_ms:>6.1f} ms {t.p95_ms:>6.1f} ms {t.sql_ms:>6.1f} ms {t.queries:>8}"
        lines.append(f"{t.size:>9,}  {warm}   {t.cold_median_ms:>8.1f} ms {t.cold_sql_ms:>6.1f} ms")
    largest = max(timings, key=lambda t: t.size)
    verdict = "PASS" if largest.p95_ms < P95_TARGET_MS else "MISS"
    lines.append(
        f"\ndashboard p95 at {largest.size:,} decided requests {largest.p95_ms:.1f} ms, "
        f"target < {P95_TARGET_MS:.0f} ms: {verdict}; computing the figures afresh (once per "
        f"{CACHE_SECONDS} s and period): {largest.cold_median_ms:.1f} ms median"
    )
    return lines
