"""Screens where care goes ahead, in a real browser: no authorization required, and an approval.

Where a provider reads a favourable outcome (the request page and the approval letter), the app
says once that it is not a guarantee of payment (MP-AD-1623's preamble).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from priorauth.members.models import Plan
from priorauth.policies.models import Product
from priorauth.policies.vocab import NOT_A_GUARANTEE
from priorauth.requests.models import PriorAuthRequest, Status
from priorauth.review.models import Determination, Outcome
from tests.browser.helpers import (
    ALL_MET,
    CarTRequest,
    assert_accessible,
    claim_request,
    demo_member,
    fill_car_t_request,
    find_member,
    log_in_as,
    log_out,
    open_queue,
    press_review_action,
    press_submit,
    save_screenshot,
    start_request,
    submit_car_t_request,
    work_checklist,
)

pytestmark = pytest.mark.browser

# The intake test's member and date of service: Ohio, inside her coverage, after MP-AD-1623 took effect.
DATE_OF_SERVICE = datetime.date(timezone.localdate().year, 12, 15)
MEMBER = "OH-DEMO-0001"
PLAN = "OH-MKT-SILVER-2026"
STAFF = "staff_buckeye"
NURSE = "nurse"
QUEUE = "Medical necessity: CAR-T"
NO_AUTH_PRODUCT = "Q2042"  # Kymriah: the test puts it on the Ohio plan's no-authorization list


def expect_not_a_guarantee(page: Page) -> None:
    sentence = page.locator("[data-testid=not-a-guarantee]")
    expect(sentence).to_have_count(1)
    expect(sentence).to_be_visible()
    expect(sentence).to_have_text(NOT_A_GUARANTEE)
    expect(sentence).to_contain_text("(MP-AD-1623, preamble)")


def test_it_tells_staff_at_once_that_no_authorization_is_required_and_that_it_is_no_guarantee(
    page: Page, demo_world
) -> None:
    # The Ohio plan does not subject Kymriah to prior authorization (a plan's no_auth_products).
    Plan.objects.get(code=PLAN).no_auth_products.add(Product.objects.get(hcpcs=NO_AUTH_PRODUCT))
    member = demo_member(MEMBER)
    log_in_as(page, STAFF)
    find_member(page, member, DATE_OF_SERVICE)
    pk = start_request(page, member)

    fill_car_t_request(page, CarTRequest(date_of_service=DATE_OF_SERVICE, product=NO_AUTH_PRODUCT))
    press_submit(page)

    expect(page).to_have_url(re.compile(rf"/requests/{pk}/$"))
    expect(page.locator("[data-testid=status]")).to_have_text(Status.NO_AUTH_REQUIRED.label)
    what_next = page.locator("#what-next")
    expect(what_next).to_contain_text("No authorization is required")
    expect(what_next.locator("[data-testid=not-a-guarantee]")).to_be_visible()
    expect_not_a_guarantee(page)
    # Nothing waits for a decision: the summary does not say one is "not made yet".
    expect(page.locator("[data-testid=determination]")).to_have_text(
        "Not needed: no authorization is required"
    )
    # The routing trace says why, at the step that decided, citing the policy.
    why = page.get_by_role("region", name="Why no authorization is required")
    expect(why).to_contain_text("Is prior authorization required")
    expect(why).to_contain_text("does not subject Kymriah (Q2042) to prior authorization")
    save_screenshot(page, "approval-no-auth-request")

    saved = PriorAuthRequest.objects.get(pk=pk)
    assert saved.status == Status.NO_AUTH_REQUIRED
    assert saved.queue is None


def nurse_approves(page: Page, pa: PriorAuthRequest) -> None:
    """The demo nurse finds the request in her queue, claims it and approves it as requested."""
    log_in_as(page, NURSE)
    open_queue(page, QUEUE)
    page.locator(f"#queue-requests tr[data-request='{pa.pk}']").get_by_role("link", name=pa.number).click()
    expect(page).to_have_url(re.compile(rf"/review/requests/{pa.pk}/$"))
    assert_accessible(page)
    claim_request(page, pa.pk)
    work_checklist(page, ALL_MET)
    approve = page.locator("#approve-action")
    expect(approve).to_be_visible()
    # The form offers the approval as requested: the product, one unit, the date of service.
    expect(page.locator("#id_approve-approved_service")).to_have_value(
        "Yescarta (axicabtagene ciloleucel) (HCPCS Q2041)"
    )
    expect(page.locator("#id_approve-approved_units")).to_have_value("1")
    expect(page.locator("#id_approve-approved_start")).to_have_value(DATE_OF_SERVICE.isoformat())
    expect(page.locator("#id_approve-approved_end")).to_have_value(DATE_OF_SERVICE.isoformat())
    approve.scroll_into_view_if_needed()
    save_screenshot(page, "approval-review-approve-form")
    press_review_action(page, "approve")
    expect(page.locator("[data-testid=status]")).to_have_text(Status.APPROVED.label)
    expect(page.locator("#determination")).to_contain_text("Approved")
    # Decided: no clock left to watch, and no empty "Actions" heading.
    expect(page.locator("#due [data-testid=time-left]")).to_have_text(
        "The clock has stopped: the request is approved."
    )
    expect(page.get_by_role("heading", name="Actions")).to_have_count(0)
    save_screenshot(page, "approval-review-approved")
    log_out(page)


def test_it_shows_staff_an_approval_and_its_letter_each_saying_it_is_no_guarantee_of_payment(
    page: Page, demo_world
) -> None:
    log_in_as(page, STAFF)
    pk = submit_car_t_request(page, demo_member(MEMBER), CarTRequest(date_of_service=DATE_OF_SERVICE))
    log_out(page)

    nurse_approves(page, PriorAuthRequest.objects.get(pk=pk))

    log_in_as(page, STAFF)
    page.goto(f"/requests/{pk}/")
    assert_accessible(page)
    expect(page.locator("[data-testid=status]")).to_have_text(Status.APPROVED.label)
    expect(page.locator("[data-testid=decision]")).to_have_text(Status.APPROVED.label)
    what_next = page.locator("#what-next")
    expect(what_next).to_contain_text("confirms the approval")
    expect(what_next).to_contain_text("Approved: Yescarta (axicabtagene ciloleucel) (HCPCS Q2041), 1 unit")
    expect(what_next.locator("[data-testid=not-a-guarantee]")).to_be_visible()
    expect_not_a_guarantee(page)
    save_screenshot(page, "approval-request")

    page.locator("[data-testid=letter-link]").click()
    expect(page).to_have_url(re.compile(rf"/letters/{pk}/$"))
    assert_accessible(page)
    expect(page.locator("[data-testid=letter-headline]")).to_be_visible()
    decision = page.locator("[data-testid=letter-decision]")
    expect(decision).to_contain_text("We approved the request")
    # The sentence follows what is approved, so "as shown below" leads straight to it.
    expect(decision.locator("p").last).to_have_text(NOT_A_GUARANTEE)
    expect(page.locator("[data-testid=letter]")).not_to_contain_text("peer-to-peer")
    save_screenshot(page, "approval-letter")

    pa = PriorAuthRequest.objects.get(pk=pk)
    assert pa.status == Status.APPROVED
    determination = Determination.objects.get(request=pa)
    assert determination.outcome == Outcome.APPROVED
    assert determination.decided_by.username == NURSE
    assert determination.approved_units == 1
