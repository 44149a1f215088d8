"""Print a drill's figures against the issue's targets, and the one-line JSON summary of a run."""

from __future__ import annotations

import json
from collections.abc import Iterable

from drills.run import RECOVERY_TARGET, Result


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def lines(result: Result) -> list[str]:
    """Return the drill's figures, one per line, each target followed by ok or MISSED."""
    t = result.tally
    recovery = (
        f"{result.recovery_s:.1f} s"
        if result.recovery_s is not None
        else f"not recovered ({t.lost} still undelivered {result.waited_s:.0f} s after the fault)"
    )
    errors = ", ".join(f"{name} {count}" for name, count in sorted(result.submit_errors.items()))
    statuses = ", ".join(f"{status} {count}" for status, count in sorted(t.statuses.items()))
    return [
        f"drill {result.name}: {result.description}",
        f"  submitted                       {result.submitted}",
        f"  submit failures                 {result.submit_failures:<8} target 0      "
        f"{_mark(not result.submit_failures)}{f'  ({errors})' if errors else ''}",
        f"  submit time                     median {result.submit_median_ms:.0f} ms, "
        f"max {result.submit_max_ms:.0f} ms",
        f"  notifications expected          {t.expected}",
        f"  delivered                       {t.delivered}",
        f"  lost                            {t.lost:<8} target 0      {_mark(not t.lost)}",
        f"  duplicated                      {t.duplicated:<8} target 0      {_mark(not t.duplicated)}",
        f"  unavoidable duplicates          {t.unavoidable_duplicates:<8} (same Message-ID, counted apart)",
        f"  recovery                        {recovery:<8} target < {RECOVERY_TARGET:.0f} s "
        f"{_mark(result.recovery_s is not None and result.recovery_s < RECOVERY_TARGET)}",
        f"  rows by status                  {statuses or 'none'}",
        f"  delivered but not marked sent   {t.delivered_not_marked}",
        f"  acknowledgement time unset      {result.acknowledgements_missing}",
    ]


def summary(results: Iterable[Result]) -> dict[str, object]:
    """Return the run's summary over all drills; max_recovery_s is null when a drill never recovered."""
    results = list(results)
    recoveries = [r.recovery_s for r in results]
    return {
        "lost": sum(r.tally.lost for r in results),
        "duplicated": sum(r.tally.duplicated for r in results),
        "unavoidable_duplicates": sum(r.tally.unavoidable_duplicates for r in results),
        "submit_failures": sum(r.submit_failures for r in results),
        "max_recovery_s": None if None in recoveries else round(max(recoveries, default=0.0), 1),
    }


def summary_line(results: Iterable[Result]) -> str:
    return json.dumps(summary(results))
