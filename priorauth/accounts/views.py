"""The sign-in pages: password, code, authenticator set-up, the Security page, lockouts.

After the password, a user whose second factor is due is signed in but not verified: the
SecondFactorMiddleware keeps them on these pages until the code step (or set-up) is done.
"""

from __future__ import annotations

import datetime
import math
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from priorauth.accounts import services
from priorauth.accounts.forms import CodeForm, UnlockForm
from priorauth.accounts.qr import qr_svg
from priorauth.accounts.selectors import lockout_ends_at, lockouts_current
from priorauth.accounts.sessions import session_seconds_left
from priorauth.members.models import Role
from priorauth.members.roles import second_factor_required

WRONG_CODE = "That code is not right. Check that your phone's clock is correct and enter the newest code."


def locked_out(
    request: HttpRequest, response: object = None, credentials: dict | None = None
) -> HttpResponse:
    """Return the login page saying that sign-in is locked, until when, and whom to ask.

    django-axes calls this (AXES_LOCKOUT_CALLABLE) for a refused password; the code pages call
    it after too many wrong codes.
    """
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    until = lockout_ends_at(username=username, address=getattr(request, "axes_ip_address", None))
    context = {
        "form": SignInView.form_class(request),
        "locked_until": until,
        "locked_minutes": _minutes_until(until),
    }
    return render(request, "registration/login.html", context, status=429)


def _minutes_until(moment: datetime.datetime | None) -> int:
    if moment is None:
        return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return max(1, math.ceil((moment - timezone.now()).total_seconds() / 60))


def _next_url(request: HttpRequest) -> str:
    """Return the page to go on to (the `next` parameter if it is ours), else the home page."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


def _step_url(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class SignInView(LoginView):
    def form_valid(self, form: object) -> HttpResponse:
        response = super().form_valid(form)
        user = self.request.user
        if not services.second_factor_due(user):
            services.sign_in_complete(request=self.request, device=None)
            return response
        step = "accounts:code" if services.confirmed_device(user) else "accounts:setup"
        return redirect(_step_url(step, self.get_success_url()))


def _locked_out_and_signed_out(request: HttpRequest) -> HttpResponse | None:
    """Return the lockout page, signing the half-signed-in user out, if sign-in is locked now."""
    username = request.user.get_username()
    if not services.sign_in_locked(request, username):
        return None
    logout(request)
    return locked_out(request, credentials={"username": username})


def _refuse_code(request: HttpRequest, form: CodeForm) -> HttpResponse | None:
    """Return the lockout page once wrong codes locked sign-in, else note the error on the form."""
    if (refused := _locked_out_and_signed_out(request)) is not None:
        return refused
    form.add_error("code", WRONG_CODE)
    return None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    """Return the code step of sign-in; a right code finishes it and goes on to `next`."""
    device = services.confirmed_device(request.user)
    if device is None:
        return redirect(_step_url("accounts:setup", _next_url(request)))
    if request.user.is_verified():
        return redirect(_next_url(request))
    # Locked since the password step (failures elsewhere): not even the right code signs in.
    if request.method == "POST" and (refused := _locked_out_and_signed_out(request)) is not None:
        return refused
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.code_accepted(request=request, device=device, code=form.cleaned_data["code"]):
            services.sign_in_complete(request=request, device=device)
            return redirect(_next_url(request))
        if (refused := _refuse_code(request, form)) is not None:
            return refused
    return render(request, "accounts/code.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Return the set-up page: the secret as text and QR code, confirmed with a first code."""
    if services.confirmed_device(request.user) is not None:
        messages.info(request, "Two-factor sign-in is already set up for your account.")
        return redirect("accounts:security")
    if request.method == "POST" and (refused := _locked_out_and_signed_out(request)) is not None:
        return refused
    device = services.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.code_accepted(request=request, device=device, code=form.cleaned_data["code"]):
            services.sign_in_complete(request=request, device=device)
            messages.success(request, "Two-factor sign-in is on: you will enter a code at each sign-in.")
            return redirect(_next_url(request))
        if (refused := _refuse_code(request, form)) is not None:
            return refused
    context = {
        "form": form,
        "next": _next_url(request),
        "secret": services.device_secret(device),
        "required": second_factor_required(request.user),
    }
    return render(request, "accounts/setup.html", context)


@never_cache
@login_required
@require_GET
def setup_qr(request: HttpRequest) -> HttpResponse:
    """Return the QR code of the authenticator being set up (404 when none is)."""
    if services.confirmed_device(request.user) is not None:
        raise Http404("No authenticator is being set up.")
    device = services.pending_device(request.user)
    return HttpResponse(qr_svg(device.config_url), content_type="image/svg+xml")


@never_cache
@login_required
@require_GET
def security(request: HttpRequest) -> HttpResponse:
    """Return the Security page: whether two-factor sign-in is on, and the way to change it."""
    context = {
        "device": services.confirmed_device(request.user),
        "required": second_factor_required(request.user),
        "form": CodeForm(),
    }
    return render(request, "accounts/security.html", context)


@never_cache
@login_required
@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in off for someone whose role does not require it, given a code."""
    device = services.confirmed_device(request.user)
    if device is None or second_factor_required(request.user):
        raise Http404("Two-factor sign-in cannot be turned off here.")
    form = CodeForm(request.POST)
    if form.is_valid():
        if services.code_accepted(request=request, device=device, code=form.cleaned_data["code"]):
            services.second_factor_turn_off(user=request.user)
            messages.success(request, "Two-factor sign-in is off: your password alone signs you in.")
            return redirect("accounts:security")
        if (refused := _refuse_code(request, form)) is not None:
            return refused
    context = {"device": device, "required": False, "form": form}
    return render(request, "accounts/security.html", context, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def session(request: HttpRequest) -> JsonResponse:
    """Return whether the session is alive and its seconds left; a POST keeps it alive.

    The page's warning script asks; SessionLimitsMiddleware has already signed out an expired
    session (and restarted the idle clock for a POST) before this runs.
    """
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0})
    seconds_left = session_seconds_left(request.session, time.time())
    return JsonResponse({"signed_in": True, "seconds_left": seconds_left})


def _may_unlock(user: object) -> bool:
    return user.is_active and (user.is_superuser or user.role == Role.SUPERVISOR)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def lockouts(request: HttpRequest) -> HttpResponse:
    """Return the locked accounts and addresses, each with an Unlock button (supervisors only)."""
    if not _may_unlock(request.user):
        raise Http404("No such page.")
    if request.method == "POST":
        form = UnlockForm(request.POST)
        if form.is_valid():
            kind, value = form.cleaned_data["kind"], form.cleaned_data["value"]
            services.lockout_clear(kind=kind, value=value, by=request.user)
            messages.success(request, f"Sign-in is unlocked for the {kind} {value}.")
        else:
            messages.error(request, "Nothing was unlocked: the request did not say what to unlock.")
        return redirect("accounts:lockouts")
    context = {"lockouts": lockouts_current(), "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "accounts/lockouts.html", context)
