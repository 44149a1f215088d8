"""A median the database computes, so a hundred thousand durations never travel to Python.

PostgreSQL has it built in (`percentile_cont`); SQLite gets one registered on each new
connection (`register_sqlite_median`, called from the app's `ready`).
"""

from __future__ import annotations

import statistics
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Aggregate, DurationField


class Median(Aggregate):
    """The median of a duration (the mean of the two middle values when there are an even number)."""

    function = "PA_MEDIAN"
    name = "Median"
    output_field = DurationField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
        return self.as_sql(compiler, connection, template=template, **extra)


class _SqliteMedian:
    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: float | None) -> None:
        if value is not None:
            self.values.append(value)

    def finalize(self) -> float | None:
        return statistics.median(self.values) if self.values else None


def register_sqlite_median(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("PA_MEDIAN", 1, _SqliteMedian)
