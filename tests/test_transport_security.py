"""HTTPS only in production, and X-Forwarded-Proto believed only when a TLS proxy is said to be in front.

`check --deploy` runs in a fresh interpreter with the README's production environment; the
request tests turn the redirect on (tests/environment.py turns it off for the plain-HTTP
test client).
"""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_settings import settings_with

ROOT = Path(__file__).resolve().parent.parent


def production_environment() -> dict[str, str]:
    """Return the README's production environment ("Production"), with a fresh 50-character key."""
    key = "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(50))
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "DEBUG": "0",
        "SECRET_KEY": key,
        "ALLOWED_HOSTS": "pa.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://pa.example.org",
        "BEHIND_TLS_PROXY": "1",
    }


def test_check_deploy_finds_nothing_with_the_production_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "?:" not in result.stdout + result.stderr


def test_production_settings_redirect_to_https_and_ask_for_a_year_of_hsts():
    settings = settings_with(**production_environment())
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert settings["SESSION_COOKIE_SECURE"] is True and settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_REDIRECT_EXEMPT"] == [r"^healthz$"]


def test_development_settings_neither_redirect_nor_send_hsts():
    settings = settings_with(DEBUG="1")
    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SECURE_HSTS_SECONDS"] == 0
    assert settings["SESSION_COOKIE_SECURE"] is False


def test_each_production_default_can_be_overridden_from_the_environment():
    settings = settings_with(
        **production_environment(),
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_PRELOAD="false",
    )
    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SECURE_HSTS_SECONDS"] == 3600
    assert settings["SECURE_HSTS_PRELOAD"] is False


def test_the_proxy_header_is_trusted_only_when_a_tls_proxy_is_said_to_be_in_front():
    environment = {**production_environment(), "BEHIND_TLS_PROXY": "0"}
    assert settings_with(**environment)["SECURE_PROXY_SSL_HEADER"] is None
    behind = settings_with(**production_environment())["SECURE_PROXY_SSL_HEADER"]
    assert behind == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.fixture
def https_only(settings):
    settings.SECURE_SSL_REDIRECT = True


def test_it_redirects_plain_http_to_https(client, https_only):
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


def test_it_ignores_x_forwarded_proto_without_a_proxy(client, https_only, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    response = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 301  # the client said "https"; nothing vouches for it


def test_it_believes_the_proxy_it_was_told_about(client, https_only, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_health_check_answers_over_plain_http(client, https_only, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
