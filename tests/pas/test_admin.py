"""The API clients' admin: a policy administrator revokes a client, once."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse

from priorauth.pas.models import ApiClient
from priorauth.pas.services import api_client_create


def _revoke(client, pks: list[int]) -> str:
    url = reverse("admin:pas_apiclient_changelist")
    answer = client.post(url, {"action": "revoke", "_selected_action": pks})
    assert answer.status_code == 302
    # The page it redirects to is not read, so earlier messages are still queued: the last is this one.
    return [str(m) for m in get_messages(answer.wsgi_request)][-1]


def test_it_revokes_a_client_and_says_so_once(client, policy_admin, organization):
    registered = api_client_create(organization_npi=organization.npi, name="Epic at Buckeye")
    other = api_client_create(organization_npi=organization.npi, name="Cerner at Buckeye")
    client.force_login(policy_admin)
    assert (
        _revoke(client, [registered.client.pk]) == "1 API client(s) revoked: their tokens stop working now."
    )
    revoked_at = ApiClient.objects.get(pk=registered.client.pk).revoked_at
    assert revoked_at is not None
    assert _revoke(client, [registered.client.pk, other.client.pk]) == (
        "1 API client(s) revoked: their tokens stop working now. 1 had been revoked already."
    )
    # The first revocation stands as it was: its time is not moved by the second.
    assert ApiClient.objects.get(pk=registered.client.pk).revoked_at == revoked_at
    assert ApiClient.objects.get(pk=other.client.pk).revoked_at is not None
