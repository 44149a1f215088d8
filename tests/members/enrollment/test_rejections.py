"""Bad rows in an enrollment file: each reason with its line, the error file, and no half-written member."""

from __future__ import annotations

import io

import pytest

from priorauth.members.enrollment.services import EnrollmentFileInvalid, enrollment_import
from priorauth.members.models import CoveragePeriod, Member
from tests.members.enrollment.conftest import csv_text, run_import

GOOD = "M1,Ada,Lovelace,1980-12-10,OH-MKT-SILVER-2026,2026-01-01,2026-12-31"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("M2,Bob,Smith,1970-01-01,OH-GOLD,2026-01-01,2026-12-31", "unknown plan OH-GOLD"),
        (
            "M2,Bob,Smith,1970-01-01,OH-MKT-SILVER-2026,2026-12-31,2026-01-01",
            "coverage_end is before coverage_start",
        ),
        (
            "M2,Bob,Smith,1970-02-30,OH-MKT-SILVER-2026,2026-01-01,2026-12-31",
            "date_of_birth is not a real date",
        ),
        (
            "M2,Bob,Smith,1970-01-01,OH-MKT-SILVER-2026,2026-13-01,2026-12-31",
            "coverage_start is not a real date",
        ),
        (
            "M2,Bob,Smith,01/02/1970,OH-MKT-SILVER-2026,2026-01-01,2026-12-31",
            "date_of_birth is not a date written YYYY-MM-DD",
        ),
        (
            "M2,Bob,Smith,2030-01-01,OH-MKT-SILVER-2026,2030-01-01,2030-12-31",
            "date_of_birth is in the future",
        ),
        (
            "M2,Bob,Smith,2026-03-01,OH-MKT-SILVER-2026,2026-01-01,2026-12-31",
            "coverage_start is before the date of birth",
        ),
        ("M2,,Smith,1970-01-01,OH-MKT-SILVER-2026,2026-01-01,2026-12-31", "first_name is blank"),
        (",Bob,Smith,1970-01-01,OH-MKT-SILVER-2026,2026-01-01,", "member_id, coverage_end are blank"),
        ("M2,Bob,Smith,1970-01-01", "plan_code, coverage_start, coverage_end are blank"),
        (
            "M2,Bob," + "S" * 101 + ",1970-01-01,OH-MKT-SILVER-2026,2026-01-01,2026-12-31",
            "last_name is longer than 100 characters",
        ),
        (
            "M" * 31 + ",Bob,Smith,1970-01-01,OH-MKT-SILVER-2026,2026-01-01,2026-12-31",
            "member_id is longer than 30 characters",
        ),
    ],
)
def test_it_rejects_a_bad_row_with_its_line_and_applies_the_others(plans, row, reason):
    imported = run_import(csv_text(GOOD, row))

    assert imported.counts == {"rows": 2, "applied": 1, "unchanged": 0, "rejected": 1}
    assert imported.reasons == {3: reason}
    assert list(Member.objects.values_list("member_id", flat=True)) == ["M1"]


def test_it_rejects_both_lines_of_a_member_id_with_two_birth_dates_and_writes_nothing_of_it(plans):
    text = csv_text(
        "M2,Bob,Smith,1970-01-01,OH-MKT-SILVER-2026,2025-01-01,2025-12-31",
        GOOD,
        "M2,Bob,Smith,1971-01-01,OH-MKT-SILVER-2026,2026-01-01,2026-12-31",
    )

    imported = run_import(text)

    reason = "different birth dates for this member ID on lines 2 and 4"
    assert imported.reasons == {2: reason, 4: reason}
    assert not Member.objects.filter(member_id="M2").exists()


def test_it_leaves_a_stored_member_alone_when_its_rows_disagree(plans):
    run_import(csv_text(GOOD))
    text = csv_text(
        "M1,Ada,King,1980-12-10,OH-MKT-SILVER-2026,2027-01-01,2027-12-31",
        "M1,Ada,Byron,1980-12-10,GA-MKT-SILVER-2026,2028-01-01,2028-12-31",
    )

    imported = run_import(text)

    assert imported.reasons == {
        2: "different names and plans for this member ID on lines 2 and 3",
        3: "different names and plans for this member ID on lines 2 and 3",
    }
    member = Member.objects.get()
    assert (member.last_name, member.plan.code) == ("Lovelace", "OH-MKT-SILVER-2026")
    assert member.coverage_periods.count() == 1


def test_it_rejects_both_rows_of_periods_that_overlap_in_the_file(plans):
    text = csv_text(
        GOOD,
        "M1,Ada,Lovelace,1980-12-10,OH-MKT-SILVER-2026,2027-01-01,2027-12-31",
        "M1,Ada,Lovelace,1980-12-10,OH-MKT-SILVER-2026,2026-12-01,2027-03-31",
    )

    imported = run_import(text)

    assert imported.reasons == {
        2: "coverage overlaps the coverage on line 4",
        3: "coverage overlaps the coverage on line 4",
        4: "coverage overlaps the coverage on line 2",
    }
    assert not Member.objects.exists()


def test_it_rejects_a_period_overlapping_a_stored_one_and_applies_the_members_other_rows(plans):
    run_import(csv_text(GOOD))
    text = csv_text(
        "M1,Ada,Lovelace,1980-12-10,OH-MKT-SILVER-2026,2026-06-01,2027-05-31",
        "M1,Ada,Lovelace,1980-12-10,OH-MKT-SILVER-2026,2028-01-01,2028-12-31",
    )

    imported = run_import(text)

    assert imported.reasons == {2: "coverage overlaps the stored coverage period 2026-01-01 to 2026-12-31"}
    assert imported.counts == {"rows": 2, "applied": 1, "unchanged": 0, "rejected": 1}
    starts = CoveragePeriod.objects.values_list("start", flat=True)
    assert [start.year for start in starts] == [2026, 2028]


def test_it_writes_the_rejected_rows_as_given_with_line_and_reason(plans):
    header = "member_id,first_name,last_name,date_of_birth,plan_code,coverage_start,coverage_end,source"
    text = csv_text(
        GOOD + ",extract-7",
        'M2,"Smith, Bob",Smith,1970-01-01,OH-GOLD,2026-01-01,2026-12-31,extract-7',
        "M3,Cy,Young,1970-01-01,OH-MKT-SILVER-2026,2026-01-01,2025-12-31",
        header=header,
    )

    imported = run_import(text)

    assert imported.errors.splitlines() == [
        f"line,{header},reason",
        '3,M2,"Smith, Bob",Smith,1970-01-01,OH-GOLD,2026-01-01,2026-12-31,extract-7,unknown plan OH-GOLD',
        "4,M3,Cy,Young,1970-01-01,OH-MKT-SILVER-2026,2026-01-01,2025-12-31,"
        "coverage_end is before coverage_start",
    ]


def test_it_lists_rejected_rows_in_line_order_whatever_the_reason(plans):
    text = csv_text(
        "M9,Zed,Last,1970-01-01,OH-MKT-SILVER-2026,2026-01-01,2026-12-31",
        "M9,Zed,Last,1970-01-02,OH-MKT-SILVER-2026,2027-01-01,2027-12-31",
        "M1,Ada,Lovelace,1980-12-10,BAD,2026-01-01,2026-12-31",
    )

    imported = run_import(text)

    assert [row[0] for row in imported.error_rows] == ["2", "3", "4"]


def test_it_counts_a_line_of_a_quoted_value_over_two_lines_from_where_the_row_starts(plans):
    text = csv_text(
        'M2,"Bob\nJr",Smith,1970-01-01,BAD,2026-01-01,2026-12-31',
        "M3,Cy,Young,1970-01-01,BAD,2026-01-01,2026-12-31",
    )

    assert set(run_import(text).reasons) == {2, 4}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty"),
        (
            "member_id,first_name,last_name,plan_code,coverage_start\nM1,Ada,Lovelace,OH,2026-01-01\n",
            "The header row lacks the columns date_of_birth, coverage_end.",
        ),
        (
            "member_id,member_id,first_name,last_name,date_of_birth,plan_code,coverage_start,coverage_end\n",
            "The header row names member_id more than once.",
        ),
        (
            'member_id,first_name,last_name,date_of_birth,plan_code,coverage_start,coverage_end\n"M1,Ada\x00\n',
            "the file is not valid CSV",
        ),
    ],
)
def test_it_refuses_a_file_it_cannot_read_before_any_row(plans, text, message):
    with pytest.raises(EnrollmentFileInvalid, match=message.replace("(", r"\(")):
        run_import(text)
    assert not Member.objects.exists()


def test_it_writes_nothing_when_the_file_is_not_utf8_after_good_rows(plans):
    data = (
        csv_text(GOOD) + "M2,Bj\xf6rn,Smith,1970-01-01,OH-MKT-SILVER-2026,2026-01-01,2026-12-31\n"
    ).encode("latin-1")
    source = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")

    with pytest.raises(EnrollmentFileInvalid, match="not UTF-8"):
        enrollment_import(source=source, file_name="x.csv", errors_to=io.StringIO())
    assert not Member.objects.exists()
