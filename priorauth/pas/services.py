"""Registering and revoking API clients: the one place both the command and the admin call."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application

from priorauth.members.models import ProviderOrganization, Role, User
from priorauth.pas.models import ApiClient


class ApiClientError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Registered:
    client: ApiClient
    # Shown once: the Application keeps only its hash.
    client_secret: str


def api_client_create(*, organization_npi: str, name: str, user: User | None = None) -> Registered:
    name = name.strip()
    if not name:
        raise ApiClientError("Give the client a name (the EHR or system, as staff would recognize it).")
    if len(name) > 200:
        raise ApiClientError("The name is longer than 200 characters.")
    organization = ProviderOrganization.objects.filter(npi=organization_npi.strip()).first()
    if organization is None:
        raise ApiClientError(f"No provider organization has the NPI {organization_npi.strip()!r}.")
    secret = generate_client_secret()
    with transaction.atomic():
        application = Application.objects.create(
            name=f"{name} ({organization.npi})",
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
            client_secret=secret,
            hash_client_secret=True,
        )
        client = ApiClient.objects.create(
            name=name, organization=organization, application=application, created_by=user
        )
    return Registered(client=client, client_secret=secret)


def api_client_revoke(*, client: ApiClient, user: User | None = None) -> ApiClient:
    """Revoked: its tokens stop working at once and its secret no longer gets new ones."""
    with transaction.atomic():
        client = ApiClient.objects.select_for_update().select_related("application").get(pk=client.pk)
        if client.revoked_at is not None:
            return client
        client.revoked_at = timezone.now()
        client.revoked_by = user
        client.save(update_fields=["revoked_at", "revoked_by"])
        application = client.application
        # A secret nobody knows: the token endpoint refuses the old one.
        application.client_secret = generate_client_secret()
        application.save(update_fields=["client_secret"])
        AccessToken.objects.filter(application=application).delete()
    return client


def api_client_user(client: ApiClient) -> User:
    """Return the client's service user (created the first time): who its requests are submitted by.

    An account of the client's organization's staff that cannot sign in (inactive, no usable
    password), named after the client, so pages, notices and the member lookup's limits treat
    an API request as a web one.
    """
    if client.service_user_id is not None:
        return client.service_user
    with transaction.atomic():
        client = ApiClient.objects.select_for_update().get(pk=client.pk)
        if client.service_user is None:
            user = User(
                username=f"pas-client-{client.pk}",
                first_name=client.name[:150],
                last_name="(EHR, Da Vinci PAS)",
                role=Role.PROVIDER_STAFF,
                organization=client.organization,
                is_active=False,
            )
            user.set_unusable_password()
            user.save()
            client.service_user = user
            client.save(update_fields=["service_user"])
    return client.service_user
