"""A CAR-T request through review in a real browser: pended, answered, escalated, denied, explained.

Office staff submit the intake test's request; the demo nurse claims it from her queue and
pends it; staff answer with text and a PDF; the nurse escalates it; the demo physician claims
and denies it; staff see the decision and read the letter (HTML and PDF).
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from priorauth.members.models import User
from priorauth.requests.models import EventKind, PriorAuthRequest, Status
from priorauth.review.models import DenialCode, Determination
from tests.browser.helpers import (
    ALL_MET,
    AdverseDetermination,
    CarTRequest,
    CriterionMark,
    answer_information_request,
    assert_accessible,
    claim_request,
    demo_member,
    escalate_request,
    log_in_as,
    log_out,
    open_queue,
    pend_request,
    record_adverse_determination,
    save_screenshot,
    submit_car_t_request,
    work_checklist,
    write_pdf,
)

pytestmark = pytest.mark.browser

# The intake test's request: the Ohio demo member, a date of service inside her coverage this year.
DATE_OF_SERVICE = datetime.date(timezone.localdate().year, 12, 15)
MEMBER = "OH-DEMO-0001"
STAFF = "staff_buckeye"
NURSE = "nurse"
PHYSICIAN = "physician"
QUEUE = "Medical necessity: CAR-T"

NEEDED = "PET-CT report after bridging therapy"
ANSWER = "PET-CT of 11/20 attached: partial response after bridging, no CNS disease."
ESCALATION = "Residual bulky disease after bridging: please decide on medical necessity."
DENIAL = AdverseDetermination(
    reason=(
        "The PET-CT after bridging therapy shows progressive disease outside the treated field, "
        "and the criteria require disease controlled by bridging before infusion."
    ),
    criteria_section="D.I",
    denial_code=DenialCode.NOT_MEDICALLY_NECESSARY.value,
)

# The review's own events, in the order the flow makes them (intake's events come before).
REVIEW_EVENTS = [
    (EventKind.CLAIMED, NURSE),
    (EventKind.PENDED, NURSE),
    (EventKind.INFORMATION_RECEIVED, STAFF),
    (EventKind.ESCALATED, NURSE),
    (EventKind.CLAIMED, PHYSICIAN),
    (EventKind.DETERMINED, PHYSICIAN),
]


def submit_as_staff(page: Page, tmp_path: Path) -> int:
    pathology = write_pdf(tmp_path / "pathology-report.pdf", "Pathology: DLBCL, CD19 positive")
    log_in_as(page, STAFF)
    pk = submit_car_t_request(
        page, demo_member(MEMBER), CarTRequest(date_of_service=DATE_OF_SERVICE, attachments=[pathology])
    )
    log_out(page)
    return pk


def nurse_claims_and_pends(page: Page, pa: PriorAuthRequest) -> datetime.datetime:
    """Return the respond-by time the nurse gave, after she found, claimed and pended the request."""
    log_in_as(page, NURSE)
    open_queue(page, QUEUE)
    row = page.locator(f"#queue-requests tr[data-request='{pa.pk}']")
    expect(row).to_contain_text(pa.number)
    expect(row).to_contain_text("Not claimed")
    due_utc = pa.due_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    expect(row.locator("time")).to_have_attribute("datetime", due_utc)
    expect(row.locator("[data-testid=due-state]")).to_have_text("On track")
    save_screenshot(page, "review-queue")

    row.get_by_role("link", name=pa.number).click()
    expect(page).to_have_url(re.compile(rf"/review/requests/{pa.pk}/$"))
    assert_accessible(page)
    expect(page.locator("[data-testid=claimed-by]")).to_have_text("Not claimed.")
    claim_request(page, pa.pk)
    respond_by = timezone.localtime() + datetime.timedelta(days=46)  # the federal minimum is 45 days
    pend_request(page, NEEDED, respond_by)
    expect(page.locator("#timeline")).to_contain_text("Information requested")
    log_out(page)
    return respond_by


def staff_answer(page: Page, pk: int, respond_by: datetime.datetime, tmp_path: Path) -> None:
    pet_ct = write_pdf(tmp_path / "pet-ct-report.pdf", "PET-CT after bridging therapy")
    log_in_as(page, STAFF)
    page.goto(f"/requests/{pk}/")
    assert_accessible(page)
    expect(page.locator("[data-testid=status]")).to_have_text(Status.PENDED.label)
    expect(page.locator("#what-next")).to_contain_text("The reviewer needs more information")
    question = page.get_by_role("region", name=re.compile(r"^Information requested on "))
    expect(question).to_contain_text(NEEDED)
    expect(question).to_contain_text(f"Please respond by {respond_by:%A, %B %-d, %Y, %-I:%M %p}")
    save_screenshot(page, "review-provider-pended")
    answer_information_request(page, pk, ANSWER, [pet_ct])
    expect(question).to_contain_text("Your answer")
    expect(question).to_contain_text(ANSWER)
    expect(question.get_by_role("link", name="pet-ct-report.pdf")).to_be_visible()
    log_out(page)


def nurse_escalates(page: Page, pk: int) -> None:
    log_in_as(page, NURSE)
    page.goto(f"/review/requests/{pk}/")
    assert_accessible(page)
    answered = page.locator("#information-requests")
    expect(answered).to_contain_text(NEEDED)
    expect(answered).to_contain_text(ANSWER)
    expect(page.locator("#documents").get_by_role("link", name="pet-ct-report.pdf")).to_be_visible()
    # The nurse may not deny: her screen offers no adverse form, only approve, pend and escalate.
    expect(page.locator("#adverse-action")).to_have_count(0)
    escalate_request(page, pk, ESCALATION)
    log_out(page)


def physician_denies(page: Page, pk: int) -> None:
    log_in_as(page, PHYSICIAN)
    claim_request(page, pk)
    expect(page.locator("[data-testid=needs-physician]")).to_be_visible()
    save_screenshot(page, "review-screen")
    work_checklist(page, [*ALL_MET[:3], CriterionMark("Not met", "pet-ct-report.pdf"), ALL_MET[4]])
    record_adverse_determination(page, DENIAL)
    expect(page.locator("[data-testid=status]")).to_have_text(Status.DENIED.label)
    expect(page.locator("#determination")).to_contain_text(DENIAL.reason)
    log_out(page)


def staff_read_the_decision(page: Page, pk: int) -> None:
    log_in_as(page, STAFF)
    page.goto(f"/requests/{pk}/")
    assert_accessible(page)
    expect(page.locator("[data-testid=status]")).to_have_text(Status.DENIED.label)
    expect(page.locator("[data-testid=decision]")).to_have_text(Status.DENIED.label)
    expect(page.locator("#what-next")).to_contain_text(DENIAL.reason)
    page.locator("[data-testid=letter-link]").click()
    expect(page).to_have_url(re.compile(rf"/letters/{pk}/$"))
    assert_accessible(page)

    letter = page.locator("[data-testid=letter]")
    expect(page.locator("[data-testid=letter-headline]")).to_be_visible()
    expect(page.locator("[data-testid=letter-decision]")).to_contain_text("Denied")
    reason = page.locator("[data-testid=letter-reason]")
    expect(reason).to_contain_text(DENIAL.reason)
    expect(reason).to_contain_text(f"section {DENIAL.criteria_section}")
    expect(reason).to_contain_text(f"{DENIAL.denial_code} - {DenialCode(DENIAL.denial_code).label}")
    peer = page.locator("[data-testid=letter-peer-to-peer]")
    expect(peer).to_contain_text("Raj Patel")
    expect(peer).to_contain_text("peer-to-peer discussion")
    appeal = page.locator("[data-testid=letter-appeal]")
    expect(appeal).to_contain_text("Internal appeal")
    expect(appeal).to_contain_text("External review")
    expect(letter).to_contain_text("Getting help")
    save_screenshot(page, "review-letter")

    pdf = page.request.get(page.locator("[data-testid=letter-pdf]").get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_it_takes_a_car_t_request_from_pend_to_denial_with_a_letter_the_provider_can_read(
    page: Page, demo_world, tmp_path: Path
) -> None:
    pk = submit_as_staff(page, tmp_path)
    respond_by = nurse_claims_and_pends(page, PriorAuthRequest.objects.get(pk=pk))
    staff_answer(page, pk, respond_by, tmp_path)
    nurse_escalates(page, pk)
    physician_denies(page, pk)
    staff_read_the_decision(page, pk)

    pa = PriorAuthRequest.objects.get(pk=pk)
    physician = User.objects.get(username=PHYSICIAN)
    assert pa.status == Status.DENIED
    assert pa.claimed_by is None
    determination = Determination.objects.get()
    assert determination.request_id == pk
    assert determination.outcome == "denied"
    assert determination.decided_by == physician
    assert determination.reason == DENIAL.reason
    assert determination.criteria_section == DENIAL.criteria_section
    assert determination.denial_code == DENIAL.denial_code
    assert determination.peer_to_peer_offered
    asked = pa.information_requests.get()
    assert asked.needed == NEEDED
    assert asked.respond_by == respond_by.replace(second=0, microsecond=0)
    assert asked.answer == ANSWER
    assert [a.original_name for a in asked.attachments.all()] == ["pet-ct-report.pdf"]
    review_kinds = {kind for kind, _ in REVIEW_EVENTS}
    events = pa.events.filter(kind__in=review_kinds).select_related("actor")
    assert [(e.kind, e.actor.username) for e in events] == REVIEW_EVENTS
    assert pa.events.order_by("-at", "-pk").first().kind == EventKind.DETERMINED
