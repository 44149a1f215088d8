"""The Subscription endpoints under /fhir/: create, read, delete. Bearer token only, JSON only.

Every answer is FHIR JSON: the resource, or one OperationOutcome saying what went wrong (the
PAS views' helpers). Every call is logged with the client and the status, never the endpoint's
headers (the receiver's credentials).
"""

from __future__ import annotations

import functools
import json
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from priorauth.pas.auth import api_client_of
from priorauth.pas.models import ApiClient
from priorauth.pas.subscriptions import services
from priorauth.pas.subscriptions.models import Subscription
from priorauth.pas.subscriptions.resource import SubscriptionInvalid, as_resource
from priorauth.pas.views import BodyTooLarge, fhir_response, outcome, read_body, unsupported_media

log = logging.getLogger("priorauth.pas.api")

MAX_BODY = 64 * 1024
View = Callable[..., HttpResponse]


def _resource(subscription: Subscription) -> dict[str, Any]:
    return as_resource(
        id=str(subscription.public_id),
        status=subscription.status,
        endpoint=subscription.endpoint,
        headers=subscription.headers,
        org_identifier=subscription.org_identifier,
        reason=subscription.reason,
        end=subscription.end,
        error=subscription.error,
    )


def _api(name: str, methods: tuple[str, ...]) -> Callable[[View], View]:
    """Return the view wrapped: bearer token first (401), then the methods it takes (405), logged."""

    def wrap(view: View) -> View:
        @csrf_exempt
        @functools.wraps(view)
        def wrapped(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            started = time.monotonic()
            refused = unsupported_media(request)
            client = None if refused else api_client_of(request)
            if refused is not None:
                response = refused
            elif client is None:
                response = outcome(
                    401,
                    "login",
                    "A valid bearer token is needed (POST /oauth/token/).",
                    WWW_Authenticate="Bearer",
                )
            elif request.method not in methods:
                response = outcome(
                    405, "not-supported", f"{name} takes {', '.join(methods)}.", Allow=", ".join(methods)
                )
            else:
                response = view(request, client, **kwargs)
            log.info(
                "pas api client=%s operation=%s %s status=%s duration_ms=%d",
                client.client_id if client else "-",
                request.method,
                name,
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
            return response

        return wrapped

    return wrap


@_api("Subscription", ("POST",))
def create(request: HttpRequest, client: ApiClient) -> HttpResponse:
    try:
        data = json.loads(read_body(request, MAX_BODY).decode("utf-8"))
    except BodyTooLarge:
        return outcome(413, "too-costly", f"Subscription: the body is larger than {MAX_BODY // 1024} KB.")
    except (UnicodeDecodeError, ValueError, RecursionError):
        return outcome(400, "invalid", "Subscription: the body is not JSON (UTF-8)")
    try:
        subscription = services.subscription_create(client=client, data=data)
    except SubscriptionInvalid as error:
        return outcome(400, "invalid", f"{error.path}: {error.message}")
    except services.SubscriptionForbidden as error:
        return outcome(403, "forbidden", f"Subscription._criteria: {error}")
    location = request.build_absolute_uri(f"/fhir/Subscription/{subscription.public_id}")
    return fhir_response(_resource(subscription), 201, Location=location)


@_api("Subscription/[id]", ("GET", "DELETE"))
def detail(request: HttpRequest, client: ApiClient, subscription_id: str) -> HttpResponse:
    try:
        uuid.UUID(subscription_id)
        if request.method == "DELETE":
            services.subscription_delete(client=client, public_id=subscription_id)
            return HttpResponse(status=204)
        subscription = services.subscription_of(client=client, public_id=subscription_id)
    except (ValueError, services.SubscriptionNotFound):
        return outcome(404, "not-found", f"Subscription/{subscription_id} is not known.")
    return fhir_response(_resource(subscription))
