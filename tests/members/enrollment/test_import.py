"""The enrollment import: upserts by member ID, idempotent, history, and what it keeps."""

from __future__ import annotations

import datetime

import pytest

from priorauth.members.enrollment import services, staging
from priorauth.members.models import CoveragePeriod, Member
from tests.members.enrollment.conftest import csv_text, run_import

D = datetime.date
ADA = "M100,Ada,Lovelace,1980-12-10,OH-MKT-SILVER-2026"


@pytest.fixture
def ada(plans) -> Member:
    member = Member.objects.create(
        member_id="M100",
        first_name="Ada",
        last_name="Lovelace",
        date_of_birth="1980-12-10",
        plan=plans["OH-MKT-SILVER-2026"],
    )
    CoveragePeriod.objects.create(member=member, start="2025-01-01", end="2025-12-31")
    return member


def periods(member_id: str) -> list[tuple[D, D]]:
    return list(CoveragePeriod.objects.filter(member__member_id=member_id).values_list("start", "end"))


def test_it_creates_a_new_member_with_each_period_and_their_history(plans, enrollment_admin):
    text = csv_text(f"{ADA},2026-01-01,2026-06-30", f"{ADA},2026-07-01,2026-12-31")

    imported = run_import(text, user=enrollment_admin, name="oh-2026-06.csv")

    assert imported.counts == {"rows": 2, "applied": 2, "unchanged": 0, "rejected": 0}
    member = Member.objects.get(member_id="M100")
    assert (member.first_name, member.last_name, member.date_of_birth) == ("Ada", "Lovelace", D(1980, 12, 10))
    assert member.plan == plans["OH-MKT-SILVER-2026"]
    assert periods("M100") == [(D(2026, 1, 1), D(2026, 6, 30)), (D(2026, 7, 1), D(2026, 12, 31))]
    created = member.history.get()
    assert (created.history_type, created.history_user) == ("+", enrollment_admin)
    assert created.history_change_reason == "enrollment file oh-2026-06.csv"
    reasons = {h.history_change_reason for h in CoveragePeriod.history.filter(member_id=member.pk)}
    assert reasons == {"enrollment file oh-2026-06.csv"}
    assert imported.errors.splitlines() == [f"line,{csv_text().strip()},reason"]


def test_it_changes_a_name_and_plan_and_adds_a_new_period(ada, plans):
    text = csv_text(
        "M100,Ada,King,1980-12-10,GA-MKT-SILVER-2026,2025-01-01,2025-12-31",
        "M100,Ada,King,1980-12-10,GA-MKT-SILVER-2026,2026-01-01,2026-12-31",
    )

    imported = run_import(text)

    assert imported.counts == {"rows": 2, "applied": 2, "unchanged": 0, "rejected": 0}
    ada.refresh_from_db()
    assert (ada.last_name, ada.plan.code) == ("King", "GA-MKT-SILVER-2026")
    changed = ada.history.latest()
    assert (changed.history_type, changed.history_change_reason) == ("~", "enrollment file members.csv")
    assert changed.prev_record.last_name == "Lovelace"
    assert periods("M100") == [(D(2025, 1, 1), D(2025, 12, 31)), (D(2026, 1, 1), D(2026, 12, 31))]


def test_it_sets_a_new_end_on_the_stored_period_with_the_same_start(ada):
    imported = run_import(csv_text(f"{ADA},2025-01-01,2025-03-31"))

    assert imported.counts == {"rows": 1, "applied": 1, "unchanged": 0, "rejected": 0}
    assert periods("M100") == [(D(2025, 1, 1), D(2025, 3, 31))]
    period = CoveragePeriod.objects.get()
    assert period.history.latest().prev_record.end == D(2025, 12, 31)


def test_it_keeps_stored_periods_the_file_does_not_list(ada):
    run_import(csv_text(f"{ADA},2026-01-01,2026-12-31"))

    assert periods("M100") == [(D(2025, 1, 1), D(2025, 12, 31)), (D(2026, 1, 1), D(2026, 12, 31))]


def test_it_changes_nothing_and_writes_no_history_the_second_time(ada, plans):
    text = csv_text(
        f"{ADA},2025-01-01,2025-12-31",
        f"{ADA},2026-01-01,2026-12-31",
        "M200,Grace,Hopper,1966-12-09,GA-MKT-SILVER-2026,2026-01-01,2026-12-31",
        "M300,Alan,Turing,1962-06-23,NO-SUCH-PLAN,2026-01-01,2026-12-31",
    )
    first = run_import(text)
    history = (Member.history.count(), CoveragePeriod.history.count())

    second = run_import(text)

    assert first.counts == {"rows": 4, "applied": 2, "unchanged": 1, "rejected": 1}
    assert second.counts == {"rows": 4, "applied": 0, "unchanged": 3, "rejected": 1}
    assert (Member.history.count(), CoveragePeriod.history.count()) == history


def test_it_counts_the_row_that_carries_a_changed_name_as_applied(ada):
    imported = run_import(csv_text("M100,Ada,King,1980-12-10,OH-MKT-SILVER-2026,2025-01-01,2025-12-31"))

    assert imported.counts == {"rows": 1, "applied": 1, "unchanged": 0, "rejected": 0}
    assert CoveragePeriod.history.count() == 1  # the period itself was not written again


def test_it_finds_a_members_rows_anywhere_in_the_file_and_across_batches(plans, monkeypatch):
    monkeypatch.setattr(staging, "RUN_ROWS", 3)
    monkeypatch.setattr(services, "BATCH_ROWS", 2)
    lines = []
    for year in (2024, 2025, 2026):
        for n in range(6):
            lines.append(
                f"M{n},First{n},Last{n},1970-01-0{n + 1},OH-MKT-SILVER-2026,{year}-01-01,{year}-12-31"
            )

    imported = run_import(csv_text(*lines))

    assert imported.counts == {"rows": 18, "applied": 18, "unchanged": 0, "rejected": 0}
    assert Member.objects.count() == 6
    for n in range(6):
        assert [start.year for start, _ in periods(f"M{n}")] == [2024, 2025, 2026]


def test_it_skips_blank_lines_and_ignores_columns_after_the_required_ones(plans):
    header = "Member_ID , first_name,last_name,date_of_birth,plan_code,coverage_start,coverage_end,group"
    text = csv_text(f"{ADA},2026-01-01,2026-12-31,G-7", "", ",,,,,,,", header=header)

    imported = run_import(text)

    assert imported.counts == {"rows": 1, "applied": 1, "unchanged": 0, "rejected": 0}
    assert Member.objects.get().member_id == "M100"


def test_it_reads_quoted_values_with_commas(plans):
    run_import(csv_text('M100,"Ada, Countess",Lovelace,1980-12-10,OH-MKT-SILVER-2026,2026-01-01,2026-12-31'))

    assert Member.objects.get().first_name == "Ada, Countess"
