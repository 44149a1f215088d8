"""`manage.py pa_metrics --year 2026 [--format csv|json] [--exact]`: the CMS-0057-F figures of a year.

The same figures as the public page's downloads (counts from 1 to 10 suppressed); `--exact`
gives every count, for the plan's own reporting, never for publication.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from priorauth.metrics import publish, selectors
from priorauth.metrics.periods import UnknownYear, period_for

FORMATS = ("json", "csv")


class Command(BaseCommand):
    help = "Print a year's CMS-0057-F prior-authorization figures (standard and expedited) as JSON or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="a calendar year; the current one runs to date")
        # Checked in handle, not by argparse, so a wrong value exits 1 with our message.
        parser.add_argument("--format", default="json", help="json (the default) or csv")
        parser.add_argument("--exact", action="store_true", help="every count, small ones not suppressed")

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = options["format"].strip().lower()
        if chosen not in FORMATS:
            raise CommandError(f"--format {options['format']!r}: use json or csv.")
        try:
            period = period_for(options["year"], timezone.now())
        except UnknownYear as error:
            raise CommandError(f"--year: {error}") from None
        report = selectors.cms_report(period)
        suppress = not options["exact"]
        if chosen == "csv":
            self.stdout.write(publish.csv_text(period.label, report.figures, suppress=suppress), ending="")
        else:
            document = publish.document(period.label, report.figures, suppress=suppress)
            self.stdout.write(json.dumps(document, indent=2) + "\n", ending="")
