"""The PAS API tests' world: the seed policy records, a member, an API client with a token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from priorauth.pas.services import api_client_create
from tests.review.world import member_in, seed  # noqa: F401  (fixtures used by name)

SUBMIT = "/fhir/Claim/$submit"
INQUIRE = "/fhir/Claim/$inquire"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def token_for(client: Client, client_id: str, secret: str) -> str:
    answer = client.post(
        "/oauth/token/", {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    )
    assert answer.status_code == 200, answer.content
    return answer.json()["access_token"]


class Ehr:
    """An EHR calling the API with its bearer token."""

    def __init__(self, client: Client, token: str, api_client: Any) -> None:
        self.client, self.token, self.api_client = client, token, api_client

    def post(self, url: str, body: object, *, raw: bytes | None = None) -> Any:
        data = raw if raw is not None else json.dumps(body).encode()
        return self.client.post(
            url, data, content_type="application/fhir+json", HTTP_AUTHORIZATION=f"Bearer {self.token}"
        )

    def submit(self, bundle: dict) -> Any:
        return self.post(SUBMIT, bundle)

    def inquire(self, bundle: dict) -> Any:
        return self.post(INQUIRE, bundle)


@pytest.fixture
def registered(organization):
    return api_client_create(organization_npi=organization.npi, name="Epic at Buckeye")


@pytest.fixture
def ehr(client, registered, seed) -> Ehr:
    return Ehr(
        client, token_for(client, registered.client.client_id, registered.client_secret), registered.client
    )


@pytest.fixture
def member(seed):
    return member_in("OH")
