"""An appeal in a real browser: staff appeal a denial with a document, a second physician
(not the one who denied it) overturns it, and staff read the appeal decision letter.

The denial itself is recorded through the services (the review flow's browser test drives it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from priorauth.appeals.models import Appeal
from priorauth.members.models import User
from priorauth.requests.models import EventKind, Status
from tests.appeals.world import decided
from tests.browser.helpers import assert_accessible, log_in_as, log_out, save_screenshot, write_pdf

pytestmark = pytest.mark.browser

STAFF = "staff_buckeye"
PHYSICIAN = "physician"
SECOND_PHYSICIAN = "physician2"
REASON = "A repeat ECOG assessment on 12/01 shows a score of 1: the criteria are now met."
RATIONALE = "The repeat assessment shows ECOG 1, which meets the criteria policy's section A.2.c."


def file_appeal(page: Page, pk: int, document: Path) -> None:
    page.goto(f"/requests/{pk}/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_test_id("file-appeal").click()
    assert_accessible(page)
    page.locator("#id_member_consents").check()
    page.locator("#id_reason").fill(REASON)
    page.locator("#id_ordering_specialty").select_option("hematology_oncology")
    page.locator("#id_attachments").set_input_files(str(document))
    save_screenshot(page, "appeal-file")
    with page.expect_navigation():
        page.get_by_role("button", name="File the appeal").click()
    assert_accessible(page)
    expect(page.get_by_test_id("appeal-status")).to_have_text("in review")
    save_screenshot(page, "appeal-filed-request")


def overturn(page: Page, appeal: Appeal) -> None:
    page.goto("/appeals/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=f"Appeal of {appeal.request}").click()
    assert_accessible(page)
    expect(page.get_by_test_id("peer-check")).to_contain_text("you match")
    expect(page.get_by_test_id("appeal-reason")).to_have_text(REASON)
    page.get_by_label("Overturned", exact=True).check()
    page.locator("#id_rationale").fill(RATIONALE)
    save_screenshot(page, "appeal-review")
    with page.expect_navigation():
        page.get_by_role("button", name="Decide the appeal").click()
    assert_accessible(page)
    expect(page.get_by_test_id("letter-headline")).to_contain_text("your request is approved")


def test_staff_appeal_a_denial_and_a_second_physician_overturns_it(page: Page, demo_world, tmp_path):
    staff, physician = User.objects.get(username=STAFF), User.objects.get(username=PHYSICIAN)
    pa = decided(staff, physician, "OH")
    assessment = write_pdf(tmp_path / "ecog-assessment.pdf", "ECOG performance status: 1")

    log_in_as(page, STAFF)
    file_appeal(page, pa.pk, assessment)
    appeal = Appeal.objects.get(request=pa)
    assert [d.original_name for d in appeal.documents.all()] == ["ecog-assessment.pdf"]
    log_out(page)

    log_in_as(page, SECOND_PHYSICIAN)
    overturn(page, appeal)
    log_out(page)

    log_in_as(page, STAFF)
    page.goto(f"/requests/{pa.pk}/")
    assert_accessible(page)
    expect(page.get_by_test_id("status")).to_have_text("Approved")
    expect(page.get_by_test_id("appeal-status")).to_have_text("Overturned")
    with page.expect_navigation():
        page.get_by_test_id("appeal-letter-link").click()
    assert_accessible(page)
    expect(page).to_have_url(re.compile(rf"/appeals/{appeal.pk}/letter/$"))
    expect(page.get_by_test_id("letter-external-review")).to_contain_text("Ohio Department of Insurance")
    save_screenshot(page, "appeal-letter")

    pa.refresh_from_db()
    assert pa.status == Status.APPROVED
    decided_event = pa.events.get(kind=EventKind.APPEAL_DECIDED)
    assert decided_event.actor.username == SECOND_PHYSICIAN and decided_event.to_status == Status.APPROVED
