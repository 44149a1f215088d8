"""Collect the PHI reads of each request and write them when its response succeeds.

Its place: last in MIDDLEWARE, so it sees the view's own response (a 404 or a redirect writes
nothing). The address is REMOTE_ADDR, the peer of the connection: a forwarded-for header is
only as true as the proxy that set it, which this middleware does not know is there.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from priorauth.addresses import request_address
from priorauth.audit.services import reads_begin, reads_end, reads_write


class PhiAccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = reads_begin(request_address(request))
        try:
            response = self.get_response(request)
            if 200 <= response.status_code < 300:
                reads_write()
            return response
        finally:
            reads_end(token)
