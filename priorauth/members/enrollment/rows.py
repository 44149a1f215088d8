"""The enrollment file's format, and the checks each row passes on its own.

No Django here: the caller passes the plan codes that exist, the field lengths the models
allow and today's date. Reasons never repeat a name or a birth date (they reach a terminal and
logs); the member ID and plan code may appear, since the enrollment administrator needs them
to find the row.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

COLUMNS = (
    "member_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "plan_code",
    "coverage_start",
    "coverage_end",
)
DATE_COLUMNS = ("date_of_birth", "coverage_start", "coverage_end")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class HeaderInvalid(Exception):
    """The first row is not an enrollment header: nothing in the file can be read."""


@dataclass(frozen=True)
class EnrollmentRow:
    """One checked row: a member's details and one coverage period, with the file line it came from."""

    line: int
    member_id: str
    first_name: str
    last_name: str
    date_of_birth: datetime.date
    plan_code: str
    coverage_start: datetime.date
    coverage_end: datetime.date

    def overlaps(self, start: datetime.date, end: datetime.date) -> bool:
        return self.coverage_start <= end and start <= self.coverage_end


@dataclass(frozen=True)
class RowRules:
    """What a row is checked against: known plan codes, field lengths, and today (no birth after it)."""

    plan_codes: frozenset[str]
    max_lengths: Mapping[str, int]
    today: datetime.date


def header_positions(header: Sequence[str]) -> dict[str, int]:
    """Return each required column's position in the header row; raise HeaderInvalid if one is missing.

    Column names are matched without case or surrounding spaces; more columns may follow (ignored).
    """
    names = [name.strip().lower().lstrip("\ufeff") for name in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise HeaderInvalid(
            f"The header row lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}. "
            f"An enrollment file starts with the header {','.join(COLUMNS)}."
        )
    repeated = [column for column in COLUMNS if names.count(column) > 1]
    if repeated:
        raise HeaderInvalid(f"The header row names {', '.join(repeated)} more than once.")
    return {column: names.index(column) for column in COLUMNS}


def row_values(fields: Sequence[str], positions: Mapping[str, int]) -> dict[str, str]:
    """Return the required columns' values, stripped; a short row's missing values are blank."""
    return {
        column: fields[position].strip() if position < len(fields) else ""
        for column, position in positions.items()
    }


def row_check(line: int, values: Mapping[str, str], rules: RowRules) -> EnrollmentRow | str:
    """Return the checked row, or the reason it is rejected (the first problem found)."""
    blank = [column for column in COLUMNS if not values[column]]
    if blank:
        return f"{', '.join(blank)} {'is' if len(blank) == 1 else 'are'} blank"
    for column, limit in rules.max_lengths.items():
        if len(values[column]) > limit:
            return f"{column} is longer than {limit} characters"
    dates: dict[str, datetime.date] = {}
    for column in DATE_COLUMNS:
        day = _date(values[column])
        if isinstance(day, str):
            return f"{column} {day}"
        dates[column] = day
    problem = _dates_problem(dates, rules.today)
    if problem:
        return problem
    if values["plan_code"] not in rules.plan_codes:
        return f"unknown plan {values['plan_code']}"
    return EnrollmentRow(
        line=line,
        member_id=values["member_id"],
        first_name=values["first_name"],
        last_name=values["last_name"],
        date_of_birth=dates["date_of_birth"],
        plan_code=values["plan_code"],
        coverage_start=dates["coverage_start"],
        coverage_end=dates["coverage_end"],
    )


def _date(text: str) -> datetime.date | str:
    # fromisoformat alone would also take 20260101 and 2026-W01-1: the file promises YYYY-MM-DD.
    if not _ISO_DATE.fullmatch(text):
        return "is not a date written YYYY-MM-DD"
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return "is not a real date"


def _dates_problem(dates: Mapping[str, datetime.date], today: datetime.date) -> str | None:
    if dates["coverage_end"] < dates["coverage_start"]:
        return "coverage_end is before coverage_start"
    if dates["date_of_birth"] > today:
        return "date_of_birth is in the future"
    if dates["coverage_start"] < dates["date_of_birth"]:
        return "coverage_start is before the date of birth"
    return None
