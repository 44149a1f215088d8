"""Response headers the framework and django-csp do not set for us."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from csp.constants import SELF, UNSAFE_INLINE
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# The attribute a view sets on a response that holds nothing personal and may be cached.
SAME_FOR_EVERYONE = "same_for_everyone"


def same_for_everyone(response: HttpResponse) -> HttpResponse:
    """Return the response marked as the same for every visitor (see NoStoreForSessionsMiddleware)."""
    setattr(response, SAME_FOR_EVERYONE, True)
    return response


class NoStoreForSessionsMiddleware:
    """Mark every response to a signed-in browser `Cache-Control: no-store`.

    Pages behind a login show health information, and a shared or back-button cache must not
    keep them. A request that carries the session cookie (every signed-in user's does), and any
    response whose handling read or changed the session, is one. Static files never reach this
    middleware (WhiteNoise answers them first) and are skipped by path as well, so they stay
    cacheable.

    A page the same for everyone (the public metrics page) opts out with `same_for_everyone`:
    it is left cacheable when asked for without a session cookie and its handling wrote nothing
    to the session (the middlewares read it on every request, finding nothing for a stranger).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._is_static(request):
            return response
        session = getattr(request, "session", None)
        has_cookie = settings.SESSION_COOKIE_NAME in request.COOKIES
        modified = session is not None and session.modified
        if getattr(response, SAME_FOR_EVERYONE, False) and not has_cookie and not modified:
            return response
        used = session is not None and (session.accessed or session.modified)
        if used or has_cookie:
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _is_static(request: HttpRequest) -> bool:
        return request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/"))


class PdfViewerPolicyMiddleware:
    """Let Chrome's PDF viewer show a PDF the app serves inline (`?view=1` on a document).

    Chrome draws a PDF through an `<embed>` in a page it makes up, with inline styles, and that
    page gets the PDF response's policy: `object-src 'none'` blocks the viewer and `style-src
    'self'` squeezes it (crbug.com/271452). Only for an inline PDF, whose body the browser never
    reads as HTML (its type is fixed and nosniff is set), the policy allows both; every other
    response keeps the strict one.
    """

    REPLACE: ClassVar[dict[str, list[str]]] = {"object-src": [SELF], "style-src": [SELF, UNSAFE_INLINE]}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        inline = response.get("Content-Disposition", "").startswith("inline")
        if inline and response.get("Content-Type", "").startswith("application/pdf"):
            response._csp_replace = self.REPLACE  # read by django-csp's middleware, further out
        return response
