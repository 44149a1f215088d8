"""Lockout: too many failed sign-ins per account or per address, the message, supervisors' unlock."""

from __future__ import annotations

import logging

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from priorauth.accounts.services import totp_code
from tests.accounts.conftest import HOME_ADDRESS, code_step, device_for, password_step, sign_in

pytestmark = pytest.mark.sign_in

LIMIT = 5  # settings.AXES_FAILURE_LIMIT, the default of LOGIN_FAILURE_LIMIT


def address(n: int) -> str:
    return f"198.51.100.{n}"  # the documentation range (RFC 5737)


def fail_password(client, username: str, times: int, *, spread: bool = False) -> None:
    for n in range(times):
        where = address(n + 1) if spread else HOME_ADDRESS
        response = password_step(client, username, "not-the-password", REMOTE_ADDR=where)
        assert response.status_code in (200, 429)


def test_it_locks_an_account_after_five_failures_from_anywhere_even_with_the_right_password(
    client, provider_staff
):
    fail_password(client, "olivia", LIMIT, spread=True)
    response = password_step(client, "olivia", REMOTE_ADDR=address(99))
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in is locked" in page
    assert "try again after" in page and "in about 15 minutes" in page
    assert "ask a UM supervisor" in page
    assert "_auth_user_id" not in client.session


def test_it_lets_an_account_in_after_four_failures(client, provider_staff):
    fail_password(client, "olivia", LIMIT - 1)
    assert password_step(client, "olivia")["Location"] == "/"


def test_it_locks_an_address_after_five_failures_for_any_accounts(client, provider_staff):
    for n in range(LIMIT):
        password_step(client, f"guess{n}", "not-the-password", REMOTE_ADDR=address(7))
    assert password_step(client, "olivia", REMOTE_ADDR=address(7)).status_code == 429
    assert password_step(client, "olivia", REMOTE_ADDR=address(8))["Location"] == "/"


def test_it_counts_wrong_codes_and_signs_the_session_out_at_the_limit(client, nurse):
    device = device_for(nurse)
    password_step(client, "nina")
    right = totp_code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(LIMIT - 1):
        assert "That code is not right" in code_step(client, wrong).content.decode()
    response = code_step(client, wrong)
    assert response.status_code == 429
    assert "Sign-in is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert password_step(client, "nina", REMOTE_ADDR=address(50)).status_code == 429


def test_it_refuses_even_the_right_code_once_the_account_locked_after_the_password(client, nurse):
    device = device_for(nurse)
    password_step(client, "nina")
    fail_password(client.__class__(), "nina", LIMIT, spread=True)
    response = code_step(client, totp_code(device))
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_keeps_passwords_and_codes_out_of_failure_records_and_logs(client, nurse, caplog):
    device = device_for(nurse)
    caplog.set_level(logging.INFO)
    password_step(client, "nina", "hunter2-secret-typo")
    password_step(client, "nina")
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    code_step(client, wrong)
    stored = " ".join(a.post_data + a.get_data for a in AccessAttempt.objects.all())
    assert AccessAttempt.objects.get(username="nina").failures_since_start == 2
    for secret in ("hunter2-secret-typo", wrong):
        assert secret not in stored
        assert secret not in caplog.text


def test_it_lists_lockouts_for_a_supervisor_who_unlocks_an_account(client, supervisor, provider_staff):
    fail_password(client, "olivia", LIMIT, spread=True)
    device_for(supervisor)
    sign_in(client, supervisor)
    page = client.get(reverse("accounts:lockouts")).content.decode()
    assert "Account <strong>olivia</strong>" in page
    response = client.post(reverse("accounts:lockouts"), {"kind": "account", "value": "olivia"})
    assert response["Location"] == reverse("accounts:lockouts")
    assert "No account or address is locked" in client.get(reverse("accounts:lockouts")).content.decode()
    assert password_step(client.__class__(), "olivia")["Location"] == "/"


def test_it_lets_a_supervisor_unlock_an_address(client, supervisor, provider_staff):
    for n in range(LIMIT):
        password_step(client, f"guess{n}", "not-the-password", REMOTE_ADDR=address(7))
    device_for(supervisor)
    sign_in(client, supervisor)
    assert (
        f"Address <strong>{address(7)}</strong>" in client.get(reverse("accounts:lockouts")).content.decode()
    )
    client.post(reverse("accounts:lockouts"), {"kind": "address", "value": address(7)})
    assert password_step(client.__class__(), "olivia", REMOTE_ADDR=address(7))["Location"] == "/"


def test_it_lets_a_superuser_see_lockouts_and_django_axes_records_in_the_admin(client, superuser, nurse):
    fail_password(client, "nina", 1)
    device_for(superuser)
    sign_in(client, superuser)
    assert client.get(reverse("accounts:lockouts")).status_code == 200
    attempts = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200 and "nina" in attempts.content.decode()


def test_it_hides_lockouts_from_everyone_else_and_unlocks_nothing_for_them(client, nurse, provider_staff):
    fail_password(client, "olivia", LIMIT, spread=True)
    device_for(nurse)
    sign_in(client, nurse)
    assert client.get(reverse("accounts:lockouts")).status_code == 404
    assert (
        client.post(reverse("accounts:lockouts"), {"kind": "account", "value": "olivia"}).status_code == 404
    )
    assert password_step(client.__class__(), "olivia", REMOTE_ADDR=address(99)).status_code == 429


def test_it_sends_anonymous_visitors_of_the_lockouts_page_to_log_in(client, db):
    assert client.get(reverse("accounts:lockouts"))["Location"].startswith(reverse("login"))


def test_it_unlocks_nothing_when_told_no_account(client, supervisor, provider_staff):
    fail_password(client, "olivia", LIMIT, spread=True)
    device_for(supervisor)
    sign_in(client, supervisor)
    response = client.post(reverse("accounts:lockouts"), {"kind": "account", "value": ""}, follow=True)
    assert "Nothing was unlocked" in response.content.decode()
    assert "Account <strong>olivia</strong>" in response.content.decode()


def test_it_locks_the_address_the_tls_proxy_forwards_not_the_proxys_own(client, provider_staff, settings):
    settings.BEHIND_TLS_PROXY = True
    proxy = {"REMOTE_ADDR": "203.0.113.2"}  # the proxy: every connection comes from it
    for n in range(LIMIT):
        password_step(client, f"guess{n}", "not-the-password", HTTP_X_FORWARDED_FOR=address(7), **proxy)
    assert password_step(client, "olivia", HTTP_X_FORWARDED_FOR=address(7), **proxy).status_code == 429
    assert password_step(client, "olivia", HTTP_X_FORWARDED_FOR=address(8), **proxy)["Location"] == "/"


def test_it_ignores_a_forwarded_address_when_no_proxy_is_in_front(client, provider_staff):
    for n in range(LIMIT):
        password_step(client, f"guess{n}", "not-the-password", HTTP_X_FORWARDED_FOR=address(n + 1))
    # The attempts all came from one connection address, whatever the header claimed.
    assert password_step(client, "olivia", HTTP_X_FORWARDED_FOR=address(99)).status_code == 429
