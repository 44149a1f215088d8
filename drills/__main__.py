"""Run the failure drills: `python -m drills [full|short] [drill ...]` (or `make drill DRILL=short`).

It creates its own PostgreSQL database (DRILL_DATABASE_URL, by default priorauth_drill on the
local server), starts its own Redis server, SMTP sink, Celery worker and beat, seeds the policy
bundle and the demo, runs each drill, stops everything it started and drops the database. The
last line printed is the JSON summary over all drills. Exit status: 0 when every target was
met, 1 when one was missed, 2 when the arguments or the database URL are refused; a crash
prints a traceback and no summary line.
"""

from __future__ import annotations

import sys
import time
from urllib.parse import urlsplit

from drills import report, world
from drills.faults import DRILLS, PLANS
from drills.processes import ROOT
from drills.rig import Rig
from drills.run import Result, run_drill

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/priorauth_drill"


def _arguments(argv: list[str]) -> tuple[str, list[str]] | str:
    """Return the plan's name and the drills to run, or why the arguments are refused."""
    plan = argv[0] if argv else "full"
    names = argv[1:] or list(DRILLS)
    if plan not in PLANS:
        return f"the plan must be one of {', '.join(PLANS)}, not {plan!r}"
    unknown = [name for name in names if name not in DRILLS]
    if unknown:
        return f"unknown drills: {', '.join(unknown)} (known: {', '.join(DRILLS)})"
    return plan, names


def _database_url() -> str | None:
    import os

    url = os.environ.get("DRILL_DATABASE_URL", DEFAULT_URL)
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"} or not parts.path.strip("/"):
        return None
    return url


def run(plan_name: str, names: list[str], url: str) -> list[Result]:
    from django.db import connections

    plan = PLANS[plan_name]
    log_dir = ROOT / "var" / "drills"
    log_dir.mkdir(parents=True, exist_ok=True)
    rig = Rig(database_url=url, log_dir=log_dir)
    results = []
    world.database_recreate(url)
    try:
        rig.start_services()
        world.django_setup(rig.env())
        started = time.monotonic()
        world.seed()
        connections.close_all()
        world.seeded_copy(url)
        rig.start_celery()
        print(f"Seeded and started in {time.monotonic() - started:.0f} s (logs in {log_dir})", flush=True)
        for number, name in enumerate(names):
            started = time.monotonic()
            print(f"\n== {name} ({plan_name}: {plan.requests} requests)", flush=True)
            if number:
                rig.reset()
            results.append(run_drill(name, rig, plan))
            print("\n".join(report.lines(results[-1])))
            print(f"  took {time.monotonic() - started:.0f} s", flush=True)
    finally:
        connections.close_all()
        rig.stop()
        world.database_recreate(url, create=False)
        world.seeded_copy(url, keep=False)
    return results


def main(argv: list[str]) -> int:
    arguments = _arguments(argv)
    url = _database_url()
    if isinstance(arguments, str) or url is None:
        print(
            arguments
            if isinstance(arguments, str)
            else "DRILL_DATABASE_URL must be a postgres:// URL "
            f"naming a database (default {DEFAULT_URL}); the drill drops and creates it.",
            file=sys.stderr,
        )
        return 2
    plan_name, names = arguments
    started = time.monotonic()
    results = run(plan_name, names, url)
    missed = [f"{r.name}: {', '.join(r.missed())}" for r in results if r.missed()]
    print(
        f"\nTargets: 0 lost, 0 submit failures, 0 duplicates (unavoidable ones apart), recovery < 30 s; "
        f"{len(results)} drills in {time.monotonic() - started:.0f} s"
    )
    print("MISSED: " + "; ".join(missed) if missed else "All targets met.")
    print(report.summary_line(results), flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
