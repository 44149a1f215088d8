"""The FHIR front door (Da Vinci PAS 2.2.1): metadata, `Claim/$submit`, `Claim/$inquire`.

Authenticated by the bearer token alone (no session, so no CSRF token: the views are exempt).
Every call is logged with the client, the operation, the status and the time taken, never with
member data. Errors are OperationOutcomes naming the path of the problem.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from priorauth import limits
from priorauth.pas import capability
from priorauth.pas.auth import api_client_of
from priorauth.pas.fhir import FHIR_JSON, BadInput, loads
from priorauth.pas.models import ApiClient
from priorauth.pas.submission import Answer, Forbidden, TooMany, Unprocessable, pas_inquire, pas_submit

log = logging.getLogger("priorauth.pas.api")
Operation = Callable[[HttpRequest, ApiClient, bytes], Answer]


def fhir_response(body: dict, status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type=FHIR_JSON)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def outcome(status: int, code: str, diagnostics: str, **headers: str) -> HttpResponse:
    """Return an OperationOutcome with one error issue (`code` from the FHIR issue-type codes)."""
    issue = {"severity": "error", "code": code, "diagnostics": diagnostics}
    return fhir_response({"resourceType": "OperationOutcome", "issue": [issue]}, status, **headers)


# What a FHIR client posts (FHIR R4 3.1.0.1.10: application/fhir+json; plain JSON is accepted too).
FHIR_POST_TYPES = frozenset({FHIR_JSON, "application/json"})


def unsupported_media(request: HttpRequest) -> HttpResponse | None:
    """Return a 415 OperationOutcome for a POST whose body is not JSON, else None.

    Checked before the token: the token check would otherwise parse a form or multipart body.
    """
    if request.method != "POST" or request.content_type in FHIR_POST_TYPES:
        return None
    return outcome(
        415,
        "not-supported",
        f"Send the body as {FHIR_JSON}, not {request.content_type or 'an unnamed type'}.",
        Accept=FHIR_JSON,
    )


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"the body is larger than {limit} bytes")
        self.limit = limit


def read_body(request: HttpRequest, limit: int) -> bytes:
    """Return the posted body, or raise BodyTooLarge when it is over `limit` bytes (read no further).

    Read from the stream rather than `request.body`, which past DATA_UPLOAD_MAX_MEMORY_SIZE
    raises RequestDataTooBig: Django's HTML 400 page, where a FHIR client needs an OperationOutcome.
    """
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        announced = 0
    if announced > limit:
        raise BodyTooLarge(limit)
    body = request.read(limit + 1)
    if len(body) > limit:
        raise BodyTooLarge(limit)
    return body


def _answer(operation: Operation, request: HttpRequest, client: ApiClient) -> HttpResponse:
    try:
        answer = operation(request, client, read_body(request, limits.PAS_BUNDLE_BYTES))
    except BodyTooLarge as error:
        return outcome(413, "too-costly", BadInput.over_limit(error.limit).problem.diagnostics)
    except BadInput as error:
        return outcome(400, "invalid", error.problem.diagnostics)
    except Forbidden as error:
        return outcome(403, "forbidden", str(error))
    except Unprocessable as error:
        return outcome(422, "business-rule", str(error))
    except TooMany as error:
        return outcome(429, "throttled", str(error))
    return fhir_response(answer.body, answer.status)


def api_operation(name: str) -> Callable[[Operation], Callable[[HttpRequest], HttpResponse]]:
    """Return the view for an operation: POST only, bearer token required, logged."""

    def wrap(operation: Operation) -> Callable[[HttpRequest], HttpResponse]:
        @csrf_exempt
        @functools.wraps(operation)
        def view(request: HttpRequest) -> HttpResponse:
            started = time.monotonic()
            client = None
            if request.method != "POST":
                response = outcome(405, "not-supported", f"{name} takes a POST.", Allow="POST")
            elif (refused := unsupported_media(request)) is not None:
                response = refused
            elif (client := api_client_of(request)) is None:
                response = outcome(
                    401,
                    "login",
                    "A valid bearer token is needed (POST /oauth/token/).",
                    WWW_Authenticate="Bearer",
                )
            else:
                response = _answer(operation, request, client)
            log.info(
                "pas api client=%s operation=%s status=%s duration_ms=%d",
                client.client_id if client else "-",
                name,
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
            return response

        return view

    return wrap


@api_operation("Claim/$submit")
def submit(request: HttpRequest, client: ApiClient, body: bytes) -> Answer:
    return pas_submit(client=client, data=loads(body), digest=hashlib.sha256(body).hexdigest())


@api_operation("Claim/$inquire")
def inquire(request: HttpRequest, client: ApiClient, body: bytes) -> Answer:
    return pas_inquire(client=client, data=loads(body))


@csrf_exempt
def not_found(request: HttpRequest) -> HttpResponse:
    """Answer a path under /fhir/ that names nothing we serve (no CSRF check: a POST gets the 404 too)."""
    return outcome(
        404,
        "not-found",
        "No such FHIR endpoint here: GET /fhir/metadata lists what is served (Claim/$submit, "
        "Claim/$inquire, Subscription).",
    )


# A POST gets the 405 below, not the CSRF page: the statement is public and changes nothing.
@csrf_exempt
def metadata(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return outcome(405, "not-supported", "metadata takes a GET.", Allow="GET")
    base = request.build_absolute_uri(reverse("fhir:metadata")).removesuffix("metadata")
    token_url = request.build_absolute_uri(reverse("oauth:token"))
    return fhir_response(capability.capability_statement(base=base, token_url=token_url))
