"""The figures of a year whose answers were worked out by hand; runs on SQLite and PostgreSQL alike.

(CI runs the suite on both: with DATABASE_URL set to PostgreSQL, these same tests read the
median through percentile_cont, on SQLite through the registered aggregate.)

Standard requests that count (no drug), 30, decided after 10, 20, ... 290 hours and one after
1,000 hours: 21 approved (one by operation of law, 12 after an extension), 6 denied (3 of them
approved after appeal, one upheld), 3 approved in part or with changes. Mean 5,350 / 30 =
178.3 hours, median (150 + 160) / 2 = 155 hours. Expedited ones, 25, decided after 1 ... 24
hours and one after 100: 13 approved, 12 denied; mean 400 / 25 = 16 hours, median 13 hours.
Beside them 7 drug decisions, and one decision in 2027.
"""

from __future__ import annotations

import datetime

import pytest

from priorauth.members.models import Member, Plan
from priorauth.metrics import publish, selectors
from tests.metrics import dataset


def test_it_counts_the_standard_requests_cms_figures_drugs_left_out(world, year):
    standard = selectors.cms_report(year).figures["standard"]
    assert (standard.requests, standard.approved, standard.denied, standard.partly) == (30, 21, 6, 3)
    assert (standard.approved_after_appeal, standard.approved_after_extension) == (3, 12)
    assert [standard.percent(n) for n in ("approved", "denied", "partly")] == [70.0, 20.0, 10.0]
    assert standard.percent("approved_after_appeal") == 10.0
    assert standard.percent("approved_after_extension") == 40.0
    assert standard.durations.count == 30
    assert standard.durations.mean_hours == pytest.approx(5350 / 30)
    assert standard.durations.median_hours == pytest.approx(155)


def test_it_counts_the_expedited_requests_cms_figures(world, year):
    expedited = selectors.cms_report(year).figures["expedited"]
    assert (expedited.requests, expedited.approved, expedited.denied, expedited.partly) == (25, 13, 12, 0)
    assert expedited.percent("approved") == 52.0 and expedited.percent("denied") == 48.0
    assert expedited.durations.mean_hours == pytest.approx(16)
    assert expedited.durations.median_hours == pytest.approx(13)


def test_it_suppresses_small_counts_and_their_complements_in_the_public_figures(world, year):
    figures = selectors.cms_report(year).figures
    standard = publish.published(figures["standard"])
    # Denied (6), in part (3) and after appeal (3) are under 11; approved (21) would give the
    # first two away by subtraction from the 30 requests, so it goes too.
    assert standard["requests"] == 30
    for name in ("approved", "denied", "partly", "approved_after_appeal"):
        assert standard[name] is None and standard[f"{name}_percent"] is None
    assert standard["approved_after_extension"] == 12 and standard["approved_after_extension_percent"] == 40.0
    assert (standard["mean_hours"], standard["median_hours"]) == (178.3, 155.0)
    expedited = publish.published(figures["expedited"])
    assert (expedited["approved"], expedited["denied"], expedited["partly"]) == (13, 12, 0)


def test_it_counts_ours_with_the_drugs(world, year):
    board = selectors.dashboard(year)
    ours = board.ours
    assert ours.decisions == 62 and ours.deemed_approvals == 1
    assert (ours.compliance.decided, ours.compliance.on_time, ours.compliance.percent) == (62, 60, 96.8)
    assert ours.by_urgency == {"expedited": 27, "standard": 35}
    assert ours.by_state == {"IN": 15, "OH": 47}
    assert ours.by_category == {"car_t": 7, "gene_therapy": 1, "til": 54}
    assert ours.by_queue == {"cart": 47, "genes": 15}
    assert ours.compliance_by_queue["genes"].on_time == 14
    assert (board.pends.count, board.pends.answered) == (4, 3)
    assert board.pends.turnaround.mean_hours == pytest.approx(6)
    assert board.pends.turnaround.median_hours == pytest.approx(4)


def test_it_spreads_the_decisions_over_weeks_and_time_buckets(world, year):
    board = selectors.dashboard(year)
    assert sum(w.decided for w in board.weekly) == 62
    assert board.weekly[0].week == datetime.date(2025, 12, 29)
    february = next(w for w in board.weekly if w.week == datetime.date(2026, 2, 2))
    assert february.received == 62
    assert board.distribution["expedited"]["Under 24 hours"] == 23 + 2
    assert board.distribution["expedited"]["3 to 7 days"] == 1
    assert sum(board.distribution["standard"].values()) == 35
    assert board.distribution["standard"]["15 days or more"] == 1


def test_it_leaves_other_lines_of_business_out_of_the_cms_figures(world, year):
    medicaid = Plan.objects.create(code="KY-TEST", line_of_business="medicaid", state="KY")
    world.member["KY"] = Member.objects.create(
        member_id="KY1", first_name="A", last_name="B", date_of_birth=datetime.date(1960, 1, 1), plan=medicaid
    )
    dataset.decided(world, urgency="standard", hours=10, outcome="denied", state="KY")
    assert selectors.cms_report(year).figures["standard"].requests == 30
    assert selectors.dashboard(year).ours.by_state["KY"] == 1
