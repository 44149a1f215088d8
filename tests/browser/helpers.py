"""Steps a browser test takes as office staff: log in, find a member, fill and submit a request.

Each step is a function of a Playwright `page` and checks that the page answered as the user
would see it, so a later flow (the review flow) can chain them and fail at the step that broke.
Each step also runs axe-core on every page it lands on (`assert_accessible`, accessibility.py):
a test that navigates outside these steps calls it too, or the `page` fixture fails the test.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page, expect

from priorauth.accounts.services import confirmed_device, totp_code
from priorauth.members.demo import LOGINS, MEMBERS, DemoLogin, DemoMember
from priorauth.members.models import User
from priorauth.requests.models import Status
from tests.browser.accessibility import assert_accessible

__all__ = ["assert_accessible"]  # re-exported: tests import every step from here

SEED_BUNDLE = "policies/mp-ad-1623.bundle.json"
# Set to a directory to keep full-page screenshots of the pages the tests check (never committed).
SCREENSHOT_DIR = os.environ.get("BROWSER_SCREENSHOTS", "")


def save_screenshot(page: Page, name: str) -> None:
    """Save a full-page screenshot as <name>.png in BROWSER_SCREENSHOTS when that is set."""
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SCREENSHOT_DIR) / f"{name}.png", full_page=True)


def demo_login(username: str) -> DemoLogin:
    """Return the published demo login with that username (priorauth.members.demo)."""
    return next(login for login in LOGINS if login.username == username)


def demo_member(member_id: str) -> DemoMember:
    """Return the demo member with that member ID (priorauth.members.demo)."""
    return next(member for member in MEMBERS if member.member_id == member_id)


@dataclass(frozen=True)
class CarTRequest:
    """What office staff type into the intake form for a CAR-T request (defaults: a complete one)."""

    date_of_service: datetime.date
    product: str = "Q2041"  # Yescarta
    diagnoses: str = "C83.30"  # diffuse large B-cell lymphoma, unspecified site
    ordering_name: str = "Dr. Grace Hopper"
    ordering_npi: str = "1234567893"
    rendering_npi: str = "1245319599"
    facility_name: str = "Buckeye Cancer Center"
    facility_npi: str = "1642789139"
    clinical_summary: str = "Relapsed large B-cell lymphoma after two lines of chemoimmunotherapy."
    prior_lines_of_therapy: int = 2
    ecog: str = "1"
    attachments: list[Path] = field(default_factory=list)


def write_pdf(path: Path, text: str = "Pathology report") -> Path:
    """Return the path after writing a small, well-formed one-page PDF that shows the text there."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(body))
    return path


def log_in(page: Page, username: str, password: str) -> None:
    """Log in through the login page (and the code page, when the user's sign-in asks for one)."""
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)
    if re.search(r"/accounts/two-factor/(\?|$)", page.url):
        enter_code(page, username)


def enter_code(page: Page, username: str) -> None:
    """Type the code the user's authenticator shows now into the code page, and verify it.

    The test reads the authenticator's key from the database, as the person's phone holds it.
    """
    code = totp_code(confirmed_device(User.objects.get(username=username)))
    assert code is not None, "this login's codes for now are used up: sign in less often"
    page.locator("#id_code").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Verify").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/two-factor/"))
    assert_accessible(page)


def log_in_as(page: Page, username: str) -> None:
    """Log in as one of the demo logins (seed_demo must have run)."""
    login = demo_login(username)
    log_in(page, login.username, login.password)


def find_member(page: Page, member: DemoMember, date_of_service: datetime.date) -> None:
    """Open a new request, look the member up, and check coverage is active on the date of service."""
    page.goto("/requests/new/")
    expect(page).to_have_url(re.compile(r"/members/lookup/$"))
    assert_accessible(page)
    page.locator("#id_member_id").fill(member.member_id)
    page.locator("#id_date_of_birth").fill(member.date_of_birth.isoformat())
    page.locator("#id_date_of_service").fill(date_of_service.isoformat())
    page.get_by_role("button", name="Find member").click()
    expect(page.locator("#coverage-on-dos")).to_contain_text("Coverage active")
    assert_accessible(page)


def start_request(page: Page, member: DemoMember) -> int:
    """Return the new draft's primary key after pressing "Start a request for ..." on the lookup page."""
    page.get_by_role("button", name=f"Start a request for {member.first_name} {member.last_name}").click()
    expect(page).to_have_url(re.compile(r"/requests/\d+/edit/$"))
    assert_accessible(page)
    return int(re.search(r"/requests/(\d+)/edit/", page.url).group(1))


def fill_car_t_request(page: Page, request: CarTRequest) -> None:
    """Fill the intake form of an open draft with a CAR-T request, attest, but do not press a button."""
    page.locator("#id_date_of_service").fill(request.date_of_service.isoformat())
    page.locator("#id_service_0").check()
    page.locator("#id_product").fill(request.product)
    expect(page.locator("#product-card")).to_be_visible()
    expect(page.locator("#car-t-facts")).to_be_visible()
    page.locator("#id_diagnoses").fill(request.diagnoses)
    page.locator("#id_ordering_name").fill(request.ordering_name)
    page.locator("#id_ordering_npi").fill(request.ordering_npi)
    page.locator("#id_rendering_npi").fill(request.rendering_npi)
    page.locator("#id_facility_name").fill(request.facility_name)
    page.locator("#id_facility_npi").fill(request.facility_npi)
    page.locator("#id_urgency_0").check()
    page.locator("#id_clinical_summary").fill(request.clinical_summary)
    page.locator("#id_prior_lines_of_therapy").fill(str(request.prior_lines_of_therapy))
    page.locator("#id_ecog").select_option(request.ecog)
    page.locator("#id_active_cns_disease_1").check()
    page.locator("#id_active_infection_1").check()
    page.locator("#id_prior_car_t_or_gene_therapy_1").check()
    if request.attachments:
        page.locator("#id_attachments").set_input_files(request.attachments)
    page.locator("#id_attestation").check()
    assert_accessible(page)  # the form as filled in: product card and CAR-T questions shown


def press_submit(page: Page) -> None:
    """Press "Submit request" and wait for the answer page to load."""
    with page.expect_navigation():
        page.get_by_role("button", name="Submit request").click()
    assert_accessible(page)


def submit_car_t_request(page: Page, member: DemoMember, request: CarTRequest) -> int:
    """Return the request's primary key after finding the member, filling and submitting the form.

    The caller is logged in as office staff; the step ends on the request page, in review.
    """
    find_member(page, member, request.date_of_service)
    pk = start_request(page, member)
    fill_car_t_request(page, request)
    press_submit(page)
    expect(page).to_have_url(re.compile(rf"/requests/{pk}/$"))
    expect(page.locator("[data-testid=status]")).to_have_text("In review")
    return pk


def log_out(page: Page) -> None:
    """Press "Log out" in the navigation bar and wait until the app shows the "Log in" button."""
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")).to_be_visible()
    assert_accessible(page)


def open_queue(page: Page, queue_name: str) -> None:
    """Open the reviewer's queues page, then the named queue from its table."""
    page.goto("/review/")
    assert_accessible(page)
    page.locator("#queues").get_by_role("link", name=queue_name).click()
    expect(page.locator("h1")).to_contain_text(queue_name)
    assert_accessible(page)


def press_review_action(page: Page, action: str) -> None:
    """Press an action's button on the review screen and check the app said it was done."""
    with page.expect_navigation():
        page.locator(f"[data-testid={action}-submit]").click()
    expect(page.locator("#refused")).to_have_count(0)
    expect(page.locator(".messages .alert-success")).to_be_visible()
    assert_accessible(page)


def claim_request(page: Page, pk: int) -> None:
    """Claim the request on its review screen; the screen then shows it claimed by the user."""
    page.goto(f"/review/requests/{pk}/")
    assert_accessible(page)
    press_review_action(page, "claim")
    expect(page.locator("[data-testid=claimed-by]")).to_contain_text("Claimed by you")


def pend_request(page: Page, needed: str, respond_by: datetime.datetime) -> None:
    """Pend the claimed request open on the review screen, asking the provider for `needed`."""
    page.locator("#id_pend-needed").fill(needed)
    page.locator("#id_pend-respond_by").fill(respond_by.strftime("%Y-%m-%dT%H:%M"))
    press_review_action(page, "pend")
    expect(page.locator("[data-testid=status]")).to_have_text(Status.PENDED.label)


def answer_information_request(page: Page, pk: int, answer: str, attachments: list[Path]) -> None:
    """Answer the open question on the provider's request page with text and documents."""
    page.goto(f"/requests/{pk}/")
    assert_accessible(page)
    page.locator("#id_answer").fill(answer)
    page.locator("#id_attachments").set_input_files(attachments)
    with page.expect_navigation():
        page.get_by_role("button", name="Send answer").click()
    assert_accessible(page)
    expect(page.locator("[data-testid=status]")).to_have_text(Status.IN_REVIEW.label)


def escalate_request(page: Page, pk: int, reason: str) -> None:
    """Escalate the request, claimed by the user, for physician review (this releases the claim)."""
    page.goto(f"/review/requests/{pk}/")
    assert_accessible(page)
    page.locator("#id_escalate-reason").fill(reason)
    press_review_action(page, "escalate")
    expect(page.locator("[data-testid=needs-physician]")).to_be_visible()
    expect(page.locator("[data-testid=claimed-by]")).to_contain_text("Not claimed")


@dataclass(frozen=True)
class CriterionMark:
    """How the reviewer marks one criterion of the checklist: "Met", "Not met" or "Unclear"."""

    mark: str
    document: str = ""  # a document's name, as the select lists it
    note: str = ""


def work_checklist(page: Page, marks: list[CriterionMark]) -> None:
    """Mark the claimed request's criteria checklist, criterion by criterion in order, and save it."""
    criteria = page.locator("#checklist-action [data-testid=criterion]")
    expect(criteria).to_have_count(len(marks))
    for index, given in enumerate(marks):
        criterion = criteria.nth(index)
        criterion.get_by_role("radio", name=given.mark, exact=True).check()
        if given.document:
            criterion.get_by_label("Document that shows it").select_option(label=given.document)
        if given.note:
            criterion.get_by_label("Note").fill(given.note)
    press_review_action(page, "checklist")


# The seed's general medical-necessity checklist (MP-AD-1623's preamble) has five criteria.
ALL_MET = [CriterionMark("Met")] * 5


@dataclass(frozen=True)
class AdverseDetermination:
    """What a physician reviewer types into the "Deny, approve in part or modify" form."""

    reason: str
    criteria_section: str
    denial_code: str = "MN01"
    outcome: str = "denied"


def record_adverse_determination(page: Page, decision: AdverseDetermination) -> None:
    """Record the adverse determination on the claimed request open on the review screen.

    The criteria policy and the peer-to-peer offer and instructions keep their prefilled values.
    """
    approved_part = page.locator("#adverse-approved-part")
    page.locator("#id_adverse-outcome").select_option("partially_approved")
    expect(approved_part).to_be_visible()
    page.locator("#id_adverse-outcome").select_option(decision.outcome)
    # A denial approves nothing, so the form hides the approved service while "Denied" is chosen.
    if decision.outcome == "denied":
        expect(approved_part).to_be_hidden()
    page.locator("#id_adverse-reason").fill(decision.reason)
    expect(page.locator("#id_adverse-criteria_policy")).not_to_have_value("")
    page.locator("#id_adverse-criteria_section").fill(decision.criteria_section)
    page.locator("#id_adverse-denial_code").select_option(decision.denial_code)
    expect(page.locator("#id_adverse-peer_to_peer_offered")).to_be_checked()
    expect(page.locator("#id_adverse-peer_to_peer_instructions")).not_to_have_value("")
    assert_accessible(page)  # the form as filled in
    press_review_action(page, "adverse")
