"""Content-Security-Policy violations a page reports, collected for the browser tests.

Chromium reports a blocked inline script, handler or style as a console error and as a
`securitypolicyviolation` event; the watcher listens to both. Its own listener is added by
Playwright outside the page's policy, so the watcher itself breaks no rule.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from playwright.sync_api import ConsoleMessage, Page

_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""

_reports: WeakKeyDictionary[Page, list[str]] = WeakKeyDictionary()


def watch(page: Page) -> None:
    """Start collecting the page's CSP violations (every document it loads from now on)."""
    reports: list[str] = []
    _reports[page] = reports
    page.add_init_script(_LISTENER)

    def on_console(message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or text.startswith("CSP violation"):
            reports.append(f"{page.url}: {text}")

    page.on("console", on_console)


def violations(page: Page) -> list[str]:
    """Return what the page reported so far."""
    return list(_reports.get(page, []))
