"""`manage.py import_members`: its output, exit statuses, error file and dry run."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from priorauth.members.models import CoveragePeriod, Member
from tests.members.enrollment.conftest import csv_text

GOOD = "M1,Ada,Lovelace,1980-12-10,OH-MKT-SILVER-2026,2026-01-01,2026-12-31"
BAD_PLAN = "M2,Bob,Smith,1970-01-01,OH-GOLD,2026-01-01,2026-12-31"
BAD_DATE = "M3,Cy,Young,1970-01-01,OH-MKT-SILVER-2026,2026-02-30,2026-12-31"


def run(*args: str) -> tuple[int, list[str], str]:
    """Return the exit status, the lines printed on stdout and stderr, as the shell would see them."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("import_members", *args, stdout=stdout, stderr=stderr)
        code = 0
    except CommandError as error:
        stderr.write(f"CommandError: {error}\n")
        code = error.returncode
    return code, stdout.getvalue().splitlines(), stderr.getvalue()


@pytest.fixture
def members_csv(tmp_path: Path) -> Path:
    path = tmp_path / "members.csv"
    path.write_text(csv_text(GOOD, BAD_PLAN, BAD_DATE))
    return path


def test_it_prints_each_rejected_row_and_ends_with_the_json_summary(plans, members_csv):
    code, lines, stderr = run(str(members_csv))

    assert code == 1
    assert lines[:2] == [
        "line 3: member ID M2: unknown plan OH-GOLD",
        "line 4: member ID M3: coverage_start is not a real date",
    ]
    assert json.loads(lines[-1]) == {"rows": 3, "applied": 1, "unchanged": 0, "rejected": 2}
    assert "CommandError: 2 of 3 row(s) rejected" in stderr
    assert Member.objects.get().member_id == "M1"


def test_it_prints_no_name_or_birth_date(plans, members_csv):
    _, lines, stderr = run(str(members_csv))

    printed = "\n".join(lines) + stderr
    for phi in ("Ada", "Lovelace", "Bob", "Smith", "Young", "1980-12-10", "1970-01-01"):
        assert phi not in printed


def test_it_writes_the_error_file_beside_the_input_or_where_asked(plans, members_csv, tmp_path):
    run(str(members_csv))
    beside = members_csv.with_name("members.errors.csv").read_text().splitlines()
    asked = tmp_path / "out" / "rejected.csv"
    asked.parent.mkdir()

    run(str(members_csv), "--errors", str(asked))

    assert [line.split(",")[0] for line in beside] == ["line", "3", "4"]
    assert beside[1].endswith(",unknown plan OH-GOLD")
    assert asked.read_text().splitlines() == beside


def test_it_exits_0_with_no_error_file_when_every_row_is_good(plans, tmp_path):
    path = tmp_path / "clean.csv"
    path.write_text(csv_text(GOOD))

    code, lines, _ = run(str(path))

    assert code == 0
    assert json.loads(lines[-1]) == {"rows": 1, "applied": 1, "unchanged": 0, "rejected": 0}
    assert not (tmp_path / "clean.errors.csv").exists()


def test_it_reports_all_rows_unchanged_the_second_time(plans, members_csv):
    run(str(members_csv))

    _, lines, _ = run(str(members_csv))

    assert json.loads(lines[-1]) == {"rows": 3, "applied": 0, "unchanged": 1, "rejected": 2}


def test_a_dry_run_reports_what_would_change_and_writes_nothing(plans, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(csv_text(GOOD))
    call_command("import_members", str(path), stdout=io.StringIO())
    path.write_text(
        csv_text(
            "M1,Ada,King,1980-12-10,GA-MKT-SILVER-2026,2026-01-01,2026-06-30",
            "M1,Ada,King,1980-12-10,GA-MKT-SILVER-2026,2027-01-01,2027-12-31",
            "M2,Grace,Hopper,1966-12-09,GA-MKT-SILVER-2026,2026-01-01,2026-12-31",
        )
    )
    before = _everything()

    code, lines, _ = run(str(path), "--dry-run")

    assert code == 0
    assert lines[-3:] == [
        "Dry run: nothing was written.",
        "Would create 1 member(s) and change 1; would add 2 coverage period(s) and give 1 a new end date.",
        json.dumps({"rows": 3, "applied": 3, "unchanged": 0, "rejected": 0}),
    ]
    assert _everything() == before


def _everything() -> tuple[list[tuple], ...]:
    return (
        list(Member.objects.order_by("pk").values_list()),
        list(CoveragePeriod.objects.order_by("pk").values_list()),
        list(Member.history.order_by("pk").values_list("history_id")),
        list(CoveragePeriod.history.order_by("pk").values_list("history_id")),
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "member_id,first_name,last_name,plan_code,coverage_start,coverage_end\n" + GOOD + "\n",
            "lacks the column date_of_birth. An enrollment file starts with the header "
            "member_id,first_name,last_name,date_of_birth,plan_code,coverage_start,coverage_end. "
            "Nothing was imported.",
        ),
        ("", "The file is empty: an enrollment file starts with a header row. Nothing was imported."),
    ],
)
def test_it_exits_2_with_a_clear_message_when_a_column_is_missing(plans, tmp_path, content, message):
    path = tmp_path / "members.csv"
    path.write_text(content)

    code, lines, stderr = run(str(path))

    assert code == 2
    assert f"CommandError: {path}: " in stderr and message in stderr
    assert lines == []
    assert not Member.objects.exists()
    assert not (tmp_path / "members.errors.csv").exists()


def test_it_exits_2_for_a_file_that_is_not_there(db, tmp_path):
    code, _, stderr = run(str(tmp_path / "nowhere.csv"))

    assert code == 2
    assert "nowhere.csv: cannot read the file (No such file or directory)" in stderr


def test_it_exits_2_when_the_error_file_cannot_be_written(plans, members_csv, tmp_path):
    code, _, stderr = run(str(members_csv), "--errors", str(tmp_path / "no-such-dir" / "e.csv"))

    assert code == 2
    assert "cannot write the error file" in stderr
    assert not Member.objects.exists()
