"""The enrollment-import benchmark: rows per second and peak memory of `import_members`' service.

It writes an enrollment file of N rows (two coverage periods for each of N/2 members, the file
sorted by coverage start as an extract often is, so that a member's rows are far apart), and
measures, on empty member tables each time:

- the import of new members (rows per second), then the same file again (every row unchanged);
- a bare `bulk_create` of the same rows: the CSV read into members and periods and inserted in
  batches, with no checks, no upsert and no history: the floor the import is compared with;
- the import's peak memory (tracemalloc, in a run of its own, which tracemalloc slows), at a
  tenth of the rows and at all of them: a bounded import peaks at about the same at both sizes.
"""

from __future__ import annotations

import csv
import datetime
import io
import pathlib
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection

from priorauth.members.enrollment.rows import COLUMNS
from priorauth.members.enrollment.services import ImportSummary, enrollment_import
from priorauth.members.models import CoveragePeriod, Member, Plan

BATCH = 5000
# The peak at all rows may be this many times the peak at a tenth of them and still be "bounded".
MEMORY_RATIO_TARGET = 1.5
YEARS = (2025, 2026)


@dataclass(frozen=True)
class Measure:
    what: str
    rows: int
    seconds: float | None = None
    peak_mb: float | None = None

    @property
    def rows_per_second(self) -> float | None:
        return self.rows / self.seconds if self.seconds else None


def file_write(path: pathlib.Path, rows: int, plan_codes: list[str]) -> None:
    """Write an enrollment file of `rows` rows: rows/2 members, each with one period in each of two years."""
    members = rows // len(YEARS)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for year in YEARS:
            for n in range(members):
                born = datetime.date(1940, 1, 1) + datetime.timedelta(days=n % 25_000)
                writer.writerow(
                    [
                        f"BENCH-{n:07d}",
                        f"First{n % 997}",
                        f"Last{n % 1009}",
                        born.isoformat(),
                        plan_codes[n % len(plan_codes)],
                        f"{year}-01-01",
                        f"{year}-12-31",
                    ]
                )


def members_clear() -> None:
    """Empty the member tables and their history (the benchmark's own database, before any request)."""
    tables = [
        model._meta.db_table
        for model in (CoveragePeriod, Member, CoveragePeriod.history.model, Member.history.model)
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Inside a transaction (the benchmark's test), the foreign keys' deferred checks must
            # run before TRUNCATE may.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            return
        for table in tables:  # SQLite, in the benchmark's own test
            cursor.execute(f"DELETE FROM {table}")


def imported(path: pathlib.Path) -> ImportSummary:
    with open(path, encoding="utf-8", newline="") as source:
        return enrollment_import(source=source, file_name=path.name, errors_to=io.StringIO())


def bulk_create_bare(path: pathlib.Path) -> int:
    """Insert the file's rows with bulk_create alone (no checks, no history); return the rows read."""
    plans = {plan.code: plan for plan in Plan.objects.all()}
    member_pks: dict[str, int] = {}
    read = 0
    with open(path, encoding="utf-8", newline="") as source:
        for batch in _batches(csv.DictReader(source)):
            read += len(batch)
            new = {}
            for row in batch:
                if row["member_id"] not in member_pks and row["member_id"] not in new:
                    new[row["member_id"]] = Member(
                        member_id=row["member_id"],
                        first_name=row["first_name"],
                        last_name=row["last_name"],
                        date_of_birth=row["date_of_birth"],
                        plan=plans[row["plan_code"]],
                    )
            for member in Member.objects.bulk_create(new.values()):
                member_pks[member.member_id] = member.pk
            CoveragePeriod.objects.bulk_create(
                CoveragePeriod(
                    member_id=member_pks[row["member_id"]],
                    start=row["coverage_start"],
                    end=row["coverage_end"],
                )
                for row in batch
            )
    return read


def _batches(rows: Iterator[dict[str, str]]) -> Iterator[list[dict[str, str]]]:
    batch: list[dict[str, str]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _timed(what: str, rows: int, work: Callable[[], object]) -> Measure:
    started = time.perf_counter()
    work()
    return Measure(what, rows, seconds=time.perf_counter() - started)


def _traced(what: str, rows: int, path: pathlib.Path) -> Measure:
    members_clear()
    tracemalloc.start()
    try:
        imported(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return Measure(what, rows, peak_mb=peak / 1024 / 1024)


def measure(directory: pathlib.Path, rows: int) -> list[Measure]:
    """Return the import's and bulk_create's timings at `rows` rows, and the import's peak memory."""
    plan_codes = sorted(Plan.objects.values_list("code", flat=True))
    full, tenth = directory / "enrollment.csv", directory / "enrollment-tenth.csv"
    file_write(full, rows, plan_codes)
    file_write(tenth, rows // 10, plan_codes)
    members_clear()
    results = [
        _timed("import, new members", rows, lambda: imported(full)),
        _timed("import again, unchanged", rows, lambda: imported(full)),
    ]
    members_clear()
    results.append(_timed("bare bulk_create", rows, lambda: bulk_create_bare(full)))
    results.append(_traced("import, peak memory", rows // 10, tenth))
    results.append(_traced("import, peak memory", rows, full))
    members_clear()
    return results


def report(results: list[Measure]) -> list[str]:
    """Return the results as lines, then the memory target with PASS or MISS."""
    lines = [f"{'rows':>9}  {'enrollment file':<24} {'time':>8} {'rows/s':>9} {'peak memory':>12}"]
    for m in results:
        time_text = f"{m.seconds:>6.1f} s" if m.seconds else f"{'':>8}"
        rate = f"{m.rows_per_second:>9,.0f}" if m.rows_per_second else f"{'':>9}"
        peak = f"{m.peak_mb:>9.1f} MB" if m.peak_mb is not None else ""
        lines.append(f"{m.rows:>9,}  {m.what:<24} {time_text} {rate} {peak:>12}".rstrip())
    peaks = [m for m in results if m.peak_mb is not None]
    if len(peaks) == 2:
        small, large = sorted(peaks, key=lambda m: m.rows)
        ratio = large.peak_mb / small.peak_mb  # type: ignore[operator]
        verdict = "PASS" if ratio <= MEMORY_RATIO_TARGET else "MISS"
        lines.append("")
        lines.append(
            f"import peak memory at {large.rows:,} rows / at {small.rows:,}: {ratio:.2f}, "
            f"target <= {MEMORY_RATIO_TARGET}: {verdict}"
        )
    imports = {m.what: m for m in results if m.seconds}
    new, bare = imports.get("import, new members"), imports.get("bare bulk_create")
    if new and bare:
        lines.append(
            f"import of new members / bare bulk_create: {new.seconds / bare.seconds:.1f} times the time"
        )
    return lines
