"""Sign-in in a real browser: password, then the authenticator's code; the idle warning.

The nurse types the code her authenticator shows (the test reads her demo authenticator's key
from the database, as her phone holds it). The idle warning is driven by moving the page's
clock (Playwright's clock) and the session's timestamps together, never by waiting.
"""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from priorauth.accounts.services import totp_code
from priorauth.accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from tests.browser.helpers import (
    assert_accessible,
    demo_login,
    enter_code,
    log_in,
    log_in_as,
    log_out,
    open_queue,
    save_screenshot,
)

pytestmark = pytest.mark.browser

QUEUE = "Medical necessity: CAR-T"


def test_a_nurse_signs_in_with_her_password_and_code_and_sees_her_queue(page: Page, demo_world):
    nurse = demo_login("nurse")
    page.goto("/review/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/review/$"))
    assert_accessible(page)
    page.locator("#id_username").fill(nurse.username)
    page.locator("#id_password").fill(nurse.password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/\?next=%2Freview%2F$"))
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    expect(page.get_by_label("6-digit code")).to_be_focused()
    assert_accessible(page)
    save_screenshot(page, "sign-in-code")

    enter_code(page, nurse.username)
    expect(page).to_have_url(re.compile(r"/review/$"))
    open_queue(page, QUEUE)


def session_of(page: Page) -> SessionStore:
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    assert "expires" not in cookie or cookie["expires"] == -1  # gone when the browser closes
    return SessionStore(session_key=cookie["value"])


def move_session_clock(page: Page, *, seen_ago: int) -> None:
    session = session_of(page)
    now = int(time.time())
    session[LAST_SEEN_AT] = now - seen_ago
    session[SIGNED_IN_AT] = min(session[SIGNED_IN_AT], now - seen_ago)
    session.save()


def test_the_idle_warning_lets_the_person_stay_and_signs_out_when_ignored(page: Page, demo_world):
    page.clock.install()
    log_in_as(page, "supervisor")
    dialog = page.get_by_role("alertdialog", name="Are you still there?")
    expect(dialog).to_be_hidden()

    # Thirteen minutes without a click: the server's idle clock and the page's both moved on.
    move_session_clock(page, seen_ago=13 * 60 + 5)
    page.clock.fast_forward("13:01")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("you will be signed out in")
    assert_accessible(page)
    save_screenshot(page, "idle-warning")

    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    assert int(time.time()) - session_of(page)[LAST_SEEN_AT] < 60

    # Ignored this time: at fifteen minutes the server has signed the session out.
    move_session_clock(page, seen_ago=15 * 60 + 5)
    with page.expect_navigation():
        page.clock.fast_forward("15:01")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.locator(".messages")).to_contain_text("signed out after 15 minutes without activity")
    assert_accessible(page)


def test_office_staff_turn_two_factor_sign_in_on_from_the_security_page(page: Page, demo_world):
    log_in_as(page, "staff_buckeye")
    page.get_by_role("link", name="Security").click()
    expect(page.locator("[data-testid=two-factor-status]")).to_contain_text("Off.")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    secret = page.locator("[data-testid=totp-secret]").inner_text()
    assert len(secret.replace(" ", "")) == 32
    assert_accessible(page)
    save_screenshot(page, "two-factor-setup")

    # The person's app takes the key shown; the test reads the same key from the database.
    device = TOTPDevice.objects.get(user__username="staff_buckeye", confirmed=False)
    page.get_by_label("6-digit code").fill(totp_code(device))
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator("[data-testid=two-factor-status]")).to_contain_text("On.")
    assert_accessible(page)

    log_out(page)
    log_in_as(page, "staff_buckeye")  # now through the code page
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_locked_out_account_is_told_whom_to_ask_and_a_supervisor_unlocks_it(page: Page, demo_world):
    staff = demo_login("staff_peach")
    # Someone tried her account from five other addresses (RFC 5737's documentation range).
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            "/accounts/login/",
            {"username": staff.username, "password": "not-the-password"},
            REMOTE_ADDR=f"198.51.100.{n + 1}",
        )
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.locator("#id_username").fill(staff.username)
    page.locator("#id_password").fill(staff.password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    locked = page.locator("[data-testid=locked-out]")
    expect(locked).to_contain_text("Sign-in is locked")
    expect(locked).to_contain_text("ask a UM supervisor")
    assert_accessible(page)
    save_screenshot(page, "sign-in-locked")

    log_in_as(page, "supervisor")
    page.get_by_role("link", name="Lockouts").click()
    expect(page.locator("#lockouts")).to_contain_text(staff.username)
    assert_accessible(page)
    save_screenshot(page, "lockouts")
    with page.expect_navigation():
        page.get_by_role("button", name=f"Unlock account {staff.username}").click()
    expect(page.locator(".messages")).to_contain_text(f"Sign-in is unlocked for the account {staff.username}")
    expect(page.locator("[data-testid=no-lockouts]")).to_be_visible()
    assert_accessible(page)
    log_out(page)
    log_in(page, staff.username, staff.password)
