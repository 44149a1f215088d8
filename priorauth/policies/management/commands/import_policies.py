"""`manage.py import_policies FILE [--replace] [--dry-run]`: load a policy bundle, all or nothing."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from priorauth.policies.json_text import UnreadableJson, json_read
from priorauth.policies.replace import ReplaceRefused
from priorauth.policies.services import BundleInvalid, ImportResult, bundle_import


class Command(BaseCommand):
    help = (
        "Import a policy bundle (JSON): validated whole first, then created or updated; idempotent. "
        "With --replace, also remove what the bundle no longer has."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the bundle's path, or - for standard input")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="make the records equal to the bundle: remove the routing entries, timeframe rules "
            "and holidays it no longer has, and the queues and products nothing refers to any more",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print what would be added, changed and removed, and write nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data = read_bundle(options["file"])
        dry_run = options["dry_run"]
        try:
            result = bundle_import(data=data, replace=options["replace"], dry_run=dry_run)
        except BundleInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{options['file']}: {len(invalid.problems)} problem(s) in the bundle; nothing was imported"
            ) from None
        except ReplaceRefused as refused:
            for reason in refused.reasons:
                self.stderr.write(reason)
            raise CommandError(f"{options['file']}: the import was refused; nothing was imported") from None
        self._report(result, dry_run=dry_run, details=dry_run or options["replace"])

    def _report(self, result: ImportResult, *, dry_run: bool, details: bool) -> None:
        if dry_run:
            self.stdout.write("Dry run: nothing is written. The import would give:")
        for line in result.lines():
            self.stdout.write(line)
        if details and result.changes:
            self.stdout.write("Changes:")
            for line in result.change_lines(dry_run=dry_run):
                self.stdout.write(line)
        if result.kept:
            self.stdout.write("Kept, though not in the bundle:")
            for line in result.kept:
                self.stdout.write(f"  {line}")
        if not result.changed:
            self.stdout.write("Nothing to change: the records already match.")
        else:
            self.stdout.write("Dry run: nothing was written." if dry_run else "Imported.")


def read_bundle(path: str) -> Any:
    """Return the parsed JSON of a bundle file (or stdin for "-"); raise CommandError if unreadable."""
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: cannot read the file ({error})") from None
    try:
        return json_read(text)
    except UnreadableJson as error:
        raise CommandError(f"{path}: {error}") from None
