"""Channels beyond email and in-app, registered by the packages above the outbox.

The outbox sits under the request services, so it cannot know of a package above it (the PAS
API's subscriptions). Two hooks keep the layers:

- `request_event` is sent by `notify_request_event`, inside the transaction that makes the
  change: a receiver writes its own outbox rows there (`notifications_write_for`), so they exist
  exactly when their cause does.
- `register_sender` names, per channel, how one row is sent and how long a send may take; the
  delivery (claims, leases, retries, the relay) is the email rows' own, unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.dispatch import Signal

if TYPE_CHECKING:
    from priorauth.notifications.models import Notification

# Sent with `request` (the PriorAuthRequest), `event` (an Event value) and `occurrence`.
request_event = Signal()


class DeliveryError(Exception):
    """A send that did not reach its receiver; `transient`: sending again later may succeed.

    `label` is what the row keeps (`last_error`): a status code or a class, never a body.
    """

    def __init__(self, label: str, *, transient: bool) -> None:
        super().__init__(label)
        self.label = label
        self.transient = transient


@dataclass(frozen=True)
class Sender:
    send: Callable[[Notification], None]
    # Seconds one send may take at most: the row's lease outlives it.
    timeout: float


_SENDERS: dict[str, Sender] = {}


def register_sender(channel: str, sender: Sender) -> None:
    _SENDERS[channel] = sender


def sender_for(channel: str) -> Sender | None:
    """Return the sender registered for a channel; None for email and in-app (the outbox's own)."""
    return _SENDERS.get(channel)
