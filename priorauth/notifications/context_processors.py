"""The navbar's unread count, computed only when a template shows it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from priorauth.notifications.services import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """Return the signed-in user's unread in-app notification count, lazily (no query unless shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user))}
