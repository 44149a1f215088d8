"""Who is calling the API: the active API client behind a valid bearer token, or nobody.

The token, its application and the API client come in one query: every call to the API asks.
The token is found by its checksum, as django-oauth-toolkit stores it (tokens are kept hashed),
and judged by the toolkit's own rules (`AccessToken.is_valid`: not expired, scopes allowed;
`allows_audience` for a token bound to a resource; `Application.is_usable`).
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest
from oauth2_provider.models import get_access_token_model

from priorauth.pas.models import ApiClient


def bearer_token(request: HttpRequest) -> str | None:
    """Return the token of an `Authorization: Bearer <token>` header (RFC 6750 2.1), or None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        return None
    return token


def api_client_of(request: HttpRequest) -> ApiClient | None:
    """The caller's API client; None for no token, a bad or expired one, or a revoked client."""
    token = bearer_token(request)
    if token is None:
        return None
    checksum = hashlib.sha256(token.encode()).hexdigest()
    access = (
        get_access_token_model()
        .objects.select_related(
            "application__api_client__organization", "application__api_client__service_user"
        )
        .filter(token_checksum=checksum)
        .first()
    )
    if access is None or access.application is None or not access.is_valid([]):
        return None
    # As the toolkit's own bearer check: a token asked for another resource (RFC 8707) is not
    # for this API, and an application the toolkit deems unusable is refused.
    if access.resource and not access.allows_audience(request.build_absolute_uri().split("?")[0]):
        return None
    if not access.application.is_usable(request):
        return None
    client: ApiClient | None = getattr(access.application, "api_client", None)
    if client is None or client.revoked_at is not None:
        return None
    return client
