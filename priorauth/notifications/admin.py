"""Notifications in the admin: look, filter the failures, and resend them. Nothing else is editable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from priorauth.notifications.delivery import notifications_resend
from priorauth.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "event",
        "channel",
        "status",
        "recipient",
        "request",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", "channel", "event")
    search_fields = ("request__number", "recipient__username")
    list_select_related = ("recipient", "request")
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["resend"]

    @admin.action(description="Resend the selected failed emails", permissions=["change"])
    def resend(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = notifications_resend(notification_ids=list(queryset.values_list("pk", flat=True)))
        skipped = queryset.count() - count
        self.message_user(request, f"{count} queued again.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} skipped: only failed emails are resent.", messages.WARNING)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
