"""The periods the figures cover: a calendar year, or the current one to date, in the plans' time zone.

Pure: the caller passes the current time in.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

# Three of the four plans' states keep Eastern time, as request numbers do; Indiana's plans
# keep Indianapolis time, the same offset all year.
EASTERN = ZoneInfo("America/New_York")
# MP-AD-1623 takes effect 05/01/2026: no request of this application is older.
FIRST_YEAR = 2026


class UnknownYear(ValueError):
    """A year with no figures; the message says which years there are."""


@dataclass(frozen=True)
class Period:
    year: int
    start: datetime.datetime
    end: datetime.datetime
    to_date: bool

    @property
    def label(self) -> str:
        if self.to_date:
            last_day = (self.end - datetime.timedelta(microseconds=1)).astimezone(EASTERN)
            return f"{self.year} year to date (through {last_day:%B} {last_day.day}, {self.year})"
        return f"calendar year {self.year}"

    @property
    def slug(self) -> str:
        return f"{self.year}-to-date" if self.to_date else str(self.year)


def allowed_years(now: datetime.datetime) -> list[int]:
    """Return the years there are figures for, the latest first."""
    return list(range(max(now.astimezone(EASTERN).year, FIRST_YEAR), FIRST_YEAR - 1, -1))


def period_for(year: object, now: datetime.datetime) -> Period:
    """Return the period of a year given as text or a number; the current year runs to `now`.

    Raise UnknownYear, with a message a person understands, for anything but an allowed year.
    """
    years = allowed_years(now)
    choices = ", ".join(str(y) for y in sorted(years))
    try:
        number = int(str(year).strip())
    except ValueError:
        raise UnknownYear(f"“{str(year)[:20]}” is not a year: choose one of {choices}.") from None
    if number not in years:
        raise UnknownYear(f"There are no figures for {number}: choose one of {choices}.")
    start = datetime.datetime(number, 1, 1, tzinfo=EASTERN)
    end = datetime.datetime(number + 1, 1, 1, tzinfo=EASTERN)
    return Period(number, start, min(end, now), to_date=now < end)
