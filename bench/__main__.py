"""Run the queue-page benchmark: `python -m bench` (or `make bench`).

It creates its own PostgreSQL database (BENCH_DATABASE_URL, by default priorauth_bench on the
local server), migrates it, fills it with 1,000 and then 100,000 open requests, times a nurse's
queue page at each size and the worst-case letter PDF, prints the results against the
targets, and drops the database
(BENCH_KEEP_DATABASE=1 keeps it for EXPLAIN). It exits 0 whether or not the targets are met.
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from urllib.parse import urlsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/priorauth_bench"
SIZES = (1_000, 100_000)


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
    # Production settings (DEBUG off, so no query logging), in-process Celery, the test client's host.
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["STATIC_MANIFEST"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.pop("REDIS_URL", None)
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


def run(url: str, *, runs: int, warmup: int) -> None:
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    from bench import letter, queue_page
    from priorauth.requests.models import PriorAuthRequest

    call_command("migrate", verbosity=0)
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
    letter_runs = max(runs // 10, 3)
    print("\n" + letter.report(*letter.measure(letter_runs), runs=letter_runs))


def main() -> int:
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
        run(url, runs=runs, warmup=warmup)
    finally:
        if os.environ.get("BENCH_KEEP_DATABASE") != "1":
            _database(url, create=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
