"""Who is calling the API: the active API client behind a valid bearer token, or nobody."""

from __future__ import annotations

from django.http import HttpRequest
from oauth2_provider.oauth2_backends import get_oauthlib_core

from priorauth.pas.models import ApiClient


def api_client_of(request: HttpRequest) -> ApiClient | None:
    """The caller's API client; None for no token, a bad or expired one, or a revoked client."""
    valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    if not valid:
        return None
    application = oauth_request.access_token.application
    client = (
        ApiClient.objects.select_related("organization", "application", "service_user")
        .filter(application=application, revoked_at__isnull=True)
        .first()
    )
    return client
