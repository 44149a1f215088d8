"""The notification centre: a person's in-app notifications, unread first, and marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from priorauth.notifications.messages import in_app_items
from priorauth.notifications.models import Channel, Notification
from priorauth.notifications.services import in_app_for, notifications_mark_read

PAGE_SIZE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """Return the user's in-app notifications: unread first, then newest first."""
    mine = (
        in_app_for(request.user)
        .select_related("request__queue", "request__claimed_by")
        .order_by(F("read_at").desc(nulls_first=True), "-created_at", "-pk")
    )
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    items = in_app_items(request.user, page)
    return render(request, "notifications/list.html", {"page": page, "items": items})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notifications read; someone else's answers 404."""
    if not Notification.objects.filter(pk=pk, recipient=request.user, channel=Channel.IN_APP).exists():
        raise Http404("No such notification.")
    notifications_mark_read(user=request.user, notification_id=pk)
    return _back(request)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    """Mark every one of the user's notifications read."""
    notifications_mark_read(user=request.user)
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notifications:list")
