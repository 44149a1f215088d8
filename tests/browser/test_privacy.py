"""The privacy officer's screens in a real browser, and the member lookup's pause, all passing axe."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from priorauth.lookup.services import MISSES_BEFORE_LOCK
from tests.browser.helpers import (
    assert_accessible,
    demo_member,
    find_member,
    log_in_as,
    log_out,
    save_screenshot,
)

pytestmark = pytest.mark.browser

MEMBER = "OH-DEMO-0001"
DATE_OF_SERVICE = datetime.date(timezone.localdate().year, 12, 15)


def test_the_privacy_officer_finds_who_looked_a_member_up(page: Page, demo_world) -> None:
    member = demo_member(MEMBER)
    log_in_as(page, "staff_buckeye")
    find_member(page, member, DATE_OF_SERVICE)
    log_out(page)

    log_in_as(page, "privacy")
    page.get_by_role("link", name="Access log", exact=True).click()
    expect(page.get_by_role("heading", name="PHI access log")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_member_id").fill(member.member_id)
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/privacy/$"))
    log = page.get_by_test_id("access-log")
    expect(log).to_contain_text("staff_buckeye")
    expect(log).to_contain_text("Member lookup result")
    assert_accessible(page)
    save_screenshot(page, "privacy-log")

    page.get_by_role("link", name="Accounting of disclosures", exact=True).click()
    assert_accessible(page)
    page.locator("#id_member_id").fill(member.member_id)
    page.get_by_role("button", name="Show the accounting").click()
    expect(page).to_have_url(re.compile(r"/privacy/members/\d+/disclosures/$"))
    expect(page.get_by_test_id("access-log")).to_contain_text("staff_buckeye")
    assert member.member_id not in page.url
    assert_accessible(page)
    save_screenshot(page, "privacy-disclosures")


def test_office_staff_see_why_a_member_id_is_paused(page: Page, demo_world) -> None:
    member = demo_member(MEMBER)
    log_in_as(page, "staff_buckeye")
    page.goto("/members/lookup/")
    assert_accessible(page)
    for day in range(1, MISSES_BEFORE_LOCK + 1):
        page.locator("#id_member_id").fill(member.member_id)
        page.locator("#id_date_of_birth").fill(f"1900-01-{day:02d}")
        page.get_by_role("button", name="Find member").click()
        assert_accessible(page)
    expect(page.locator("#member-lookup-form")).to_contain_text("paused for you until")
    save_screenshot(page, "lookup-paused")
