"""`manage.py check_stack`: prove the database, the broker and a Celery worker all answer."""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from priorauth.celery import app
from priorauth.stack import StackError, broker_check, database_check, worker_round_trip


class Command(BaseCommand):
    help = "Check the database, the Celery broker and a worker round trip; exit 1 when one fails."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--timeout", type=float, default=10.0, help="Seconds to wait for the worker (default 10)."
        )

    def handle(self, *args: object, **options: object) -> None:
        timeout = float(options["timeout"])  # type: ignore[arg-type]
        today = timezone.localdate()
        try:
            self.stdout.write(f"database: ok ({database_check()})")
            self.stdout.write(f"broker: ok ({broker_check(app)})")
            count = worker_round_trip(app, day=today, timeout=timeout)
        except StackError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"worker: ok ({count} policy versions in effect on {today.isoformat()})")
        self.stdout.write(self.style.SUCCESS("The stack answers."))
