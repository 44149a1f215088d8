"""The enrollment administrator imports an enrollment file in the admin, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from priorauth.members.models import Member
from tests.browser.helpers import assert_accessible, log_in_as, save_screenshot

pytestmark = pytest.mark.browser

FILE = (
    "member_id,first_name,last_name,date_of_birth,plan_code,coverage_start,coverage_end\n"
    "EN-0001,Ada,Lovelace,1980-12-10,OH-MKT-SILVER-2026,2026-01-01,2026-12-31\n"
    "EN-0002,Grace,Hopper,1966-12-09,OH-GOLD,2026-01-01,2026-12-31\n"
)


def test_the_enrollment_admin_imports_a_file_and_sees_the_rejected_row(page: Page, demo_world, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(FILE)
    log_in_as(page, "enrollment")
    page.goto("/admin/members/member/")
    assert_accessible(page)

    page.get_by_role("link", name="Import enrollment file").click()
    assert_accessible(page)
    save_screenshot(page, "enrollment-import-form")
    page.get_by_label("Enrollment file (CSV)").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()

    summary = page.get_by_test_id("summary")
    expect(summary).to_contain_text("Imported")
    expect(page.get_by_test_id("rejected")).to_contain_text("unknown plan OH-GOLD")
    assert_accessible(page)
    save_screenshot(page, "enrollment-import-result")
    assert Member.objects.filter(member_id="EN-0001").exists()
    assert not Member.objects.filter(member_id="EN-0002").exists()
