"""`manage.py import_members FILE.csv [--dry-run] [--errors PATH]`: import an enrollment file."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from priorauth.members.enrollment.rows import header_positions
from priorauth.members.enrollment.services import EnrollmentFileInvalid, ImportSummary, enrollment_import

# The exit status for a file that cannot be imported at all (1 is "some rows were rejected").
UNREADABLE = 2


class Command(BaseCommand):
    help = (
        "Import members and their coverage periods from an enrollment CSV (header member_id,first_name,"
        "last_name,date_of_birth,plan_code,coverage_start,coverage_end). Upserts by member ID; "
        "rejected rows go to an error file. Exits 1 if any row was rejected, 2 if the file cannot be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the enrollment CSV (UTF-8)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="report what would change and write nothing to the database",
        )
        parser.add_argument(
            "--errors",
            metavar="PATH",
            help="where to write the rejected rows (default: FILE's name with .errors.csv, beside it)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        errors_path = Path(options["errors"] or path.with_name(f"{path.stem}.errors.csv"))
        try:
            source = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed by the with below
        except OSError as error:
            raise CommandError(
                f"{path}: cannot read the file ({error.strerror})", returncode=UNREADABLE
            ) from None
        with source:
            summary = self._import(source, path, errors_path, dry_run=options["dry_run"])
        self._report(summary, errors_path)
        if summary.rejected:
            raise CommandError(f"{summary.rejected} of {summary.rows} row(s) rejected", returncode=1)

    def _import(self, source: Any, path: Path, errors_path: Path, *, dry_run: bool) -> ImportSummary:
        try:
            errors = open(errors_path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed below
        except OSError as error:
            raise CommandError(
                f"{errors_path}: cannot write the error file ({error.strerror})", returncode=UNREADABLE
            ) from None
        try:
            with errors:
                summary = enrollment_import(
                    source=source, file_name=path.name, errors_to=errors, dry_run=dry_run
                )
        except EnrollmentFileInvalid as invalid:
            os.remove(errors_path)
            raise CommandError(f"{path}: {invalid} Nothing was imported.", returncode=UNREADABLE) from None
        if not summary.rejected:
            os.remove(errors_path)
        return summary

    def _report(self, summary: ImportSummary, errors_path: Path) -> None:
        if summary.rejected:
            for line in rejected_lines(errors_path):
                self.stdout.write(line)
            self.stdout.write(f"Rejected rows, with their line and reason: {errors_path}")
        if summary.dry_run:
            self.stdout.write("Dry run: nothing was written.")
        self.stdout.write(summary.changes_text())
        self.stdout.write(summary.as_json())


def rejected_lines(errors_path: Path) -> Iterator[str]:
    """Yield "line 7: member ID M1: reason" for each row of an error file; no name or birth date."""
    with open(errors_path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        # The error file's columns: line, the input's columns, reason.
        position = header_positions(header[1:-1])["member_id"] + 1
        for row in reader:
            fields = row[1:-1]
            member_id = (fields[position - 1].strip() if position - 1 < len(fields) else "") or "(blank)"
            yield f"line {row[0]}: member ID {member_id}: {row[-1]}"
