"""Run the benchmarks: `python -m bench [enrollment] [queue] [letter] [impact] [api] [metrics]`.

`make bench` runs them all.

It creates its own PostgreSQL database (BENCH_DATABASE_URL, by default priorauth_bench on the
local server) and migrates it. `enrollment` imports a 100,000-row enrollment file
(BENCH_ENROLLMENT_ROWS) beside a bare bulk_create of the same rows, with the import's peak
memory. `queue` fills the database with 1,000 and then 100,000 open requests and times a nurse's
queue page at each size. `letter` renders the worst-case letter PDF. `impact` previews three
policy changes over 10,000 open requests and 9,000 decided in the last 90 days. `api` posts
`Claim/$submit` from 32 concurrent clients to a gunicorn on 127.0.0.1, beside a bare view that
inserts one row per call (bench/api.py). `metrics` fills
1,000 and then 100,000 requests decided this year, with their events, and times the supervisor's
metrics dashboard at each size. It prints the results
against the targets and drops the database
(BENCH_KEEP_DATABASE=1 keeps it for EXPLAIN). It exits 0 whether or not the targets are met.
"""

from __future__ import annotations

import json
import os
import pathlib
import sys
import tempfile
import time
import warnings
from urllib.parse import urlsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/priorauth_bench"
SIZES = (1_000, 100_000)
PARTS = ("enrollment", "queue", "letter", "impact", "api", "metrics")


def refusal(url: str) -> str | None:
    """Return why the benchmark will not run on this database URL, or None if it will."""
    scheme = urlsplit(url).scheme
    if scheme.startswith("sqlite"):
        return (
            "The benchmark measures PostgreSQL and will not run on SQLite. Set BENCH_DATABASE_URL to a "
            f"PostgreSQL URL (default {DEFAULT_URL}); the database is created and dropped by the benchmark."
        )
    if scheme not in {"postgres", "postgresql", "pgsql"}:
        return f"BENCH_DATABASE_URL must be a postgres:// URL, not {scheme or 'an empty scheme'}://."
    if not urlsplit(url).path.strip("/"):
        return "BENCH_DATABASE_URL must name a database, e.g. " + DEFAULT_URL
    return None


def _environment(url: str) -> None:
    # Production settings (DEBUG off, so no query logging), the test client's host. Celery runs
    # in-process unless BENCH_REDIS_URL names a broker: then tasks are handed to it, as in
    # production (nothing consumes them; the benchmark measures the request, not the worker).
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["STATIC_MANIFEST"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.pop("REDIS_URL", None)
    if broker := os.environ.get("BENCH_REDIS_URL"):
        os.environ["REDIS_URL"] = broker
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "priorauth.settings")
    # Nothing ran collectstatic; the pages are served without it, so whitenoise's notice is noise.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)


def _database(url: str, *, create: bool) -> None:
    """Drop the benchmark's database, and create it afresh if asked, through the server's `postgres` db."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.strip("/")
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def run(url: str, *, runs: int, warmup: int, parts: tuple[str, ...] = PARTS) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    # The enrollment import first: it empties the member tables, which requests refer to.
    if "enrollment" in parts:
        run_enrollment(int(os.environ.get("BENCH_ENROLLMENT_ROWS", "100000")))
    if "queue" in parts:
        run_queue(runs=runs, warmup=warmup)
    if "letter" in parts:
        run_letter(runs=max(runs // 10, 3))
    if "impact" in parts:
        run_impact(runs=max(runs // 24, 3))
    if "api" in parts:
        run_api()
    if "metrics" in parts:
        run_metrics(runs=max(runs // 4, 10), warmup=max(warmup // 2, 3))


def run_enrollment(rows: int) -> None:
    from bench import enrollment, queue_page
    from priorauth.policies.services import bundle_import

    bundle_import(data=json.loads(queue_page.BUNDLE.read_text()))
    print(
        f"Importing an enrollment file of {rows:,} rows ({rows // 2:,} members, two periods each)...",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as directory:
        results = enrollment.measure(pathlib.Path(directory), rows)
    print("\nEnrollment import (import_members' service), on empty member tables each time")
    print("\n".join(enrollment.report(results)) + "\n", flush=True)


def run_queue(*, runs: int, warmup: int) -> None:
    from django.db import connections

    from bench import queue_page
    from priorauth.requests.models import PriorAuthRequest

    world = queue_page.world_create()
    timings = []
    for size in SIZES:
        started = time.perf_counter()
        queue_page.requests_add(world, size - world.added)
        queue_page.analyze()
        in_queue = PriorAuthRequest.objects.filter(queue=world.queue).count()
        print(
            f"Filled {size:,} open requests ({in_queue:,} in {world.queue.code}) "
            f"in {time.perf_counter() - started:.1f} s; measuring {runs} loads per page...",
            flush=True,
        )
        timings += queue_page.measure(world, runs=runs, warmup=warmup)
    connections.close_all()
    print(
        f"\nQueue page /review/queues/{world.queue.code}/ as an assigned nurse and the supervisor's "
        f"overview, {runs} loads after {warmup} warm-up loads; filtered page: {queue_page.FILTERED_QUERY}; "
        f"by one filter: {queue_page.SINGLE_FILTERS}"
    )
    print("\n".join(queue_page.report(timings)))


def run_letter(*, runs: int) -> None:
    from bench import letter

    print("\n" + letter.report(*letter.measure(runs), runs=runs), flush=True)


def run_impact(*, runs: int) -> None:
    from django.db import connection

    from bench import impact, queue_page
    from priorauth.requests.models import PriorAuthRequest

    # A world of its own: what the parts before it filled (the queue part's 100,000 open
    # requests, their members and people) goes first. The database is the benchmark's own.
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE requests_priorauthrequest, members_member, members_user, "
            "members_providerorganization CASCADE"
        )
    started = time.perf_counter()
    world = queue_page.world_create()
    impact.fill(world)
    queue_page.analyze()
    print(
        f"\nFilled {PriorAuthRequest.objects.count():,} requests in {time.perf_counter() - started:.1f} s; "
        f"previewing three changes, {runs} runs each...",
        flush=True,
    )
    print("\n".join(impact.report(impact.measure(runs=runs))), flush=True)


def run_api() -> None:
    from bench import api

    # A worker per core with two threads each: `$submit` is CPU-bound under the GIL, so more
    # threads only queue inside a process (4 x 8 on 2 cores: p99 1.6 s; 2 x 2: 0.7-0.9 s).
    workers = int(os.environ.get("BENCH_API_WORKERS", str(os.cpu_count() or 2)))
    threads = int(os.environ.get("BENCH_API_THREADS", "2"))
    print(f"\nPAS API: Claim/$submit, {api.CLIENTS} clients x {api.CALLS_PER_CLIENT} calls...", flush=True)
    print("\n".join(api.run_all(workers=workers, threads=threads)), flush=True)


def _empty_requests() -> None:
    """Empty the request, member and people tables: each part that fills requests starts from none."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE requests_priorauthrequest, members_member, members_user, "
            "members_providerorganization CASCADE"
        )


def run_metrics(*, runs: int, warmup: int) -> None:
    from django.db import connections
    from django.utils import timezone

    from bench import metrics, queue_page

    _empty_requests()
    world = queue_page.world_create()
    timings = []
    for size in metrics.SIZES:
        started = time.perf_counter()
        metrics.decided_add(world, size - world.added, now=timezone.now())
        queue_page.analyze()
        print(
            f"\nFilled {size:,} decided requests with their events in {time.perf_counter() - started:.1f} s; "
            f"measuring {runs} loads of the metrics dashboard...",
            flush=True,
        )
        timings.append(metrics.measure(world, runs=runs, warmup=warmup))
    connections.close_all()
    print("\nMetrics dashboard /review/supervisor/metrics/ (this year to date) as a supervisor")
    print("\n".join(metrics.report(timings)), flush=True)


def main(argv: list[str] | None = None) -> int:
    parts = tuple(argv if argv is not None else sys.argv[1:]) or PARTS
    unknown = set(parts) - set(PARTS)
    if unknown:
        print(
            f"Unknown benchmark {', '.join(sorted(unknown))}: choose from {', '.join(PARTS)}.",
            file=sys.stderr,
        )
        return 2
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    problem = refusal(url)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    _environment(url)
    runs = int(os.environ.get("BENCH_RUNS", "120"))
    warmup = int(os.environ.get("BENCH_WARMUP", "10"))
    _database(url, create=True)
    try:
        run(url, runs=runs, warmup=warmup, parts=parts)
    finally:
        if os.environ.get("BENCH_KEEP_DATABASE") != "1":
            _database(url, create=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
