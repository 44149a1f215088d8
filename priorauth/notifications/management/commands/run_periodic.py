"""`manage.py run_periodic`: Celery beat's schedule, run in this process (development, `make run`).

It reads the same `beat_schedule` as beat and runs each due task in-process (`apply`), so the
relay, the due-time watch and the digests work with no broker. It stops when the process that
started it (make) goes away, so a closed `make run` leaves nothing behind.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import time

from celery.schedules import maybe_schedule
from django.core.management.base import BaseCommand

from priorauth.celery import app

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the Celery beat schedule in-process (development: no broker, no worker)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--tick", type=float, default=5.0, help="Seconds between looks at the schedule.")
        parser.add_argument("--once", action="store_true", help="Run every entry once, then exit.")

    def handle(self, *args: object, **options: object) -> None:
        app.loader.import_default_modules()  # the tasks modules, as a worker would load them
        entries = {
            name: maybe_schedule(entry["schedule"], app=app) for name, entry in self._entries().items()
        }
        # Like beat, an entry first runs one period after the start; --once runs each at once.
        last_run: dict[str, datetime.datetime] = (
            {} if options["once"] else {name: schedule.now() for name, schedule in entries.items()}
        )
        parent = os.getppid()
        self.stdout.write(f"run_periodic: {', '.join(sorted(entries))}")
        while True:
            for name, schedule in entries.items():
                due = name not in last_run or schedule.is_due(last_run[name]).is_due
                if due:
                    last_run[name] = schedule.now()
                    self._run(name)
            if options["once"] or os.getppid() != parent:
                return
            time.sleep(float(options["tick"]))  # type: ignore[arg-type]

    def _entries(self) -> dict[str, dict]:
        return dict(app.conf.beat_schedule or {})

    def _run(self, name: str) -> None:
        try:
            result = app.tasks[self._entries()[name]["task"]].apply()
            if result.failed():
                log.error("periodic %s failed: %s", name, type(result.result).__name__)
        except Exception as error:
            log.error("periodic %s failed: %s", name, type(error).__name__)
