"""Settings come from the environment: typed helpers that fail loudly, safe production defaults.

Each settings case imports `priorauth.settings` in a fresh interpreter with a clean
environment, since the module reads the environment once, at import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from priorauth.env import env_bool, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent

_PRINT_SETTINGS = """
import json
from priorauth import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "ENGINE": s.DATABASES["default"]["ENGINE"],
    "NAME": str(s.DATABASES["default"]["NAME"]),
    "HOST": s.DATABASES["default"].get("HOST", ""),
    "CONN_MAX_AGE": s.DATABASES["default"]["CONN_MAX_AGE"],
    "CONN_HEALTH_CHECKS": s.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "DATABASE_OPTIONS": s.DATABASES["default"].get("OPTIONS", {}),
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": s.SESSION_COOKIE_HTTPONLY,
    "X_FRAME_OPTIONS": s.X_FRAME_OPTIONS,
    "EAGER": s.CELERY_TASK_ALWAYS_EAGER,
    "BROKER": s.CELERY_BROKER_URL,
    "EMAIL_BACKEND": s.EMAIL_BACKEND,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_REDIRECT_EXEMPT": s.SECURE_REDIRECT_EXEMPT,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_HSTS_PRELOAD": s.SECURE_HSTS_PRELOAD,
    "SECURE_PROXY_SSL_HEADER": s.SECURE_PROXY_SSL_HEADER,
}))
"""


def import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [sys.executable, "-c", _PRINT_SETTINGS],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_with(**env: str) -> dict[str, object]:
    result = import_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("raw", ["1", "true", "YES", " on "])
def test_it_reads_true_booleans(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG") is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off", ""])
def test_it_reads_false_booleans(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", default=True) is False


def test_it_uses_the_default_for_an_unset_boolean(monkeypatch):
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert env_bool("SOME_FLAG", default=True) is True


def test_it_rejects_a_bad_boolean_naming_the_variable(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"SOME_FLAG='maybe' is not a boolean"):
        env_bool("SOME_FLAG")


def test_it_splits_and_strips_lists(monkeypatch):
    monkeypatch.setenv("SOME_LIST", " a.example.org, ,b.example.org ")
    assert env_list("SOME_LIST", ["default"]) == ["a.example.org", "b.example.org"]


def test_it_reads_strings_with_a_default(monkeypatch):
    monkeypatch.delenv("SOME_TEXT", raising=False)
    assert env_str("SOME_TEXT", "fallback") == "fallback"
    monkeypatch.setenv("SOME_TEXT", "value")
    assert env_str("SOME_TEXT", "fallback") == "value"


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = import_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_it_refuses_to_start_on_a_bad_debug_value():
    result = import_settings(DEBUG="sometimes", SECRET_KEY="x")
    assert result.returncode != 0
    assert "DEBUG='sometimes' is not a boolean" in result.stderr


def test_it_starts_in_debug_without_a_secret_key():
    assert settings_with(DEBUG="1")["DEBUG"] is True


def test_it_has_safe_production_defaults():
    settings = settings_with(SECRET_KEY="x")
    assert settings["DEBUG"] is False
    assert settings["ALLOWED_HOSTS"] == []
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["X_FRAME_OPTIONS"] == "DENY"
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_it_uses_sqlite_by_default():
    settings = settings_with(SECRET_KEY="x")
    assert settings["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["NAME"].endswith("db.sqlite3")


def test_it_switches_the_database_with_database_url():
    settings = settings_with(SECRET_KEY="x", DATABASE_URL="postgres://app@db.example.org:5432/priorauth")
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert settings["NAME"] == "priorauth"
    assert settings["HOST"] == "db.example.org"


@pytest.mark.parametrize("url", ["", "postgres://app@db.example.org:5432/priorauth"])
def test_it_checks_a_kept_database_connection_before_reusing_it(url):
    settings = settings_with(SECRET_KEY="x", **({"DATABASE_URL": url} if url else {}))
    assert settings["CONN_MAX_AGE"] == 60
    assert settings["CONN_HEALTH_CHECKS"] is True


def test_it_gives_sqlite_immediate_transactions_a_busy_timeout_and_wal():
    options = settings_with(SECRET_KEY="x")["DATABASE_OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    assert "journal_mode=WAL" in options["init_command"]


def test_it_leaves_postgresql_without_sqlite_options():
    settings = settings_with(SECRET_KEY="x", DATABASE_URL="postgres://app@db.example.org:5432/priorauth")
    assert settings["DATABASE_OPTIONS"] == {}


def test_it_runs_celery_in_process_without_redis_url():
    settings = settings_with(SECRET_KEY="x")
    assert settings["EAGER"] is True
    assert settings["BROKER"] == "memory://"


def test_it_sends_celery_tasks_through_redis_with_redis_url():
    settings = settings_with(SECRET_KEY="x", REDIS_URL="redis://cache.example.org:6379/3")
    assert settings["EAGER"] is False
    assert settings["BROKER"] == "redis://cache.example.org:6379/3"


def test_it_reads_allowed_hosts_from_the_environment():
    settings = settings_with(SECRET_KEY="x", ALLOWED_HOSTS="pa.example.org, www.pa.example.org")
    assert settings["ALLOWED_HOSTS"] == ["pa.example.org", "www.pa.example.org"]


def test_it_rejects_a_mail_port_that_is_not_a_number_naming_the_variable(monkeypatch):
    from priorauth.env import env_int

    monkeypatch.setenv("EMAIL_PORT", "smtp")
    with pytest.raises(ImproperlyConfigured, match=r"EMAIL_PORT='smtp' is not a whole number"):
        env_int("EMAIL_PORT", 25)
    monkeypatch.setenv("EMAIL_PORT", "2525")
    assert env_int("EMAIL_PORT", 25) == 2525
