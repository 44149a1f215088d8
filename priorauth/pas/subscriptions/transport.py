"""Posting to a subscription's endpoint, and the outbox's sender for rest-hook rows.

The notification is built when it is sent, from the request as it stands then: the row holds
ids only (no health information at rest in the outbox), and a retry carries the current PAS
response Bundle, which is what the subscriber needs to act on.
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.utils import timezone

from priorauth.audit.models import Kind
from priorauth.audit.services import phi_read
from priorauth.notifications.channels import DeliveryError
from priorauth.pas.answer import response_bundle
from priorauth.pas.services import api_client_user
from priorauth.pas.subscriptions import notices
from priorauth.pas.subscriptions.models import Status, Subscription
from priorauth.pas.subscriptions.resource import (
    FHIR_JSON,
    SubscriptionInvalid,
    endpoint_checked,
    header_pairs,
)

log = logging.getLogger(__name__)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A notification goes to the endpoint the client registered, nowhere it redirects to.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(*, endpoint: str, headers: list[str], body: dict[str, Any], timeout: float) -> int:
    """Return the endpoint's 2xx status; DeliveryError otherwise (transient: 5xx, 408, 429, no answer)."""
    try:
        endpoint_checked(endpoint, allow_loopback=settings.PAS_SUBSCRIPTION_ALLOW_LOOPBACK)
    except SubscriptionInvalid as refused:
        raise DeliveryError(f"Endpoint refused: {refused.message}", transient=False) from None
    request = urllib.request.Request(
        endpoint,
        data=json.dumps(body).encode(),
        method="POST",
        headers={**header_pairs(headers), "Content-Type": FHIR_JSON, "Accept": FHIR_JSON},
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
        error.close()
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as error:
        # Logged for us; the subscriber is told no more than that (the kind of failure would
        # tell a prober which ports answer).
        log.info("rest-hook post failed: %s", type(getattr(error, "reason", error)).__name__)
        raise DeliveryError("No answer from the endpoint", transient=True) from None
    if 200 <= status < 300:
        return status
    raise DeliveryError(f"HTTP {status}", transient=status >= 500 or status in (408, 429))


def send_notification(notification: Any) -> None:
    """Send one rest-hook row: the event notification with the request's current response Bundle.

    A subscription deleted or switched off since the row was written refuses it (not retried).
    Once the endpoint took it, the disclosure is in the PHI access log, as an API answer read by
    the subscribing client's own account.
    """
    subscription = (
        Subscription.objects.select_related("api_client__organization")
        .filter(pk=notification.context.get("subscription_id"))
        .first()
    )
    if subscription is None or subscription.status != Status.ACTIVE or subscription.deleted_at:
        raise DeliveryError("Subscription off", transient=False)
    if not subscription.api_client.is_active:
        raise DeliveryError("API client revoked", transient=False)
    pa = notification.request
    bundle = notices.event(
        subscription_url=f"Subscription/{subscription.public_id}",
        status=subscription.status,
        event_number=int(notification.context.get("event_number") or 0),
        response=response_bundle(pa),
        now=timezone.now(),
    )
    post(
        endpoint=subscription.endpoint,
        headers=subscription.headers,
        body=bundle,
        timeout=settings.PAS_SUBSCRIPTION_TIMEOUT,
    )
    reader = api_client_user(subscription.api_client)
    phi_read(user=reader, kind=Kind.PAS_ANSWER, object_id=pa.pk, member_id=pa.member_id, request_id=pa.pk)
