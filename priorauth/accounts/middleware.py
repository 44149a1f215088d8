"""The server's side of the sign-in rules, on every request.

SessionLimitsMiddleware signs out a session idle for SESSION_IDLE_SECONDS or older than
SESSION_ABSOLUTE_SECONDS (the page's warning script only tells the person; this decides).
SecondFactorMiddleware keeps a user whose second factor is due but not yet verified on the
sign-in pages: the code page, or the set-up page when they have no authenticator yet.
Both come after django-otp's OTPMiddleware, which tells which device verified the session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from priorauth.accounts.services import confirmed_device, second_factor_due
from priorauth.accounts.sessions import Expiry, session_expiry, session_touch

SIGNED_OUT = {
    Expiry.IDLE: "You were signed out after 15 minutes without activity. Sign in again to go on.",
    Expiry.ABSOLUTE: "You were signed out: a session lasts at most 8 hours. Sign in again to go on.",
}
# The pages a signed-in user may open before the second factor: the ways through, and out.
SECOND_FACTOR_PAGES = frozenset(
    {"login", "logout", "accounts:code", "accounts:setup", "accounts:setup_qr", "accounts:session"}
)


def _view_name(request: HttpRequest) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            expiry = session_expiry(request.session, now)
            view_name = _view_name(request)
            if expiry is not None:
                logout(request)
                messages.info(request, SIGNED_OUT[expiry])
                # The session page answers the warning script itself; the login page just shows.
                if view_name not in {"login", "accounts:session"}:
                    return redirect_to_login(request.get_full_path())
            elif not (view_name == "accounts:session" and request.method == "GET"):
                # Asking how long is left is not activity; everything else is.
                session_touch(request.session, now)
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        # The pages base.html shows while the code is still to come leave out the app's links.
        request.second_factor_pending = False
        if user.is_authenticated and not user.is_verified() and second_factor_due(user):
            if _view_name(request) not in SECOND_FACTOR_PAGES:
                step = "accounts:code" if confirmed_device(user) else "accounts:setup"
                return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
            request.second_factor_pending = True
        return self.get_response(request)
