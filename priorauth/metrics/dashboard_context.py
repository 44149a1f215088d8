"""What the supervisor's dashboard template gets: each chart with the table of its figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from priorauth.metrics import charts, publish, series
from priorauth.metrics.selectors import Dashboard
from priorauth.policies import vocab


@dataclass(frozen=True)
class Figure:
    """A chart and its data table: `slug` names its elements, `head` and `rows` are the table."""

    slug: str
    title: str
    description: str
    chart: charts.Chart
    head: list[str]
    rows: list[list[Any]]


def _week_label(week: Any) -> str:
    return f"{week:%b} {week.day}"


def _weekly(board: Dashboard) -> Figure:
    labels = [_week_label(w.week) for w in board.weekly]
    received = [w.received for w in board.weekly]
    decided = [w.decided for w in board.weekly]
    chart = charts.bar_chart(
        labels,
        [charts.Series("Received", "series-1", received), charts.Series("Decided", "series-2", decided)],
    )
    rows = [[f"Week of {_week_label(w.week)}", w.received, w.decided] for w in board.weekly]
    return Figure(
        "weekly",
        "Weekly volume and decisions",
        "Requests received and initial decisions made each week (weeks start on Monday).",
        chart,
        ["Week", "Received", "Decided"],
        rows,
    )


def _distribution(board: Dashboard) -> Figure:
    labels = [label for label, _ in series.BUCKETS]
    standard = [board.distribution.get("standard", {}).get(label, 0) for label in labels]
    expedited = [board.distribution.get("expedited", {}).get(label, 0) for label in labels]
    chart = charts.bar_chart(
        labels,
        [charts.Series("Standard", "series-1", standard), charts.Series("Expedited", "series-3", expedited)],
    )
    return Figure(
        "decision-times",
        "Time from receipt to decision",
        "How many initial decisions took how long, standard and expedited, drugs included.",
        chart,
        ["Time to decision", "Standard", "Expedited"],
        [[label, s, e] for label, s, e in zip(labels, standard, expedited, strict=True)],
    )


def _compliance(board: Dashboard) -> Figure:
    queues = board.ours.compliance_by_queue
    names = [board.queue_names.get(code, code) for code in queues]
    percents = [c.percent or 0.0 for c in queues.values()]
    chart = charts.bar_chart(
        names, [charts.Series("Decided by the due time", "series-2", percents)], top=100, suffix="%"
    )
    rows = [
        [name, c.decided, c.on_time, "" if c.percent is None else f"{c.percent}%"]
        for name, c in zip(names, queues.values(), strict=True)
    ]
    return Figure(
        "compliance",
        "Decided by the due time, by queue",
        "The share of each queue's initial decisions made by the request's due time: the earliest "
        "of the state's and the federal one, as extended or paused.",
        chart,
        ["Queue", "Decisions with a due time", "By the due time", "Share"],
        rows,
    )


def _open_marks(board: Dashboard) -> Figure:
    labels = [_week_label(m.week) for m in board.open_marks]
    chart = charts.line_chart(
        labels,
        [
            charts.Series("At risk", "series-3", [m.at_risk for m in board.open_marks]),
            charts.Series("Overdue", "series-4", [m.overdue for m in board.open_marks]),
        ],
    )
    return Figure(
        "open",
        "At risk and overdue over time",
        "Open requests at the end of each week: at risk (three quarters of the timeframe used) and overdue.",
        chart,
        ["End of the week of", "At risk", "Overdue"],
        [[_week_label(m.week), m.at_risk, m.overdue] for m in board.open_marks],
    )


def _splits(board: Dashboard) -> list[tuple[str, list[tuple[str, int]]]]:
    ours = board.ours
    return [
        ("Queue", [(board.queue_names.get(code, code), n) for code, n in ours.by_queue.items()]),
        ("Therapy category", [(vocab.CATEGORIES.get(code, code), n) for code, n in ours.by_category.items()]),
        ("State", [(vocab.US_STATES.get(code, code), n) for code, n in ours.by_state.items()]),
    ]


def context(board: Dashboard) -> dict[str, Any]:
    return {
        "period": board.period,
        "cms_rows": [(u, board.cms[u], publish.published(board.cms[u], suppress=False)) for u in board.cms],
        "labels": publish.LABELS,
        "ours": board.ours,
        "pends": board.pends,
        "splits": _splits(board),
        "figures": [_weekly(board), _distribution(board), _compliance(board), _open_marks(board)],
    }
