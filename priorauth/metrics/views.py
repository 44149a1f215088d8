"""The figures' pages: the public CMS-0057-F page with its downloads, and the supervisor's dashboard.

The public page needs no login and carries no member data: aggregated counts, the small ones
suppressed (`publish`). It may be cached by anyone for an hour. The dashboard is the
supervisors' (anyone else gets 404, as on the other supervisor pages).
"""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from priorauth.metrics import dashboard_context, publish, selectors
from priorauth.metrics.periods import Period, UnknownYear, allowed_years, period_for
from priorauth.middleware import same_for_everyone
from priorauth.review.access import is_supervisor, reviewer_required

PUBLIC_CACHE_SECONDS = 3600


def _period(request: HttpRequest) -> Period:
    """Return the period `?year=` asks for (the current year when absent); raise UnknownYear."""
    now = timezone.now()
    return period_for(request.GET.get("year") or allowed_years(now)[0], now)


@require_safe
@cache_control(public=True, max_age=PUBLIC_CACHE_SECONDS)
def public(request: HttpRequest) -> HttpResponse:
    years = allowed_years(timezone.now())
    try:
        period = _period(request)
    except UnknownYear as error:
        context = {"years": years, "problem": str(error)}
        return render(request, "metrics/public.html", context, status=404)
    report = selectors.cached_cms_report(period)
    context = {
        "years": years,
        "period": period,
        "rows": [
            (urgency, publish.published(report.figures[urgency])) for urgency in ("standard", "expedited")
        ],
        "labels": publish.LABELS,
        "covers": publish.COVERS,
        "suppression": publish.SUPPRESSION,
        "services": selectors.services_requiring_prior_auth(),
    }
    return same_for_everyone(render(request, "metrics/public.html", context))


def _download_period(request: HttpRequest) -> Period:
    try:
        return _period(request)
    except UnknownYear as error:
        raise Http404(str(error)) from None


@require_safe
@cache_control(public=True, max_age=PUBLIC_CACHE_SECONDS)
def public_csv(request: HttpRequest) -> HttpResponse:
    period = _download_period(request)
    report = selectors.cached_cms_report(period)
    response = HttpResponse(
        publish.csv_text(period.label, report.figures), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="prior-authorization-metrics-{period.slug}.csv"'
    return same_for_everyone(response)


@require_safe
@cache_control(public=True, max_age=PUBLIC_CACHE_SECONDS)
def public_json(request: HttpRequest) -> HttpResponse:
    period = _download_period(request)
    report = selectors.cached_cms_report(period)
    text = json.dumps(publish.document(period.label, report.figures), indent=2)
    response = HttpResponse(text + "\n", content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="prior-authorization-metrics-{period.slug}.json"'
    return same_for_everyone(response)


@never_cache
@reviewer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not is_supervisor(request.user):
        raise Http404("No such page.")
    years = allowed_years(timezone.now())
    try:
        period = _period(request)
    except UnknownYear as error:
        return render(request, "metrics/dashboard.html", {"years": years, "problem": str(error)}, status=404)
    board = selectors.cached_dashboard(period)
    return render(request, "metrics/dashboard.html", {"years": years, **dashboard_context.context(board)})
