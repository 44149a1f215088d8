"""Sign-in as a person does it: the login form, then the code page (tests marked `sign_in`).

These tests get Django's own test client: `force_login` here gives a session whose second
factor is not yet verified, as the password step does (tests/conftest.py says why elsewhere
it is a whole sign-in).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from priorauth.accounts.services import totp_code
from priorauth.members.models import User
from tests.conftest import PASSWORD

# Addresses from the documentation range (RFC 5737): only ever strings in a test request.
HOME_ADDRESS = "192.0.2.10"


def device_for(user: User) -> TOTPDevice:
    """Return a confirmed authenticator for the user, as if they had set it up."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def password_step(client: Client, username: str, password: str = PASSWORD, **extra: str) -> HttpResponse:
    """Return the login form's answer to the username and password (from HOME_ADDRESS by default)."""
    extra.setdefault("REMOTE_ADDR", HOME_ADDRESS)
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def code_step(client: Client, code: str, **extra: str) -> HttpResponse:
    """Return the code page's answer to the code."""
    extra.setdefault("REMOTE_ADDR", HOME_ADDRESS)
    return client.post(reverse("accounts:code"), {"code": code}, **extra)


def sign_in(client: Client, user: User) -> None:
    """Sign the user in through the login form and, if asked, the code page."""
    response = password_step(client, user.username)
    assert response.status_code == 302, response.content.decode()[:500]
    if urlsplit(response["Location"]).path == reverse("accounts:code"):
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        response = code_step(client, totp_code(device))
        assert response.status_code == 302, response.content.decode()[:500]
        assert urlsplit(response["Location"]).path != reverse("accounts:code")


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("ada", "ada@example.org", PASSWORD)
