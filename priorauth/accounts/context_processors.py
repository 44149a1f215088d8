"""What the idle warning on every signed-in page needs to know about its session."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest

from priorauth.accounts.sessions import session_seconds_left


def session_limits(request: HttpRequest) -> dict[str, int]:
    """Return the seconds the session has left and how early to warn (signed-in pages only)."""
    if not request.user.is_authenticated:
        return {}
    return {
        "session_seconds_left": session_seconds_left(request.session, time.time()),
        "session_warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
    }
