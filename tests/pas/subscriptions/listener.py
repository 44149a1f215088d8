"""A real HTTP listener on 127.0.0.1 (http.server in a thread): what an EHR's rest-hook endpoint receives."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class Listener:
    url: str
    received: list[Received] = field(default_factory=list)
    # Statuses to answer, in order, before answering 200 to everything.
    answers: list[int] = field(default_factory=list)

    def notifications(self) -> list[Received]:
        """Return the event notifications received (the handshakes left out)."""
        return [r for r in self.received if status_type(r.body) == "event-notification"]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Return the event notifications once `count` arrived (or what arrived by the timeout)."""
        deadline = time.monotonic() + timeout
        while len(self.notifications()) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.notifications()


def status_type(bundle: dict[str, Any]) -> str:
    """Return the SubscriptionStatus `type` of a notification Bundle (handshake, event-notification)."""
    parameters = bundle["entry"][0]["resource"]["parameter"]
    return next(p["valueCode"] for p in parameters if p["name"] == "type")


def focus_bundle(bundle: dict[str, Any]) -> dict[str, Any]:
    """Return the resource the notification's focus names: the PAS response Bundle."""
    parameters = bundle["entry"][0]["resource"]["parameter"]
    event = next(p for p in parameters if p["name"] == "notification-event")
    focus = next(p["valueReference"]["reference"] for p in event["part"] if p["name"] == "focus")
    (entry,) = [e for e in bundle["entry"] if e["fullUrl"] == focus]
    return entry["resource"]


def review_action_codes(response: dict[str, Any]) -> list[str]:
    """Return the X12 306 review-action code of each item of the response Bundle's ClaimResponse."""
    claim_response = response["entry"][0]["resource"]
    codes = []
    for item in claim_response["item"]:
        for adjudication in item["adjudication"]:
            for ext in adjudication.get("extension", []):
                for inner in ext.get("extension", []):
                    if inner["url"].endswith("extension-reviewActionCode"):
                        codes.append(inner["valueCodeableConcept"]["coding"][0]["code"])
    return codes


@contextmanager
def listening() -> Iterator[Listener]:
    """Yield a listener on a free loopback port; stopped afterwards."""
    listener = Listener(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            listener.received.append(Received(self.path, dict(self.headers.items()), body))
            status = listener.answers.pop(0) if listener.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    listener.url = f"http://127.0.0.1:{server.server_address[1]}/ehr/notify"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
