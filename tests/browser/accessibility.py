"""axe-core on every page the browser tests visit: no WCAG 2.1 A or AA violation.

axe-core is the npm package pinned in tests/browser/package.json and installed by `npm ci` in
this folder (.ci/run does it before `make test`); it stays with the tests and is never served.

How every page gets checked, with Playwright's sync API:

* `watch(page, axe_source)` (the `page` fixture calls it) records each document the page loads,
  from the page's "load" event. That handler only notes the URL: a sync-API event handler may not
  call back into the browser, so it cannot run axe itself.
* `assert_accessible(page)` waits for the current document to load, runs axe on it and fails with
  the violations (rule, impact, what to fix, the elements). The steps in helpers.py call it after
  every navigation (page.goto, a link followed, a form submitted) and after a page changes itself
  in place; a test that navigates on its own calls it too.
* A page the test loaded but never checked fails the test: `assert_accessible` fails if another
  document loaded since the last check before the current one, and the `page` fixture fails at
  teardown if the last document loaded was never checked. Forgetting a check is an error, not a
  silent gap.

The script is evaluated through the DevTools protocol (page.evaluate), not added as a <script>
element, so it leaves the page's DOM as the user gets it and works under any Content-Security-Policy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from weakref import WeakKeyDictionary

from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: the ground rule's "WCAG 2.1 AA".
WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MISSING = (
    f"axe-core is not installed ({AXE_SCRIPT} is missing): "
    "run `npm ci` in tests/browser (.ci/run does it in CI)"
)


# axe-core's CSS preload (read only by css-orientation-lock, WCAG 1.3.4) copies a stylesheet that
# @imports another into a <style> element of a scratch document, which the page's strict CSP
# blocks and reports as if the page had broken it. The Django admin's forms.css imports
# widgets.css, so on such pages (the admin's change forms) axe runs without that preload: that
# one rule then reports "incomplete", never a violation, and the CSP report stays the page's own.
_IMPORTS_A_STYLESHEET = """() => [...document.styleSheets].some(sheet => {
  try { return [...sheet.cssRules].some(rule => rule instanceof CSSImportRule); } catch { return false; }
})"""


def axe_script_or_none() -> str | None:
    """Return axe-core's source, or None when `npm ci` has not been run in tests/browser."""
    return AXE_SCRIPT.read_text(encoding="utf-8") if AXE_SCRIPT.exists() else None


def must_fail_when_missing() -> bool:
    """Under CI a missing tool fails the browser tests; locally they are skipped (like Chromium)."""
    return bool(os.environ.get("CI"))


@dataclass
class _Watch:
    axe_source: str
    unchecked: list[str] = field(default_factory=list)  # documents loaded since the last check


_watches: WeakKeyDictionary[Page, _Watch] = WeakKeyDictionary()


def watch(page: Page, axe_source: str) -> None:
    """Record every document the page loads, so that one left unchecked fails the test."""
    state = _Watch(axe_source)
    _watches[page] = state
    page.on("load", lambda loaded: state.unchecked.append(loaded.url))


def unchecked_pages(page: Page) -> list[str]:
    """Return the URLs of documents the page loaded that no `assert_accessible` call checked."""
    return list(_watches[page].unchecked)


def assert_accessible(page: Page) -> None:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page as it is now; fail on any violation."""
    state = _watches[page]
    page.wait_for_load_state("load")
    skipped, state.unchecked[:] = state.unchecked[:-1], []
    if skipped:
        raise AssertionError(
            "Pages loaded but never checked with axe-core (call assert_accessible after each "
            "navigation):\n" + "\n".join(f"  {url}" for url in skipped)
        )
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(state.axe_source)
    results = page.evaluate(
        "([tags, preload]) => window.axe.run(document, {runOnly: {type: 'tag', values: tags}, preload})",
        [WCAG_21_AA_TAGS, not page.evaluate(_IMPORTS_A_STYLESHEET)],
    )
    violations = results["violations"]
    if violations:
        raise AssertionError(
            f"axe-core: WCAG 2.1 AA violations on {page.url}\n{format_violations(violations)}"
        )


def format_violations(violations: list[dict]) -> str:
    """Return one block per rule: id, impact, what to fix, help URL, and each element's selector."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(" >>> ".join(t) if isinstance(t, list) else t for t in node["target"])
            lines.append(f"    {target}")
            head, *reasons = [line.strip() for line in (node.get("failureSummary") or "").splitlines()] or [
                ""
            ]
            summary = f"{head} {'; '.join(reasons)}" if reasons else head
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)
