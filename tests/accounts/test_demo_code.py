"""The demo's two-factor sign-in: seed_demo's published key, and `demo_code` printing the code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from priorauth.members.demo import DEMO_TOTP_SECRET, LOGINS, demo_seed
from priorauth.members.models import Role
from tests.accounts.conftest import code_step, password_step

pytestmark = pytest.mark.sign_in


def authenticator_app(secret: str, at: float) -> str:
    """Return the code an authenticator app shows at `at` for a base32 key (RFC 6238, 30 s, SHA-1)."""
    counter = int(at) // 30
    digest = hmac.new(base64.b32decode(secret), counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(int.from_bytes(digest[offset : offset + 4], 'big') & 0x7FFFFFFF) % 1_000_000:06d}"


def demo_code(*args: str, debug: bool = True) -> str:
    out = io.StringIO()
    with override_settings(DEBUG=debug):
        call_command("demo_code", *args, stdout=out)
    return out.getvalue().strip()


def test_it_gives_every_demo_login_but_office_staff_the_published_authenticator(db):
    demo_seed()
    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    for login in LOGINS:
        devices = TOTPDevice.objects.filter(user__username=login.username)
        if login.role == Role.PROVIDER_STAFF:
            assert not devices.exists(), login.username
        else:
            assert [(d.key, d.confirmed) for d in devices] == [(key, True)], login.username


def test_it_prints_the_code_an_authenticator_with_the_published_key_shows(db):
    demo_seed()
    now = time.time()
    expected = {authenticator_app(DEMO_TOTP_SECRET, now + seconds) for seconds in (0, 30)}
    assert demo_code("nurse") in expected


def test_it_prints_a_code_that_signs_the_demo_nurse_in(client, db):
    demo_seed()
    nurse = next(login for login in LOGINS if login.username == "nurse")
    password_step(client, "nurse", nurse.password)
    assert code_step(client, demo_code("nurse"))["Location"] == "/"
    client.post("/accounts/logout/")
    password_step(client, "nurse", nurse.password)
    assert code_step(client, demo_code("nurse"))["Location"] == "/"  # the next code, not the used one


def test_it_refuses_with_debug_off(db):
    demo_seed()
    with pytest.raises(CommandError, match="DEBUG"):
        demo_code("nurse", debug=False)


def test_it_refuses_office_staff_and_anyone_not_a_demo_login(db, nurse):
    demo_seed()
    with pytest.raises(CommandError, match="password alone"):
        demo_code("staff_buckeye")
    with pytest.raises(CommandError, match="not a demo login"):
        demo_code("nina")


def test_it_refuses_a_demo_login_whose_authenticator_is_not_the_demo_one(db):
    demo_seed()
    TOTPDevice.objects.filter(user__username="nurse").update(key="00" * 20)
    with pytest.raises(CommandError, match="not the demo one"):
        demo_code("nurse")


def test_it_tells_how_the_demo_signs_in_with_a_code_in_seed_demos_table(db):
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out, stderr=io.StringIO())
    assert "manage.py demo_code USERNAME" in out.getvalue()
    assert DEMO_TOTP_SECRET in out.getvalue()
