"""A physician works the criteria checklist in a real browser and denies with two criteria not met.

Office staff submit a CAR-T request with a pathology report; the demo physician claims it, marks
MP-AD-1623's general medical-necessity criteria (two not met, one pointing to the report), and
denies; the letter, on the page and in the PDF, lists both unmet criteria with what would change
the decision.
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from priorauth.requests.models import Status
from priorauth.review.models import CriterionAssessment, Determination
from tests.browser.helpers import (
    AdverseDetermination,
    CarTRequest,
    CriterionMark,
    assert_accessible,
    claim_request,
    demo_member,
    log_in_as,
    log_out,
    record_adverse_determination,
    save_screenshot,
    submit_car_t_request,
    work_checklist,
    write_pdf,
)

pytestmark = pytest.mark.browser

DATE_OF_SERVICE = datetime.date(timezone.localdate().year, 12, 15)
MEMBER = "OH-DEMO-0001"
STANDARDS = "Meets the standards of good medical practice in the local area"
LOWEST_COST = "The lowest cost alternative"
NOTE = "Pathology shows transformed follicular lymphoma; one prior line only."
DENIAL = AdverseDetermination(
    reason="The records show one prior line of therapy; CAR-T is the lowest cost alternative only after two.",
    criteria_section="Preamble",
)


def test_a_physician_works_a_checklist_and_denies_with_two_unmet_criteria_listed_in_the_letter(
    page: Page, demo_world, tmp_path: Path
) -> None:
    pathology = write_pdf(tmp_path / "pathology-report.pdf", "Pathology: transformed follicular lymphoma")
    log_in_as(page, "staff_buckeye")
    pk = submit_car_t_request(
        page, demo_member(MEMBER), CarTRequest(date_of_service=DATE_OF_SERVICE, attachments=[pathology])
    )
    log_out(page)

    log_in_as(page, "physician")
    claim_request(page, pk)
    checklist = page.get_by_role("region", name="Criteria checklist")
    expect(checklist).to_contain_text("Proper and necessary for the diagnosis or treatment")
    expect(checklist).to_contain_text("Preamble, definition of medically necessary services")
    met = CriterionMark("Met")
    work_checklist(
        page,
        [met, met, CriterionMark("Not met", "pathology-report.pdf", NOTE), CriterionMark("Not met"), met],
    )
    marks = page.locator("#checklist-action [data-testid=criterion]")
    expect(marks.nth(2).get_by_role("radio", name="Not met", exact=True)).to_be_checked()
    expect(marks.nth(2).get_by_label("Note")).to_have_value(NOTE)
    checklist.scroll_into_view_if_needed()
    save_screenshot(page, "checklist-marked")

    record_adverse_determination(page, DENIAL)
    expect(page.locator("[data-testid=status]")).to_have_text(Status.DENIED.label)
    # Decided, the checklist is shown as it was recorded.
    recorded = page.locator("#checklist [data-testid=criterion-mark]")
    expect(recorded).to_have_text(["Met", "Met", "Not met", "Not met", "Met"])
    expect(page.locator("#checklist")).to_contain_text("Document: pathology-report.pdf")
    save_screenshot(page, "checklist-decided")

    page.goto(f"/letters/{pk}/")
    assert_accessible(page)
    unmet = page.locator("[data-testid=letter-criteria-not-met]")
    expect(unmet.locator("li")).to_have_count(2)
    expect(unmet.locator("li").nth(0)).to_contain_text(STANDARDS)
    expect(unmet.locator("li").nth(0)).to_contain_text(
        "What would change the decision: Evidence that the treatment"
    )
    expect(unmet.locator("li").nth(1)).to_contain_text(LOWEST_COST)
    expect(unmet.locator("li").nth(1)).to_contain_text("prior lines of therapy and their results")
    unmet.scroll_into_view_if_needed()
    save_screenshot(page, "checklist-letter")

    pdf = page.request.get(f"/letters/{pk}/pdf/")
    assert pdf.status == 200
    text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages))
    assert "Criteria not met" in text and STANDARDS in text and LOWEST_COST in text

    determination = Determination.objects.get(request_id=pk)
    assert [e["mark"] for e in determination.criteria_checklist] == [
        "met",
        "met",
        "not_met",
        "not_met",
        "met",
    ]
    kept = CriterionAssessment.objects.get(request_id=pk, criterion__position=2)
    assert kept.document.original_name == "pathology-report.pdf" and kept.assessed_by.username == "physician"
