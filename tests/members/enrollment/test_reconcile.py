"""The upsert's rules for one member's rows, and the on-disk sort, without a database."""

from __future__ import annotations

import datetime
import random

from priorauth.members.enrollment import staging
from priorauth.members.enrollment.reconcile import StoredMember, StoredPeriod, lines_text, member_reconcile
from priorauth.members.enrollment.rows import EnrollmentRow

D = datetime.date


def row(line: int, start: D, end: D, last_name: str = "Lovelace") -> EnrollmentRow:
    return EnrollmentRow(line, "M1", "Ada", last_name, D(1980, 12, 10), "OH-MKT-SILVER-2026", start, end)


def stored(*periods: tuple[D, D]) -> StoredMember:
    return StoredMember(
        pk=1,
        first_name="Ada",
        last_name="Lovelace",
        date_of_birth=D(1980, 12, 10),
        plan_code="OH-MKT-SILVER-2026",
        periods=tuple(StoredPeriod(pk, start, end) for pk, (start, end) in enumerate(periods, start=10)),
    )


def test_a_stored_period_whose_new_end_is_rejected_stays_in_force_for_the_other_rows():
    # Stored periods typed by hand may overlap (2026, and March inside it). Line 2 would end 2026
    # in June, making room for line 3; but line 2 overlaps March, so 2026 keeps its end and line 3
    # overlaps it.
    member = stored((D(2026, 1, 1), D(2026, 12, 31)), (D(2026, 3, 1), D(2026, 3, 31)))
    rows = [row(2, D(2026, 1, 1), D(2026, 6, 30)), row(3, D(2026, 9, 1), D(2026, 12, 31))]

    decision = member_reconcile(rows, member)

    assert decision.rejected == {
        2: "coverage overlaps the stored coverage period 2026-03-01 to 2026-03-31",
        3: "coverage overlaps the stored coverage period 2026-01-01 to 2026-12-31",
    }
    assert not decision.writes


def test_an_earlier_end_makes_room_for_a_new_period_in_the_same_file():
    member = stored((D(2026, 1, 1), D(2026, 12, 31)))
    rows = [row(2, D(2026, 1, 1), D(2026, 6, 30)), row(3, D(2026, 7, 1), D(2026, 12, 31))]

    decision = member_reconcile(rows, member)

    assert decision.periods_ended == ((10, D(2026, 6, 30)),)
    assert decision.periods_added == ((D(2026, 7, 1), D(2026, 12, 31)),)
    assert decision.applied == (2, 3) and not decision.rejected


def test_periods_that_touch_without_sharing_a_day_do_not_overlap():
    rows = [row(2, D(2026, 1, 1), D(2026, 1, 31)), row(3, D(2026, 2, 1), D(2026, 2, 28))]

    assert not member_reconcile(rows, None).rejected


def test_a_new_member_is_created_from_its_first_row():
    decision = member_reconcile([row(5, D(2026, 1, 1), D(2026, 12, 31))], None)

    assert decision.create and decision.details.line == 5 and decision.applied == (5,)


def test_it_names_lines_as_a_person_would():
    assert lines_text([4]) == "line 4"
    assert lines_text([7, 2]) == "lines 2 and 7"
    assert lines_text([7, 2, 5]) == "lines 2, 5 and 7"


def test_the_disk_sort_gives_the_same_order_as_sorting_in_memory():
    rows = [[f"M{random.randrange(50)}", str(line), "x,y"] for line in range(1, 500)]

    merged = list(staging.sorted_rows(rows, key=lambda r: (r[0], int(r[1])), run_rows=37))

    assert merged == sorted(rows, key=lambda r: (r[0], int(r[1])))
