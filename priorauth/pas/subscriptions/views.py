"""The Subscription endpoints under /fhir/: create, read, delete. Bearer token only, JSON only.

Every answer is FHIR JSON: the resource, or one OperationOutcome saying what went wrong.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from priorauth.pas.auth import api_client_of
from priorauth.pas.models import ApiClient
from priorauth.pas.subscriptions import services
from priorauth.pas.subscriptions.models import Subscription
from priorauth.pas.subscriptions.resource import FHIR_JSON, SubscriptionInvalid, as_resource

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024


def _fhir(data: dict[str, Any], status: int = 200, **headers: str) -> JsonResponse:
    response = JsonResponse(data, status=status, content_type=FHIR_JSON)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def outcome(status: int, code: str, diagnostics: str) -> JsonResponse:
    """Return one OperationOutcome with the HTTP status; `diagnostics` says what and where."""
    issue = {"severity": "error", "code": code, "diagnostics": diagnostics}
    response = _fhir({"resourceType": "OperationOutcome", "issue": [issue]}, status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="fhir"'
    return response


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


def _caller(request: HttpRequest) -> ApiClient | None:
    return api_client_of(request)


@csrf_exempt
def create(request: HttpRequest) -> HttpResponse:
    client = _caller(request)
    if client is None:
        return outcome(401, "login", "A valid bearer token is required (POST /oauth/token/).")
    if request.method != "POST":
        return outcome(405, "not-supported", "POST a Subscription to create one; read one by its id.")
    if len(request.body) > MAX_BODY:
        return outcome(413, "too-costly", f"The body is larger than {MAX_BODY // 1024} KB.")
    try:
        data = json.loads(request.body.decode("utf-8"))
        subscription = services.subscription_create(client=client, data=data)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return outcome(400, "invalid", "Subscription: the body is not JSON (UTF-8)")
    except SubscriptionInvalid as error:
        return outcome(400, "invalid", f"{error.path}: {error.message}")
    except services.SubscriptionForbidden as error:
        return outcome(403, "forbidden", f"Subscription._criteria: {error}")
    location = request.build_absolute_uri(f"/fhir/Subscription/{subscription.public_id}")
    return _fhir(_resource(subscription), 201, Location=location)


@csrf_exempt
def detail(request: HttpRequest, subscription_id: str) -> HttpResponse:
    client = _caller(request)
    if client is None:
        return outcome(401, "login", "A valid bearer token is required (POST /oauth/token/).")
    if request.method not in ("GET", "DELETE"):
        return outcome(405, "not-supported", "Read (GET) or delete (DELETE) a subscription.")
    try:
        uuid.UUID(subscription_id)
        if request.method == "DELETE":
            services.subscription_delete(client=client, public_id=subscription_id)
            return HttpResponse(status=204)
        subscription = services.subscription_of(client=client, public_id=subscription_id)
    except (ValueError, services.SubscriptionNotFound):
        return outcome(404, "not-found", f"Subscription/{subscription_id} is not known.")
    return _fhir(_resource(subscription))
