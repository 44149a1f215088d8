"""A session's two limits: idle time since the last request, and age since sign-in.

The times are Unix seconds kept in the session itself, stamped at sign-in (every way in, the
test client's included, goes through `django.contrib.auth.login` and its signal). A session
without the stamps was signed in some other way, or before the limits existed: it has expired.
"""

from __future__ import annotations

import time
from enum import Enum

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"


class Expiry(Enum):
    IDLE = "idle"
    ABSOLUTE = "absolute"


def session_stamp_on_sign_in(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """Start both clocks when a user signs in."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def session_expiry(session: SessionBase, now: float) -> Expiry | None:
    """Return why the signed-in session has expired at `now`, or None while it is alive.

    The absolute limit wins when both have passed: it is the one that staying active cannot avoid.
    """
    signed_in_at, last_seen_at = session.get(SIGNED_IN_AT), session.get(LAST_SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(last_seen_at, int):
        return Expiry.ABSOLUTE
    if now - signed_in_at >= settings.SESSION_ABSOLUTE_SECONDS:
        return Expiry.ABSOLUTE
    if now - last_seen_at >= settings.SESSION_IDLE_SECONDS:
        return Expiry.IDLE
    return None


def session_seconds_left(session: SessionBase, now: float) -> int:
    """Return the seconds until the session expires, idle or absolute, whichever is first (>= 0)."""
    signed_in_at, last_seen_at = session.get(SIGNED_IN_AT), session.get(LAST_SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(last_seen_at, int):
        return 0
    left = min(
        signed_in_at + settings.SESSION_ABSOLUTE_SECONDS - now,
        last_seen_at + settings.SESSION_IDLE_SECONDS - now,
    )
    return max(0, int(left))


def session_touch(session: SessionBase, now: float) -> None:
    """Restart the idle clock: the user just did something."""
    session[LAST_SEEN_AT] = int(now)
