"""The pure parts: suppression, periods, the at-risk and overdue series, the charts' axes (no database)."""

from __future__ import annotations

import datetime

import pytest

from priorauth.metrics import charts, publish, series
from priorauth.metrics.figures import CmsFigures, DecisionGroup, Durations, cms_figures
from priorauth.metrics.periods import UnknownYear, allowed_years, period_for

NOW = datetime.datetime(2027, 3, 1, 12, 0, tzinfo=datetime.UTC)


def figures(requests: int, approved: int, denied: int, partly: int, **more: int) -> CmsFigures:
    return CmsFigures(
        "standard", requests, approved, denied, partly, durations=Durations(requests, 3600.0, 3600.0), **more
    )


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        # Nothing small: nothing hidden; a zero is shown.
        ((40, 20, 20, 0), set()),
        # One small count would come out by subtraction: the smallest shown non-zero one goes too.
        ((40, 30, 10, 0), {"denied", "approved"}),
        ((60, 30, 25, 5), {"partly", "denied"}),
        # Two small counts adding up to 11 or more hide nothing else.
        ((50, 30, 10, 10), {"denied", "partly"}),
        # Under 11 requests: everything.
        (
            (10, 10, 0, 0),
            {"requests", "approved", "denied", "partly", "approved_after_appeal", "approved_after_extension"},
        ),
        ((0, 0, 0, 0), set()),
    ],
)
def test_it_hides_small_counts_and_those_that_would_give_them_away(counts, hidden):
    assert publish.hidden_counts(figures(*counts)) == hidden


def test_it_hides_the_percent_with_its_count_and_times_of_few_requests():
    row = publish.published(figures(40, 30, 10, 0, approved_after_appeal=3))
    assert row["denied"] is None and row["denied_percent"] is None and row["approved_percent"] is None
    assert row["approved_after_appeal"] is None and row["partly"] == 0 and row["mean_hours"] == 1.0
    small = publish.published(figures(8, 8, 0, 0))
    assert small["requests"] is None and small["mean_hours"] is None and small["median_hours"] is None


def test_it_leaves_drugs_out_and_counts_extensions_only_when_approved():
    groups = [
        DecisionGroup("standard", count=5, approved=3, approved_after_extension=3),
        DecisionGroup("standard", count=50, approved=50, outside_cms=True),
        DecisionGroup("standard", count=1, approved_after_appeal=1),
    ]
    standard = cms_figures(groups, {})["standard"]
    assert (standard.requests, standard.approved, standard.approved_after_extension) == (6, 3, 3)
    assert standard.approved_after_appeal == 1 and standard.percent("denied") == 50.0


def test_it_offers_the_years_since_the_policy_took_effect():
    assert allowed_years(NOW) == [2027, 2026]
    assert period_for("2026", NOW).label == "calendar year 2026"
    assert period_for(2027, NOW).to_date and period_for(2027, NOW).end == NOW
    with pytest.raises(UnknownYear, match=r"There are no figures for 2025: choose one of 2026, 2027\."):
        period_for("2025", NOW)


def test_it_counts_open_requests_at_risk_and_overdue_at_each_weeks_end():
    w = [datetime.date(2026, 6, 1) + series.WEEK * n for n in range(4)]
    marks = [
        # At risk in week 0, overdue from week 1, closed in week 2 (so not overdue at its end).
        series.Marks(risk=w[0], risk_closed=w[2], due=w[1], due_closed=w[2]),
        # At risk in week 1, never closed, overdue from week 3.
        series.Marks(risk=w[1], risk_closed=None, due=w[3], due_closed=None),
    ]
    found = series.at_risk_and_overdue(w, marks)
    assert [(row.at_risk, row.overdue) for row in found] == [(1, 0), (1, 1), (1, 0), (0, 1)]


def test_it_puts_four_whole_steps_on_the_axis():
    assert [charts.nice_top(v) for v in (0, 3, 25, 62, 100)] == [4, 4, 40, 80, 100]
    chart = charts.bar_chart(["a", "b"], [charts.Series("S", "series-1", [2, 4])])
    assert [t.label for t in chart.y_ticks] == ["0", "1", "2", "3", "4"]
    assert chart.bars[1].height == charts.PLOT_H and chart.bars[0].height == charts.PLOT_H / 2
