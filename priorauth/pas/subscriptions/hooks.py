"""Plug subscriptions into the notification outbox (notifications/channels.py), once, at start."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from priorauth.notifications.channels import Sender, register_sender, request_event
from priorauth.notifications.models import Channel
from priorauth.pas.subscriptions.services import subscriptions_notify
from priorauth.pas.subscriptions.transport import send_notification


def _on_request_event(sender: Any, *, request: Any, event: str, **_: Any) -> None:
    subscriptions_notify(request=request, event=event)


def connect() -> None:
    request_event.connect(_on_request_event, dispatch_uid="pas-subscriptions")
    register_sender(
        Channel.REST_HOOK, Sender(send=send_notification, timeout=float(settings.PAS_SUBSCRIPTION_TIMEOUT))
    )
