"""`manage.py pa_metrics`: the CMS figures of a year as JSON or CSV; bad arguments exit 1 with a message."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.policies.conftest import run_command


def test_it_prints_standard_and_expedited_objects_as_json(world, in_2027):
    run = run_command("pa_metrics", "--year", "2026")
    assert run.code == 0
    document = json.loads(run.stdout)
    assert document["period"] == "calendar year 2026"
    assert "drugs" in document["covers"]
    assert document["standard"]["requests"] == 30 and document["standard"]["denied"] is None
    assert document["standard"]["median_hours"] == 155.0
    assert document["expedited"]["approved"] == 13 and document["expedited"]["approved_percent"] == 52.0


def test_it_gives_every_count_when_asked_for_the_exact_figures(world, in_2027):
    document = json.loads(run_command("pa_metrics", "--year", "2026", "--exact").stdout)
    assert document["standard"]["denied"] == 6 and document["standard"]["approved_after_appeal"] == 3


def test_it_prints_one_csv_line_per_figure_and_urgency(world, in_2027):
    run = run_command("pa_metrics", "--year", "2026", "--format", "CSV")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert run.code == 0 and len(rows) == 2 * 13
    denied = next(r for r in rows if r["urgency"] == "standard" and r["figure"] == "Denied")
    assert denied["value"] == "suppressed (fewer than 11)"
    expedited = next(r for r in rows if r["urgency"] == "expedited" and r["figure"] == "Approved")
    assert expedited["value"] == "13"


def test_it_counts_the_current_year_to_date(world, in_2027):
    document = json.loads(run_command("pa_metrics", "--year", "2027", "--exact").stdout)
    assert document["period"] == "2027 year to date (through January 15, 2027)"
    assert document["standard"]["requests"] == 1 and document["standard"]["denied"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--year", "2025"), "There are no figures for 2025: choose one of 2026, 2027."),
        (("--year", "2030"), "There are no figures for 2030"),
        (("--year", "last"), "“last” is not a year"),
        (("--year", "2026", "--format", "xml"), "--format 'xml': use json or csv."),
    ],
)
def test_it_refuses_bad_arguments_with_a_message(db, in_2027, args, message):
    run = run_command("pa_metrics", *args)
    assert run.code == 1 and message in run.stderr and not run.stdout
