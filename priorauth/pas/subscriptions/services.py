"""Subscriptions: create (with its handshake), delete, and the event rows written with a change.

Every function takes the API client that calls: a subscription is its organization's, and
another organization's is not found (SubscriptionNotFound, a 404).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from priorauth.notifications.channels import DeliveryError
from priorauth.notifications.models import Channel, Event
from priorauth.notifications.services import notifications_write_for
from priorauth.pas.models import ApiClient, PasSubmission
from priorauth.pas.subscriptions import notices, resource, transport
from priorauth.pas.subscriptions.models import Status, Subscription
from priorauth.requests.models import PriorAuthRequest

log = logging.getLogger(__name__)

# A request's events an EHR hears of: a decision (a determination or an approval by operation
# of law) and a pend for information.
# Whatever changes the request's PAS answer: a decision, a pend, a decision changed after a
# peer-to-peer talk, an appeal decided (an overturned request is approved: A1).
NOTIFIED_EVENTS = (Event.DETERMINED, Event.PENDED, Event.REDETERMINED, Event.APPEAL_DECIDED)


class SubscriptionNotFound(Exception):
    pass


class SubscriptionForbidden(Exception):
    """The filter names an organization that is not the client's own."""


def subscription_url(subscription: Subscription) -> str:
    return f"Subscription/{subscription.public_id}"


def subscription_create(*, client: ApiClient, data: Any) -> Subscription:
    """Return the new subscription, after its handshake: active, or error when the endpoint failed it.

    SubscriptionInvalid: the resource is not one we accept (nothing written);
    SubscriptionForbidden: its `org-identifier` is not the client's organization's NPI.
    """
    asked = resource.parse(data, allow_loopback=settings.PAS_SUBSCRIPTION_ALLOW_LOOPBACK)
    if asked.org_identifier != client.organization.npi:
        raise SubscriptionForbidden(
            "org-identifier must be the NPI of your own organization; no other organization's "
            "requests can be subscribed to"
        )
    subscription = Subscription.objects.create(
        api_client=client,
        endpoint=asked.endpoint,
        headers=list(asked.headers),
        org_identifier=asked.org_identifier,
        reason=asked.reason,
        end=asked.end,
    )
    log.info("subscription %s created by API client %s", subscription.public_id, client.pk)
    return subscription_handshake(subscription=subscription)


def subscription_handshake(*, subscription: Subscription) -> Subscription:
    """Return the subscription after posting its handshake: active when the endpoint took it (2xx).

    Outside any transaction: the row is committed (requested) before the endpoint is called.
    """
    bundle = notices.handshake(
        subscription_url=subscription_url(subscription), status=Status.REQUESTED, now=timezone.now()
    )
    try:
        transport.post(
            endpoint=subscription.endpoint,
            headers=subscription.headers,
            body=bundle,
            timeout=settings.PAS_SUBSCRIPTION_TIMEOUT,
        )
    except DeliveryError as error:
        subscription.status, subscription.error = Status.ERROR, f"Handshake failed: {error.label}"[:200]
    else:
        subscription.status, subscription.error = Status.ACTIVE, ""
    Subscription.objects.filter(pk=subscription.pk, status=Status.REQUESTED).update(
        status=subscription.status, error=subscription.error
    )
    log.info("subscription %s handshake: %s", subscription.public_id, subscription.status)
    return subscription


def subscription_of(*, client: ApiClient, public_id: str) -> Subscription:
    """Return the client's organization's subscription; SubscriptionNotFound for any other, or none."""
    subscription = (
        Subscription.objects.filter(
            public_id=public_id, api_client__organization_id=client.organization_id, deleted_at=None
        )
        .select_related("api_client")
        .first()
    )
    if subscription is None:
        raise SubscriptionNotFound(public_id)
    return subscription


@transaction.atomic
def subscription_delete(*, client: ApiClient, public_id: str) -> Subscription:
    """Return the subscription, now off: no more notifications; the row is kept, as the outbox's are."""
    subscription = subscription_of(client=client, public_id=public_id)
    subscription.status, subscription.deleted_at = Status.OFF, timezone.now()
    subscription.save(update_fields=["status", "deleted_at"])
    log.info("subscription %s deleted by API client %s", subscription.public_id, client.pk)
    return subscription


def live_subscriptions(organization_id: int) -> list[Subscription]:
    """Return the organization's active subscriptions that have not ended, of clients not revoked."""
    now = timezone.now()
    return list(
        Subscription.objects.filter(
            api_client__organization_id=organization_id,
            api_client__revoked_at=None,
            status=Status.ACTIVE,
            deleted_at=None,
        )
        .filter(Q(end=None) | Q(end__gt=now))
        .order_by("pk")
    )


def subscriptions_notify(*, request: PriorAuthRequest, event: str) -> int:
    """Return how many notification rows were written for a request's event (in the caller's transaction).

    Only a request an API client submitted, and only a decision or a pend: each active
    subscription of the submitting clients' organization gets one row per event occurrence (the
    request's timeline line), so writing it again, a resend or a retry sends nothing twice.
    The row names the subscription and the event's number; the response Bundle is built when
    it is sent (transport.py), so the row holds no health information.
    """
    if event not in NOTIFIED_EVENTS:
        return 0
    organizations = set(
        PasSubmission.objects.filter(request=request).values_list("api_client__organization_id", flat=True)
    )
    if not organizations:
        return 0
    occurrence = request.events.order_by("-pk").values_list("pk", flat=True).first()
    targets: dict[str, dict[str, Any]] = {}
    for organization_id in sorted(organizations):
        for subscription in live_subscriptions(organization_id):
            targets[f"subscription:{subscription.pk}"] = {"subscription_id": subscription.pk}
    rows = notifications_write_for(
        event=event,
        request=request,
        occurrence=str(occurrence or ""),
        channel=Channel.REST_HOOK,
        targets=targets,
    )
    _number_events(rows)
    return len(rows)


def _number_events(rows: list[Any]) -> None:
    """Give each new row its subscription's next event number (eventsSinceSubscriptionStart)."""
    for row in rows:
        if "event_number" in row.context:
            continue
        subscription_id = row.context["subscription_id"]
        Subscription.objects.filter(pk=subscription_id).update(events_since_start=F("events_since_start") + 1)
        number = Subscription.objects.values_list("events_since_start", flat=True).get(pk=subscription_id)
        row.context["event_number"] = number
        row.save(update_fields=["context"])
