"""No template served as a page carries inline script, handler or style: the CSP would block it.

Pages are served with `script-src 'self'; style-src 'self'` (settings.CONTENT_SECURITY_POLICY),
so an inline <script>, an `onclick=` or a `style=` in a template is silently dead in the
browser. E-mail templates are exempt: mail clients need inline styles and no CSP applies.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
EMAIL = TEMPLATES / "notifications" / "email"
INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "a <style> block": re.compile(r"<style\b", re.IGNORECASE),
    "a style= attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "an on…= handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def page_templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*.html") if EMAIL not in p.parents)


@pytest.mark.parametrize("template", page_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_it_keeps_scripts_and_styles_in_static_files(template: Path):
    text = template.read_text()
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"{template.relative_to(TEMPLATES)} has {', '.join(found)}: move it to static/"


def test_it_would_notice_an_inline_handler():
    assert INLINE["an on…= handler"].search('<button onclick="window.print()">')
    assert not INLINE["an inline <script>"].search('<script src="/static/js/letter.js"></script>')
