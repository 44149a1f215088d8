"""Sort a stream of rows too large to hold: sorted runs on disk, merged back one row at a time.

An enrollment file may list a member's rows anywhere (sorted by plan, by start date, or not at
all), and the rules need all of a member's rows together. Holding every member seen would grow
with the file; this holds `run_rows` rows at a time, whatever the file's size.
"""

from __future__ import annotations

import csv
import heapq
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from typing import Any

RUN_ROWS = 10_000


def sorted_rows(
    rows: Iterable[list[str]], *, key: Callable[[list[str]], Any], run_rows: int | None = None
) -> Iterator[list[str]]:
    """Yield the rows (lists of strings) in the order of `key`, holding at most `run_rows` in memory.

    Rows with equal keys keep their input order. The runs are temporary files removed when the
    iteration ends (or the generator is closed).
    """
    with ExitStack() as stack:
        runs = []
        for run in _runs(rows, run_rows or RUN_ROWS):
            run.sort(key=key)
            handle = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8", newline=""))
            csv.writer(handle).writerows(run)
            handle.seek(0)
            runs.append(csv.reader(handle))
        yield from heapq.merge(*runs, key=key)


def _runs(rows: Iterable[list[str]], size: int) -> Iterator[list[list[str]]]:
    run: list[list[str]] = []
    for row in rows:
        run.append(row)
        if len(run) >= size:
            yield run
            run = []
    if run:
        yield run
