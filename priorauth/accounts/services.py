"""Two-factor sign-in: the user's authenticator device, checking a code, finishing sign-in.

A wrong code is a failed sign-in for django-axes, like a wrong password: it counts toward the
lockout of the account and of the address it came from.
"""

from __future__ import annotations

import logging
import time
from base64 import b32encode

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from priorauth.members.models import User
from priorauth.members.roles import second_factor_required

logger = logging.getLogger(__name__)

DEVICE_NAME = "Authenticator app"


def confirmed_device(user: User) -> TOTPDevice | None:
    """Return the user's confirmed authenticator device, or None when they have not set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def second_factor_due(user: User) -> bool:
    """Return True when the user must give a code after the password: by role, or turned on."""
    return second_factor_required(user) or confirmed_device(user) is not None


def pending_device(user: User) -> TOTPDevice:
    """Return the unconfirmed device being set up for the user, creating one with a new secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def device_secret(device: TOTPDevice) -> str:
    """Return the device's secret as an authenticator app takes it: base32, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def totp_code(device: TOTPDevice, at: float | None = None) -> str | None:
    """Return a code the device accepts at `at` (default: now), with its leading zeros.

    A code is good once: when the current one was already used, this is the next time step's
    (still within the device's tolerance). None when that one was used too: wait 30 seconds.
    """
    now = time.time() if at is None else at
    current = (int(now) - device.t0) // device.step + device.drift
    step = max(current, device.last_t + 1)
    if step > current + device.tolerance:
        return None
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def sign_in_locked(request: HttpRequest, username: str) -> bool:
    """Return True while sign-in is locked for the account or the request's address."""
    return AxesProxyHandler.is_locked(request, {"username": username})


def code_accepted(*, request: HttpRequest, device: TOTPDevice, code: str) -> bool:
    """Return True if the code is the device's; a wrong one is recorded as a failed sign-in."""
    if device.verify_token(code):
        return True
    user_login_failed.send(
        sender=__name__, credentials={"username": device.user.get_username()}, request=request
    )
    return False


@transaction.atomic
def sign_in_complete(*, request: HttpRequest, device: TOTPDevice | None) -> None:
    """Finish the sign-in of request.user: mark the session verified by the device, if any.

    The session gets a new key, since it now carries more trust, and the account's failed
    attempts are forgotten (the address's stay: they may be someone else's).
    """
    if device is not None:
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        otp_login(request, device)
        request.session.cycle_key()
    axes_reset(username=request.user.get_username())


@transaction.atomic
def second_factor_turn_off(*, user: User) -> None:
    """Remove the user's authenticator devices; refused for the roles that require one."""
    if second_factor_required(user):
        raise ValueError("This role requires two-factor sign-in.")
    TOTPDevice.objects.filter(user=user).delete()
    logger.info("two-factor sign-in turned off by user %s", user.pk)


def lockout_clear(*, kind: str, value: str, by: User) -> int:
    """Return how many failure records were removed, unlocking the account or the address.

    An empty value is refused: django-axes would read it as "no filter" and clear every lockout.
    """
    if kind not in {"account", "address"} or not value:
        raise ValueError("Say which account or address to unlock.")
    removed = axes_reset(username=value) if kind == "account" else axes_reset(ip=value)
    logger.info("sign-in lockout (%s) cleared by user %s: %s records", kind, by.pk, removed)
    return removed
