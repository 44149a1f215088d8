"""A plain HTTP client for the stack run: cookies, the CSRF token, forms posted as a browser would.

Stdlib only. The stack run talks plain HTTP to gunicorn on 127.0.0.1, where docker-compose.yml
puts the TLS proxy: with `forwarded_proto="https"` each request says so in X-Forwarded-Proto, as
the proxy does. Cookies are kept by hand because the app marks them Secure (DEBUG off) and
http.cookiejar would refuse to send them back over plain HTTP.
"""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Page:
    status: int
    location: str
    body: str

    def hidden(self, name: str) -> str:
        """Return a hidden input's value on the page ('' when the page has none)."""
        match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', self.body)
        return match.group(1) if match else ""


@dataclass
class Browser:
    port: int
    forwarded_proto: str = ""
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Page:
        """Return the answer to one request (redirects are not followed: the caller checks them)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.forwarded_proto:
            headers["X-Forwarded-Proto"] = self.forwarded_proto
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # A browser names the page's origin on every POST; over HTTPS Django's CSRF check needs it.
            headers["Origin"] = f"{self.forwarded_proto or 'http'}://{headers['Host']}"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return Page(response.status, response.getheader("Location", ""), text)
        finally:
            conn.close()

    def get(self, path: str) -> Page:
        return self.request("GET", path)

    def post_form(self, page_path: str, action: str, fields: dict[str, str]) -> Page:
        """Return the answer after loading the form's page and posting the fields with its CSRF token."""
        page = self.get(page_path)
        match = CSRF_INPUT.search(page.body)
        if page.status != 200 or not match:
            raise AssertionError(f"GET {page_path} answered {page.status} without a CSRF token")
        return self.request("POST", action, {"csrfmiddlewaretoken": match.group(1), **fields})


def expect(page: Page, status: int, what: str, location: str = "") -> Page:
    """Return the page when it answered as expected, else raise with what was being done."""
    if page.status != status or not re.search(location, page.location):
        raise AssertionError(
            f"{what}: answered {page.status} {page.location!r}, expected {status} {location}"
        )
    return page
