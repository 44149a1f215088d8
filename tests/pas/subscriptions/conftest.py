"""The subscription tests' world: API clients of two organizations, their tokens, a listener."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from priorauth.pas.models import ApiClient
from priorauth.pas.services import api_client_create
from priorauth.pas.subscriptions.resource import FILTER_CRITERIA, PAS_TOPIC, PAYLOAD_CONTENT
from tests.pas.subscriptions.listener import Listener, listening

NOTIFY_TOKEN = "Bearer ehr-listener-secret"


@pytest.fixture(autouse=True)
def _loopback_allowed(settings) -> None:
    settings.PAS_SUBSCRIPTION_ALLOW_LOOPBACK = True


@pytest.fixture
def listener() -> Iterator[Listener]:
    with listening() as running:
        yield running


def token_for(client: ApiClient, secret: str) -> str:
    """Return a bearer token from the token endpoint, as an EHR gets one."""
    answer = Client().post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "client_id": client.client_id, "client_secret": secret},
    )
    assert answer.status_code == 200, answer.content
    return answer.json()["access_token"]


@pytest.fixture
def ehr(organization) -> tuple[ApiClient, str]:
    """Return organization A's API client and a token for it."""
    registered = api_client_create(organization_npi=organization.npi, name="Buckeye Epic")
    return registered.client, token_for(registered.client, registered.client_secret)


@pytest.fixture
def other_ehr(other_organization) -> tuple[ApiClient, str]:
    registered = api_client_create(organization_npi=other_organization.npi, name="Peach Cerner")
    return registered.client, token_for(registered.client, registered.client_secret)


def subscription_resource(endpoint: str, npi: str, **changes: Any) -> dict[str, Any]:
    """Return a PAS Subscription as an EHR (or Inferno) posts it."""
    resource: dict[str, Any] = {
        "resourceType": "Subscription",
        "status": "requested",
        "reason": "PAS updates",
        "criteria": PAS_TOPIC,
        "_criteria": {"extension": [{"url": FILTER_CRITERIA, "valueString": f"org-identifier={npi}"}]},
        "channel": {
            "type": "rest-hook",
            "endpoint": endpoint,
            "payload": "application/fhir+json",
            "_payload": {"extension": [{"url": PAYLOAD_CONTENT, "valueCode": "full-resource"}]},
            "header": [f"Authorization: {NOTIFY_TOKEN}"],
        },
    }
    resource.update(changes)
    return resource


def api(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def subscribe(token: str, resource: dict[str, Any]) -> Any:
    return api(token).post("/fhir/Subscription", resource, content_type="application/fhir+json")
