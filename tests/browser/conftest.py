"""Headless Chromium (Debian's package) driven by Playwright against the live test server."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from tests.browser import accessibility, csp
from tests.browser.helpers import SEED_BUNDLE

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Closed network here: without these flags Chromium keeps trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test's thread; the test still talks to the
# database through the ORM between page actions, which Django allows only when told so.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: .ci/run installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script (tests/browser/node_modules, from `npm ci`): fail under CI, else skip."""
    source = accessibility.axe_script_or_none()
    if source is None:
        if accessibility.must_fail_when_missing():
            pytest.fail(accessibility.MISSING)
        pytest.skip(accessibility.MISSING)
    return source


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test, so the page fixture knows whether the test passed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(request, axe_source, chromium, live_server):
    """A fresh browser page on the live server whose every loaded document must pass axe-core
    and break no rule of the Content-Security-Policy."""
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    accessibility.watch(page, axe_source)
    csp.watch(page)
    yield page
    unchecked = accessibility.unchecked_pages(page)
    violations = csp.violations(page)
    context.close()
    call = getattr(request.node, "report_call", None)
    if unchecked and call is not None and call.passed:
        pytest.fail(
            "Pages loaded but never checked with axe-core (call assert_accessible after each "
            "navigation):\n" + "\n".join(f"  {url}" for url in unchecked)
        )
    if violations and call is not None and call.passed:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(f"  {v}" for v in violations))


@pytest.fixture
def demo_world(transactional_db, settings, tmp_path) -> None:
    """The seed policy records and the demo logins, members and queue assignments (`make run`'s).

    The live server runs in another thread, so the data must be committed: transactional_db.
    """
    settings.MEDIA_ROOT = tmp_path / "uploads"
    call_command("import_policies", SEED_BUNDLE, verbosity=0)
    call_command("seed_demo", "--force", stdout=io.StringIO(), stderr=io.StringIO())
