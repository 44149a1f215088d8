"""The FDA label check in a real browser: on the saved draft, the request page and the review screen.

axe-core runs on each page (the card says its verdict in words, not by colour alone).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    CarTRequest,
    assert_accessible,
    demo_member,
    fill_car_t_request,
    find_member,
    log_in_as,
    log_out,
    press_submit,
    save_screenshot,
    start_request,
)

pytestmark = pytest.mark.browser

DATE_OF_SERVICE = datetime.date(timezone.localdate().year, 12, 15)
MEMBER = "OH-DEMO-0001"


def save_draft(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    assert_accessible(page)


def test_it_shows_the_label_check_at_intake_and_on_the_review_screen(page: Page, demo_world) -> None:
    log_in_as(page, "staff_buckeye")
    member = demo_member(MEMBER)
    find_member(page, member, DATE_OF_SERVICE)
    pk = start_request(page, member)
    expect(page.locator("#label-check")).to_have_count(0)  # no product nor diagnosis saved yet

    fill_car_t_request(page, CarTRequest(date_of_service=DATE_OF_SERVICE, diagnoses="C50.911"))
    save_draft(page)
    card = page.locator("#label-check")
    expect(card.locator("[data-testid=label-verdict]")).to_have_text("Not on label")
    expect(card).to_contain_text("No labeled indication matches C50.911.")
    save_screenshot(page, "label-check-draft-miss")

    page.locator("#id_diagnoses").fill("C83.30")
    page.locator("#id_prior_lines_of_therapy").fill("3")
    page.locator("#id_attestation").check()
    save_draft(page)
    expect(card.locator("[data-testid=label-verdict]")).to_have_text("On label")
    expect(card).to_contain_text(
        "On label: relapsed or refractory large B-cell lymphoma after two or more lines; C83.30 matches; "
        "3 prior lines"
    )
    expect(card).to_contain_text("pending clinical sign-off")
    save_screenshot(page, "label-check-draft")

    page.locator("#id_attestation").check()
    press_submit(page)
    expect(page).to_have_url(re.compile(rf"/requests/{pk}/$"))
    expect(page.locator("#label-check [data-testid=label-verdict]")).to_have_text("On label")
    log_out(page)

    log_in_as(page, "nurse")
    page.goto(f"/review/requests/{pk}/")
    assert_accessible(page)
    card = page.locator("#label-check")
    expect(card.locator("[data-testid=label-verdict]")).to_have_text("On label")
    expect(card).to_contain_text("A hint for the reviewer, never a decision")
    expect(card.locator("[data-testid=label-to-verify]")).to_contain_text(
        "not primary central nervous system"
    )
    save_screenshot(page, "label-check-review")
