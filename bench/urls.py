"""The application's URLs plus `bench/ceiling`: a bare view that inserts one row per call.

The ceiling of the API benchmark: the same server, middleware and database as `Claim/$submit`,
doing the least a write can do (read the body, insert a row, answer JSON).
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from priorauth.urls import urlpatterns as application

CEILING_TABLE = "bench_ceiling"


@csrf_exempt
def ceiling(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {CEILING_TABLE} (body_bytes) VALUES (%s)", [len(request.body)])
    return JsonResponse({"ok": True})


urlpatterns = [*application, path("bench/ceiling", ceiling, name="bench_ceiling")]
