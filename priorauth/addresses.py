"""The address a request comes from: for the lockout per address (django-axes) and the PHI access log."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def request_address(request: HttpRequest) -> str | None:
    """Return the address of the person making the request.

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
