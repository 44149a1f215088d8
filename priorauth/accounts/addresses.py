"""The address a sign-in attempt comes from, for the lockout per address (django-axes)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def sign_in_address(request: HttpRequest) -> str | None:
    """Return the address of the person signing in.

    It is the connection's own (REMOTE_ADDR), which no client can forge, except behind the
    TLS proxy (BEHIND_TLS_PROXY): every connection then comes from the proxy, which writes the
    address it saw into X-Forwarded-For, replacing whatever the client sent (Caddyfile). The last
    entry is that one; without a valid one, the connection's address stands.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")
