"""The notification Bundles a subscription receives: handshake and event. Pure: dicts in and out.

A history Bundle whose first entry is the SubscriptionStatus (a Parameters, R4 backport), then,
for an event, the full-resource payload: the request's current PAS response Bundle, which the
status's `notification-event.focus` names by its fullUrl.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from priorauth.pas.subscriptions.resource import PAS_TOPIC

STATUS_PROFILE = (
    "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4"
)
NOTIFICATION_PROFILE = (
    "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-notification-r4"
)


def handshake(*, subscription_url: str, status: str, now: datetime.datetime) -> dict[str, Any]:
    """Return the handshake Bundle sent when a subscription is created (no events yet)."""
    parameters = _status(subscription_url, status, "handshake", events_since_start=0)
    return _bundle([_entry(parameters, subscription_url)], now)


def event(
    *,
    subscription_url: str,
    status: str,
    event_number: int,
    response: dict[str, Any],
    now: datetime.datetime,
) -> dict[str, Any]:
    """Return an event notification carrying the PAS response Bundle (the focus)."""
    focus = f"urn:uuid:{uuid.uuid4()}"
    parameters = _status(subscription_url, status, "event-notification", events_since_start=event_number)
    parameters["parameter"].append(
        {
            "name": "notification-event",
            "part": [
                {"name": "event-number", "valueString": str(event_number)},
                {"name": "timestamp", "valueInstant": _instant(now)},
                {"name": "focus", "valueReference": {"reference": focus}},
            ],
        }
    )
    # A history Bundle's entries say how each resource came to be (R4 bdl-3, bdl-4).
    payload = {
        "fullUrl": focus,
        "resource": response,
        "request": {"method": "POST", "url": "Bundle"},
        "response": {"status": "200"},
    }
    return _bundle([_entry(parameters, subscription_url), payload], now)


def _status(subscription_url: str, status: str, kind: str, *, events_since_start: int) -> dict[str, Any]:
    return {
        "resourceType": "Parameters",
        "meta": {"profile": [STATUS_PROFILE]},
        "parameter": [
            {"name": "subscription", "valueReference": {"reference": subscription_url}},
            {"name": "topic", "valueCanonical": PAS_TOPIC},
            {"name": "status", "valueCode": status},
            {"name": "type", "valueCode": kind},
            {"name": "events-since-subscription-start", "valueString": str(events_since_start)},
        ],
    }


def _entry(parameters: dict[str, Any], subscription_url: str) -> dict[str, Any]:
    return {
        "fullUrl": f"urn:uuid:{uuid.uuid4()}",
        "resource": parameters,
        "request": {"method": "GET", "url": f"{subscription_url}/$status"},
        "response": {"status": "200"},
    }


def _bundle(entries: list[dict[str, Any]], now: datetime.datetime) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"profile": [NOTIFICATION_PROFILE]},
        "type": "history",
        "timestamp": _instant(now),
        "entry": entries,
    }


def _instant(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
