"""Office staff submit a CAR-T request in a real browser and follow it into review."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from priorauth.requests.models import PriorAuthRequest, Status
from tests.browser.helpers import (
    CarTRequest,
    demo_member,
    fill_car_t_request,
    find_member,
    log_in_as,
    press_submit,
    save_screenshot,
    start_request,
    submit_car_t_request,
    write_pdf,
)

pytestmark = pytest.mark.browser

# Inside the Ohio demo member's coverage (seed_demo covers this year and the next) and after
# MP-AD-1623 took effect (05/01/2026).
DATE_OF_SERVICE = datetime.date(timezone.localdate().year, 12, 15)
MEMBER = "OH-DEMO-0001"
STAFF = "staff_buckeye"


def test_it_submits_a_car_t_request_and_shows_it_in_review_with_its_due_time(
    page: Page, demo_world, tmp_path: Path
) -> None:
    pathology = write_pdf(tmp_path / "pathology-report.pdf", "Pathology: DLBCL, CD19 positive")
    log_in_as(page, STAFF)

    pk = submit_car_t_request(
        page, demo_member(MEMBER), CarTRequest(date_of_service=DATE_OF_SERVICE, attachments=[pathology])
    )

    saved = PriorAuthRequest.objects.get()
    assert saved.pk == pk
    expect(page.locator("[data-testid=request-number]")).to_have_text(saved.number)
    expect(page.locator("[data-testid=status]")).to_have_text("In review")
    due_utc = saved.due_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    expect(page.locator("#what-next [data-testid=due-at]")).to_have_attribute("datetime", due_utc)
    expect(page.locator("#what-next")).to_contain_text("with the Medical necessity: CAR-T team")
    expect(page.locator("[data-testid=review-kind]")).to_contain_text("Clinical review for medical necessity")
    trace = page.locator("#routing-trace")
    expect(trace).to_contain_text("Which criteria apply")
    expect(trace).to_contain_text("general medical-necessity determination")
    expect(trace).to_contain_text("MP-AD-1623 D.I")
    expect(page.get_by_role("link", name="pathology-report.pdf")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("Olivia Marsh")
    save_screenshot(page, "intake")

    assert saved.status == Status.IN_REVIEW
    assert saved.decision and saved.decision["trace"]
    assert saved.product.hcpcs == "Q2041"
    assert saved.diagnoses == ["C83.30"]
    attachment = saved.attachments.get()
    assert attachment.original_name == "pathology-report.pdf"
    assert attachment.file.read() == pathology.read_bytes()


def test_it_shows_a_bad_npi_next_to_the_field_and_keeps_what_was_typed(
    page: Page, demo_world, tmp_path: Path
) -> None:
    pathology = write_pdf(tmp_path / "pathology-report.pdf")
    log_in_as(page, STAFF)
    member = demo_member(MEMBER)
    find_member(page, member, DATE_OF_SERVICE)
    pk = start_request(page, member)
    typed = CarTRequest(
        date_of_service=DATE_OF_SERVICE,
        ordering_npi="1234567890",  # one digit off a valid NPI: the check digit fails
        clinical_summary="Bulky relapsed DLBCL; bridging therapy planned.",
        attachments=[pathology],
    )

    fill_car_t_request(page, typed)
    press_submit(page)

    expect(page).to_have_url(re.compile(rf"/requests/{pk}/edit/$"))
    expect(page.locator("#form-errors")).to_contain_text("Please correct the 1 problem marked below")
    npi = page.locator("#id_ordering_npi")
    expect(npi).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#error_1_id_ordering_npi")).to_have_text(
        "1234567890 is not a valid NPI: its check digit does not match. Please check for a typo."
    )
    expect(npi).to_have_value("1234567890")
    expect(page.locator("#id_clinical_summary")).to_have_value(typed.clinical_summary)
    expect(page.locator("#id_product")).to_have_value("Q2041")
    expect(page.locator("#id_diagnoses")).to_have_value("C83.30")
    expect(page.locator("#id_ecog")).to_have_value("1")
    expect(page.locator("#id_active_cns_disease_1")).to_be_checked()
    expect(page.locator("#id_attestation")).to_be_checked()
    expect(page.locator("#attached-documents")).to_contain_text("pathology-report.pdf")
    save_screenshot(page, "intake-error")

    saved = PriorAuthRequest.objects.get()
    assert saved.status == Status.DRAFT
    assert saved.decision is None
    assert saved.attachments.count() == 1
