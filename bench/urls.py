"""The application's URLs plus `bench/ceiling` and `bench/floor`, two bare views of the API benchmark.

The ceiling: the same server, middleware and database as `Claim/$submit`, doing the least a
write can do (read the body, insert a row, answer JSON). The floor: the least a `$submit` must
do before it can look for the member, with `$submit`'s own functions (the bearer token checked,
the Bundle parsed and checked against the PAS profiles), then one row inserted. Every `$submit`
does the floor's work and more, so the floor bounds what any `$submit` could reach here.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from priorauth.pas.auth import api_client_of
from priorauth.pas.fhir import loads
from priorauth.pas.submission import read_claim
from priorauth.urls import urlpatterns as application

CEILING_TABLE = "bench_ceiling"


@csrf_exempt
def ceiling(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {CEILING_TABLE} (body_bytes) VALUES (%s)", [len(request.body)])
    return JsonResponse({"ok": True})


@csrf_exempt
def floor(request: HttpRequest) -> JsonResponse:
    if api_client_of(request) is None:
        return JsonResponse({"ok": False}, status=401)
    facts = read_claim(loads(request.body))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {CEILING_TABLE} (body_bytes) VALUES (%s)", [len(request.body)])
    return JsonResponse({"ok": True, "items": len(facts.items)})


urlpatterns = [
    *application,
    path("bench/ceiling", ceiling, name="bench_ceiling"),
    path("bench/floor", floor, name="bench_floor"),
]
