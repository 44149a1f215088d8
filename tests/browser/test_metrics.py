"""The figures in a real browser: a supervisor opens the metrics dashboard, anyone the public page.

Both pages pass axe-core (every chart has an accessible name and its table beside it) and the
Content-Security-Policy (the charts are SVG drawn on the server, coloured by classes).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, log_in_as, log_out, save_screenshot
from tests.metrics import dataset

pytestmark = pytest.mark.browser

YEAR = "2026"  # the known-answers year (tests/metrics/dataset.py)


@pytest.fixture
def known_year(demo_world) -> dataset.World:
    return dataset.known_year_create()


def test_a_supervisor_reads_the_dashboard_and_anyone_the_public_figures(page: Page, known_year):
    log_in_as(page, "supervisor")
    page.get_by_role("link", name="Review").click()
    assert_accessible(page)
    page.get_by_role("link", name="Metrics", exact=True).click()
    expect(page.get_by_role("link", name="Metrics", exact=True)).to_have_attribute("aria-current", "page")
    assert_accessible(page)
    page.get_by_label("Year", exact=True).select_option(YEAR)
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_role("heading", name="Prior-authorization metrics")).to_be_visible()
    expect(page.get_by_test_id("period")).to_contain_text("2026")
    for name in (
        "Weekly volume and decisions",
        "Time from receipt to decision",
        "Decided by the due time, by queue",
    ):
        expect(page.get_by_role("img", name=name)).to_be_visible()
    expect(
        page.get_by_role("region", name="Weekly volume and decisions: the figures as a table")
    ).to_be_visible()
    expect(page.get_by_test_id("our-figures")).to_contain_text("96.8%")
    assert_accessible(page)
    save_screenshot(page, "metrics-dashboard")

    log_out(page)
    page.goto(f"/public/prior-authorization-metrics/?year={YEAR}")
    table = page.locator("#cms-figures")
    expect(table.get_by_role("row", name="Requests decided")).to_contain_text("30")
    expect(table.get_by_role("row", name="Denied")).to_contain_text("Suppressed")
    approved = table.locator("tr", has=page.get_by_role("rowheader", name="Approved", exact=True))
    expect(approved).to_contain_text("13 (52.0%)")
    expect(page.get_by_role("link", name="CSV")).to_be_visible()
    expect(page.get_by_role("heading", name="What these figures cover")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "metrics-public")
