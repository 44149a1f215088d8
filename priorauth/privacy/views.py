"""The privacy officer's pages: the PHI access log, searched and exported, and a member's
accounting of disclosures. Reading either is itself logged, and so is each export."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from priorauth.audit.models import Action, Kind
from priorauth.audit.services import phi_read
from priorauth.members.models import Member
from priorauth.privacy import selectors
from priorauth.privacy.access import privacy_required
from priorauth.privacy.forms import LogFilterForm, MemberSearchForm, filters_initial

PAGE_SIZE = 50
# The log's filters may name a member: kept in the session, never in a URL.
LOG_FILTERS = "privacy:log:filters"


@privacy_required
def access_log(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if "clear" in request.POST:
            request.session.pop(LOG_FILTERS, None)
            return redirect("privacy:log")
        form = LogFilterForm(request.POST)
        if form.is_valid():
            request.session[LOG_FILTERS] = form.filters()
            return redirect("privacy:log")
        return _render_log(request, form, request.session.get(LOG_FILTERS, {}))
    filters = request.session.get(LOG_FILTERS, {})
    return _render_log(request, LogFilterForm(initial=filters_initial(filters)), filters)


def _render_log(request: HttpRequest, form: LogFilterForm, filters: dict) -> HttpResponse:
    page = Paginator(selectors.access_log(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    phi_read(
        user=request.user, kind=Kind.ACCESS_LOG, action=Action.SEARCH, member_id=filters.get("member_pk")
    )
    context = {
        "form": form,
        "page": page,
        "rows": selectors.with_role_labels(page),
        "filtered": bool(filters),
    }
    return render(request, "privacy/log.html", context)


@privacy_required
@require_GET
def access_log_export(request: HttpRequest) -> StreamingHttpResponse:
    filters = request.session.get(LOG_FILTERS, {})
    phi_read(
        user=request.user, kind=Kind.ACCESS_LOG, action=Action.EXPORT, member_id=filters.get("member_pk")
    )
    return _csv(selectors.access_log(filters), f"phi-access-log-{timezone.localdate():%Y%m%d}.csv")


@privacy_required
def disclosures_search(request: HttpRequest) -> HttpResponse:
    form = MemberSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and form.member is not None:
        return redirect("privacy:disclosures", pk=form.member.pk)
    return render(request, "privacy/disclosures_search.html", {"form": form})


@privacy_required
@require_GET
def disclosures(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member, pk=pk)
    phi_read(user=request.user, kind=Kind.DISCLOSURES, object_id=member.pk, member_id=member.pk)
    page = Paginator(selectors.member_disclosures(member.pk), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"member": member, "page": page, "rows": selectors.with_role_labels(page)}
    return render(request, "privacy/disclosures.html", context)


@privacy_required
@require_GET
def disclosures_export(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    member = get_object_or_404(Member, pk=pk)
    phi_read(
        user=request.user,
        kind=Kind.DISCLOSURES,
        action=Action.EXPORT,
        object_id=member.pk,
        member_id=member.pk,
    )
    # The file is named by the member's record number, never the member ID or name.
    name = f"disclosures-member-{member.pk}-{timezone.localdate():%Y%m%d}.csv"
    return _csv(selectors.member_disclosures(member.pk), name)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(rows: Iterable, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    lines = (writer.writerow(line) for line in selectors.csv_rows(rows.iterator(chunk_size=2000)))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
