"""The security headers on every page, for every person: every answer of the matrix's URLs.

Tests run with the production settings (DEBUG off) and the answers were asked for over HTTPS,
so HSTS is due on each of them.
"""

from __future__ import annotations

import pytest

from tests.authorization.conftest import INLINE_PDF, STATIC_FILE
from tests.authorization.urls import all_patterns
from tests.authorization.world import COLUMNS

pytestmark = pytest.mark.django_db

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
EVERY_ANSWER = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def directives(policy: str | None) -> dict[str, str]:
    """Return the policy's directives by name (django-csp writes them in no fixed order)."""
    pairs = (item.strip().split(" ", 1) for item in (policy or "").split(";") if item.strip())
    return {name: value for name, value in pairs}


def _pages(answers):
    for pattern in all_patterns():
        for column in COLUMNS:
            yield f"{pattern.key} as {column}", column, answers[pattern.key, column]


def test_it_sends_the_content_security_policy_on_every_page(answers):
    wrong = [
        where
        for where, _, answer in _pages(answers)
        if directives(answer.headers.get("Content-Security-Policy")) != CSP
    ]
    assert not wrong, "pages without the CSP:\n  " + "\n  ".join(wrong)


def test_the_policy_allows_no_inline_script_or_style(answers):
    policy = answers["home", "anonymous"].headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_it_sends_hsts_nosniff_referrer_and_opener_policies_on_every_page(answers):
    wrong = [
        f"{where}: {name}={answer.headers.get(name)!r}"
        for where, _, answer in _pages(answers)
        for name, value in EVERY_ANSWER.items()
        if answer.headers.get(name) != value
    ]
    assert not wrong, "\n  ".join(wrong)


def test_it_turns_off_device_and_payment_features_on_every_page(answers):
    for where, _, answer in _pages(answers):
        features = dict(item.split("=") for item in answer.headers["Permissions-Policy"].split(", "))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()", (where, feature)


def test_it_forbids_storing_any_page_shown_to_a_signed_in_person(answers):
    signed_in = [(where, answer) for where, column, answer in _pages(answers) if column != "anonymous"]
    cached = [
        where for where, answer in signed_in if "no-store" not in answer.headers.get("Cache-Control", "")
    ]
    assert not cached, "signed-in pages without no-store:\n  " + "\n  ".join(cached)


def test_it_lets_static_files_be_cached_even_for_a_signed_in_person(answers):
    for column in COLUMNS:
        answer = answers[STATIC_FILE, column]
        assert answer.status == 200, column
        assert "no-store" not in answer.headers.get("Cache-Control", ""), column


def test_it_lets_chrome_show_a_pdf_inline_and_nothing_else(answers):
    # Chrome's PDF viewer is an <embed> with inline styles in a page it makes up for the PDF.
    for column in ("nurse", "staff_a"):
        answer = answers[INLINE_PDF, column]
        assert answer.status == 200 and answer.headers["Content-Type"] == "application/pdf", column
        assert answer.headers["Content-Disposition"].startswith("inline"), column
        policy = directives(answer.headers["Content-Security-Policy"])
        assert policy == {**CSP, "object-src": "'self'", "style-src": "'self' 'unsafe-inline'"}, column
    # The same document as a download keeps the strict policy (it is among every page above).
    download = answers["review:document", "nurse"]
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert directives(download.headers["Content-Security-Policy"]) == CSP
