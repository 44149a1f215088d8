"""Two-factor sign-in: required roles are kept out until a code verifies them; office staff opt in."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from priorauth.accounts.services import totp_code
from priorauth.members.models import Role
from tests.accounts.conftest import code_step, device_for, password_step, sign_in
from tests.conftest import make_user

pytestmark = pytest.mark.sign_in


@pytest.fixture(autouse=True)
def _no_code_throttle(settings) -> None:
    # django-otp also slows guessing (1 s, 2 s, 4 s ... after each wrong code); these tests
    # follow a wrong code with the right one at once. The lockout counts wrong codes regardless.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def wrong(code: str) -> str:
    """Return a six-digit code that is not the given one."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


def setup_url(next_url: str = "/") -> str:
    return f"{reverse('accounts:setup')}?next={next_url.replace('/', '%2F')}"


def code_url(next_url: str = "/") -> str:
    return f"{reverse('accounts:code')}?next={next_url.replace('/', '%2F')}"


@pytest.mark.parametrize(
    "role",
    [
        Role.CLINICAL_REVIEWER,
        Role.PHYSICIAN_REVIEWER,
        Role.SUPERVISOR,
        Role.POLICY_ADMIN,
        Role.ENROLLMENT_ADMIN,
        Role.PRIVACY_OFFICER,
    ],
)
def test_it_sends_every_required_role_without_an_authenticator_to_set_one_up(client, db, role):
    make_user("someone", role)
    response = password_step(client, "someone")
    assert response["Location"] == setup_url()
    assert client.get(reverse("home"))["Location"] == setup_url()


def test_it_sends_a_superuser_to_set_up_an_authenticator_before_the_admin(client, superuser):
    response = password_step(client, "ada")
    assert response["Location"] == setup_url()
    assert client.get("/admin/")["Location"] == setup_url("/admin/")


def test_it_keeps_a_nurse_with_an_authenticator_on_the_code_page_until_she_gives_the_code(client, nurse):
    device = device_for(nurse)
    response = password_step(client, "nina")
    assert response["Location"] == code_url()
    for page in ("/review/", "/notifications/", "/admin/", "/requests/", reverse("accounts:security")):
        assert client.get(page)["Location"] == code_url(page), page
    assert client.get(reverse("accounts:code")).status_code == 200

    response = code_step(client, totp_code(device))
    assert response["Location"] == "/"
    assert client.get("/review/").status_code == 200


def test_it_refuses_a_wrong_code_and_keeps_the_nurse_out(client, nurse):
    device = device_for(nurse)
    password_step(client, "nina")
    right = totp_code(device)
    response = code_step(client, wrong(right))
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/review/")["Location"] == code_url("/review/")
    assert code_step(client, "12ab56").status_code == 200  # not six digits: said so, not counted
    assert code_step(client, right)["Location"] == "/"


def test_it_accepts_a_code_only_once(client, nurse):
    device = device_for(nurse)
    password_step(client, "nina")
    code = totp_code(device)
    code_step(client, code)
    client.post(reverse("logout"))
    password_step(client, "nina")
    assert "That code is not right" in code_step(client, code).content.decode()


def test_it_gives_the_signed_in_session_a_new_key_once_the_code_is_right(client, nurse):
    device = device_for(nurse)
    password_step(client, "nina")
    before = client.session.session_key
    code_step(client, totp_code(device))
    assert client.session.session_key != before


def test_it_goes_on_to_the_page_asked_for_and_never_to_another_site(client, nurse):
    device = device_for(nurse)
    response = client.post(
        reverse("login"), {"username": "nina", "password": "correct-horse-battery-staple", "next": "/review/"}
    )
    assert response["Location"] == code_url("/review/")
    assert client.post(response["Location"], {"code": totp_code(device)})["Location"] == "/review/"

    client.post(reverse("logout"))
    password_step(client, "nina")
    device.refresh_from_db()
    response = client.post(
        reverse("accounts:code") + "?next=https://evil.example/", {"code": totp_code(device)}
    )
    assert response["Location"] == "/"


def test_it_sets_up_an_authenticator_with_the_secret_as_text_and_qr_code(client, physician):
    password_step(client, "dr_patel")
    page = client.get(setup_url())
    device = TOTPDevice.objects.get(user=physician, confirmed=False)
    secret = page.context["secret"]
    assert secret.replace(" ", "") in device.config_url
    assert secret in page.content.decode()
    qr = client.get(reverse("accounts:setup_qr"))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<?xml") and b"<svg" in qr.content and b"<script" not in qr.content

    refused = client.post(setup_url(), {"code": wrong(totp_code(device))})
    assert "That code is not right" in refused.content.decode()
    assert client.get("/review/")["Location"] == setup_url("/review/")

    response = client.post(setup_url("/review/"), {"code": totp_code(device)})
    assert response["Location"] == "/review/"
    assert TOTPDevice.objects.get(user=physician).confirmed
    assert client.get("/review/").status_code == 200
    assert client.get(reverse("accounts:setup_qr")).status_code == 404  # the secret is shown once


def test_it_lets_a_gated_user_sign_out(client, nurse):
    password_step(client, "nina")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_lets_office_staff_in_with_the_password_alone_until_they_turn_the_code_on(client, provider_staff):
    assert password_step(client, "olivia")["Location"] == "/"
    security = client.get(reverse("accounts:security")).content.decode()
    assert "<strong>Off.</strong>" in security

    client.get(reverse("accounts:setup"))
    device = TOTPDevice.objects.get(user=provider_staff, confirmed=False)
    next_url = reverse("accounts:security")
    response = client.post(setup_url(next_url), {"code": totp_code(device)})
    assert response["Location"] == next_url
    assert "<strong>On.</strong>" in client.get(next_url).content.decode()

    client.post(reverse("logout"))
    assert password_step(client, "olivia")["Location"] == code_url()
    device.refresh_from_db()
    assert code_step(client, totp_code(device))["Location"] == "/"


def test_office_staff_who_leave_the_optional_set_up_stay_signed_in(client, provider_staff):
    password_step(client, "olivia")
    page = client.get(reverse("accounts:setup")).content.decode()
    assert "Cancel and sign out" not in page
    assert f'href="{reverse("accounts:security")}"' in page
    assert client.get(reverse("accounts:security")).status_code == 200  # still signed in


def test_a_required_role_can_only_leave_the_set_up_by_signing_out(client, physician):
    password_step(client, "dr_patel")
    assert "Cancel and sign out" in client.get(setup_url()).content.decode()


def test_it_lets_office_staff_turn_the_code_off_with_a_current_code(client, provider_staff):
    device = device_for(provider_staff)
    sign_in(client, provider_staff)
    response = client.post(reverse("accounts:turn_off"), {"code": wrong(totp_code(device))})
    assert response.status_code == 400 and TOTPDevice.objects.filter(user=provider_staff).exists()
    device.refresh_from_db()
    response = client.post(reverse("accounts:turn_off"), {"code": totp_code(device)})
    assert response["Location"] == reverse("accounts:security")
    assert not TOTPDevice.objects.filter(user=provider_staff).exists()
    client.post(reverse("logout"))
    assert password_step(client, "olivia")["Location"] == "/"


def test_it_never_lets_a_required_role_turn_the_code_off(client, supervisor):
    device = device_for(supervisor)
    sign_in(client, supervisor)
    device.refresh_from_db()
    response = client.post(reverse("accounts:turn_off"), {"code": totp_code(device)})
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=supervisor, confirmed=True).exists()
    assert "Your role requires it" in client.get(reverse("accounts:security")).content.decode()
