"""`manage.py route_preview`: decide request facts read as JSON lines on stdin (DOMAIN.md)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from priorauth.policies.preview import preview_lines
from priorauth.policies.selectors import policy_snapshot


class Command(BaseCommand):
    help = (
        "Read request facts as JSON lines (stdin or --input FILE) and write one decision line per "
        "request, using the policy records in the database. Exits 1 if any line could not be decided."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--input", "-i", default="-", help="read from this file instead of standard input"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["input"]
        if path == "-":
            # Bytes that are not UTF-8 make that line unreadable JSON (an error line), not a crash.
            if hasattr(sys.stdin, "reconfigure"):
                sys.stdin.reconfigure(errors="replace")
            self._preview(sys.stdin)
            return
        try:
            handle = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115 - closed by the with below
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file ({error.strerror})") from None
        with handle:
            self._preview(handle)

    def _preview(self, lines: Iterable[str]) -> None:
        # One snapshot for the whole run: every line is decided against the same records.
        snapshot = policy_snapshot()
        total = errors = 0
        for line in preview_lines(lines, snapshot):
            total += 1
            errors += line.is_error
            self.stdout.write(line.as_json())
            self.stdout.flush()
        if errors:
            raise CommandError(f"{errors} of {total} line(s) could not be decided", returncode=1)
