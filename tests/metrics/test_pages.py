"""The public metrics page with its downloads, and the supervisor's dashboard."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

PUBLIC = "/public/prior-authorization-metrics/"
DASHBOARD = "/review/supervisor/metrics/"


def test_it_shows_the_public_figures_without_login_suppressed_and_cacheable(client, world, in_2027):
    response = client.get(PUBLIC, {"year": "2026"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Figures for calendar year 2026" in page
    assert "Suppressed" in page and "52.0%" in page and "155.0" in page
    # What it covers, and the list of items and services, drugs marked as not counted.
    assert "leaves drugs out" in page and "No: a drug" in page and "Stem cell transplant" in page
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
    assert "Set-Cookie" not in response or "sessionid" not in response["Set-Cookie"]
    # No member data: the dataset's member IDs and request numbers appear nowhere.
    assert "OH1" not in page and "PA-K-" not in page


def test_it_shows_the_current_year_to_date_by_default(client, world, in_2027):
    page = client.get(PUBLIC).content.decode()
    assert "2027 year to date (through January 15, 2027)" in page
    assert '<option value="2026">' in page and '<option value="2027" selected>' in page


@pytest.mark.parametrize("year", ["2019", "next", "2026.5", "9" * 40])
def test_it_answers_a_year_without_figures_with_a_message_not_an_error(client, db, in_2027, year):
    response = client.get(PUBLIC, {"year": year})
    assert response.status_code == 404
    assert "choose one of 2026, 2027" in response.content.decode()


def test_it_downloads_the_figures_as_csv_and_json(client, world, in_2027):
    csv = client.get(reverse("metrics:public_csv"), {"year": "2026"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert 'filename="prior-authorization-metrics-2026.csv"' in csv["Content-Disposition"]
    assert "calendar year 2026,standard,Denied,suppressed (fewer than 11)" in csv.content.decode()
    document = json.loads(client.get(reverse("metrics:public_json"), {"year": "2026"}).content)
    assert set(document) >= {"standard", "expedited", "covers", "suppression", "period"}
    assert document["standard"]["approved"] is None and document["expedited"]["approved"] == 13


@pytest.mark.parametrize("name", ["metrics:public_csv", "metrics:public_json"])
def test_it_answers_404_for_a_download_of_an_unknown_year(client, db, in_2027, name):
    assert client.get(reverse(name), {"year": "1999"}).status_code == 404


def test_it_shows_the_supervisor_the_dashboard_with_charts_and_their_tables(
    client, supervisor, world, in_2027
):
    client.force_login(supervisor)
    response = client.get(DASHBOARD, {"year": "2026"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('role="img"') == 4 and page.count('<table class="table table-sm table-striped') == 4
    for slug in ("weekly", "decision-times", "compliance", "open"):
        assert f'aria-labelledby="{slug}-title {slug}-desc"' in page
    assert "96.8%" in page  # decided by the due time, drugs included
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_hides_the_dashboard_from_nurses(client, nurse, db):
    client.force_login(nurse)
    assert client.get(DASHBOARD).status_code == 404


def test_it_answers_the_dashboard_for_an_unknown_year_with_a_message(client, supervisor, db, in_2027):
    client.force_login(supervisor)
    response = client.get(DASHBOARD, {"year": "abc"})
    assert response.status_code == 404 and "is not a year" in response.content.decode()
