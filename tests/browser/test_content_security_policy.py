"""Every role's main pages under the strict Content-Security-Policy, in a real browser.

The `page` fixture fails a test on any CSP violation the browser reports (tests/browser/csp.py);
these tests visit each role's pages, the letter and the admin among them, and check that what
moved out of the templates (the letter's Print handler, Bootstrap's collapse) still works.
"""

from __future__ import annotations

import datetime
import io
import re
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from priorauth.accounts.services import confirmed_device, totp_code
from priorauth.members.models import Member, User
from priorauth.requests import services
from priorauth.requests.models import PriorAuthRequest
from priorauth.review import services as review
from priorauth.review.determinations import determination_record
from tests.browser import csp
from tests.browser.helpers import (
    SEED_BUNDLE,
    assert_accessible,
    demo_login,
    log_in_as,
    log_out,
    save_screenshot,
)
from tests.review.world import car_t, checklist_worked, denial

pytestmark = pytest.mark.browser

DATE_OF_SERVICE = datetime.date(timezone.localdate().year, 12, 15)


class Demo:
    draft: PriorAuthRequest
    claimed: PriorAuthRequest
    decided: PriorAuthRequest


@pytest.fixture
def demo(transactional_db, settings, tmp_path) -> Demo:
    """Return the demo world with three of Buckeye's requests: a draft, one claimed, one denied."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    call_command("import_policies", SEED_BUNDLE, verbosity=0)
    call_command("seed_demo", "--force", stdout=io.StringIO(), stderr=io.StringIO())
    staff = User.objects.get(username="staff_buckeye")
    physician = User.objects.get(username="physician")
    member = Member.objects.get(member_id="OH-DEMO-0001")

    def submitted() -> PriorAuthRequest:
        pa = services.request_start(user=staff, member=member, token=uuid.uuid4())
        details = car_t(date_of_service=DATE_OF_SERVICE)
        services.request_save_draft(user=staff, request_id=pa.pk, details=details)
        return services.request_submit(user=staff, request_id=pa.pk, attested=True)

    world = Demo()
    world.draft = services.request_start(user=staff, member=member, token=uuid.uuid4())
    world.claimed = review.review_claim(user=physician, request_id=submitted().pk)
    world.decided = submitted()
    review.review_claim(user=physician, request_id=world.decided.pk)
    checklist_worked(physician, world.decided)
    determination_record(user=physician, request_id=world.decided.pk, **denial())
    return world


def visit(page: Page, path: str, screenshot: str = "") -> None:
    page.goto(path)
    assert_accessible(page)
    if screenshot:
        save_screenshot(page, screenshot)


def test_office_staff_pages_keep_the_policy_and_the_letter_prints(page: Page, demo: Demo) -> None:
    page.add_init_script("window.print = () => { window.__printed = true; };")
    visit(page, "/")
    log_in_as(page, "staff_buckeye")
    visit(page, "/requests/")
    visit(page, "/members/lookup/")
    visit(page, f"/requests/{demo.draft.pk}/edit/", "csp-intake-form")
    visit(page, f"/requests/{demo.decided.pk}/")
    visit(page, f"/members/{demo.decided.member_id}/")
    visit(page, "/notifications/")
    visit(page, f"/letters/{demo.decided.pk}/", "csp-letter")
    # The letter's own stylesheet applies (it was an inline <style> block).
    expect(page.locator("[data-testid=letter]")).to_have_css("max-width", "832px")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("() => window.__printed === true"), "the Print button did not call window.print()"
    assert not csp.violations(page), csp.violations(page)


def test_reviewer_and_supervisor_pages_keep_the_policy(page: Page, demo: Demo) -> None:
    log_in_as(page, "physician")
    visit(page, "/review/")
    visit(page, f"/review/queues/{demo.claimed.queue.code}/")
    visit(page, f"/review/requests/{demo.claimed.pk}/", "csp-review-screen")
    # review.js (a static file) still shows the approved part only for a modification.
    page.locator("#id_adverse-outcome").select_option("denied")
    expect(page.locator("#adverse-approved-part")).to_be_hidden()
    page.locator("#id_adverse-outcome").select_option("modified")
    expect(page.locator("#adverse-approved-part")).to_be_visible()
    visit(page, f"/letters/{demo.decided.pk}/")
    log_out(page)
    log_in_as(page, "supervisor")
    visit(page, "/review/supervisor/")
    visit(page, "/review/assignments/")
    log_out(page)
    log_in_as(page, "privacy")
    visit(page, "/notifications/")


def test_bootstrap_collapse_opens_the_navigation_on_a_narrow_screen(page: Page, demo: Demo) -> None:
    page.set_viewport_size({"width": 480, "height": 800})
    log_in_as(page, "staff_buckeye")
    menu = page.locator("#main-nav")
    expect(menu).to_be_hidden()
    page.get_by_role("button", name="Toggle navigation").click()
    expect(menu).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def admin_page(chromium, live_server) -> Page:
    # The admin is Django's: its pages are checked for CSP violations here, not with axe.
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    csp.watch(page)
    return page


def admin_log_in(page: Page, username: str) -> None:
    login = demo_login(username)
    page.goto("/admin/login/")
    page.locator("#id_username").fill(login.username)
    page.locator("#id_password").fill(login.password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    # The admin's sign-in goes on to the code of the demo authenticator (two-factor sign-in).
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/"))
    page.locator("#id_code").fill(totp_code(confirmed_device(User.objects.get(username=login.username))))
    with page.expect_navigation():
        page.get_by_role("button", name="Verify").click()
    expect(page.locator("#site-name")).to_be_visible()


def test_the_admin_works_under_the_policy(chromium, live_server, demo: Demo) -> None:
    page = admin_page(chromium, live_server)
    try:
        admin_log_in(page, "policy_admin")
        page.goto("/admin/")
        save_screenshot(page, "csp-admin-index")
        page.goto("/admin/policies/policy/")
        page.get_by_role("link", name="MP-AD-1623").first.click()
        expect(page.locator("#policy_form")).to_be_visible()
        # The checkbox lists' stylesheet (an inline <style> before) lays the states out in columns.
        expect(page.locator("#id_states")).to_have_css("column-count", "5")
        save_screenshot(page, "csp-admin-policy")
        page.goto("/admin/policies/holiday/add/")
        # The admin's calendar shortcut is its own script: it must open its calendar.
        page.locator(".datetimeshortcuts a").last.click()
        expect(page.locator(".calendarbox").first).to_be_visible()
        page.context.clear_cookies()
        admin_log_in(page, "enrollment")
        page.goto("/admin/members/member/")
        page.get_by_role("link", name="OH-DEMO-0001").click()
        expect(page.locator("#coverage_periods-group, .inline-group").first).to_be_visible()
        page.locator(".add-row a").first.click()
        save_screenshot(page, "csp-admin-member")
        assert not csp.violations(page), "\n".join(csp.violations(page))
    finally:
        page.context.close()
