"""Project-level pages: the home page and the health endpoint."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from priorauth.stack import StackError, database_check


def home(request: HttpRequest) -> HttpResponse:
    """Return the home page: what the product is, for whom, and the way in for each role."""
    return render(request, "home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Return 200 {"status": "ok"} when the database answers, else 503; never any data."""
    try:
        database_check()
    except StackError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})
