"""Enrollment files for the tests: plans, an enrollment administrator, and a CSV written from rows."""

from __future__ import annotations

import csv
import datetime
import io

import pytest

from priorauth.members.enrollment.rows import COLUMNS
from priorauth.members.enrollment.services import ImportSummary, enrollment_import
from priorauth.members.models import Plan, Role, User
from tests.conftest import make_user

HEADER = ",".join(COLUMNS)
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def plans(db) -> dict[str, Plan]:
    return {
        code: Plan.objects.create(code=code, line_of_business="marketplace", state=code[:2])
        for code in ("OH-MKT-SILVER-2026", "GA-MKT-SILVER-2026")
    }


@pytest.fixture
def enrollment_admin(db) -> User:
    return make_user("erin", Role.ENROLLMENT_ADMIN)


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


class Imported:
    """The summary of an import and the error file it wrote, as text."""

    def __init__(self, summary: ImportSummary, errors: str) -> None:
        self.summary = summary
        self.errors = errors

    @property
    def counts(self) -> dict[str, int]:
        s = self.summary
        return {"rows": s.rows, "applied": s.applied, "unchanged": s.unchanged, "rejected": s.rejected}

    @property
    def error_rows(self) -> list[list[str]]:
        return list(csv.reader(io.StringIO(self.errors)))[1:]

    @property
    def reasons(self) -> dict[int, str]:
        return {int(row[0]): row[-1] for row in self.error_rows}


def run_import(
    text: str, *, dry_run: bool = False, user: User | None = None, name: str = "members.csv"
) -> Imported:
    errors = io.StringIO()
    summary = enrollment_import(
        source=io.StringIO(text, newline=""),
        file_name=name,
        errors_to=errors,
        dry_run=dry_run,
        user=user,
        today=TODAY,
    )
    return Imported(summary, errors.getvalue())
