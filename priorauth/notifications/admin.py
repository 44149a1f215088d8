"""Notifications in the admin: look, filter the failures, and resend them. Nothing else is editable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from priorauth.notifications.delivery import notifications_resend
from priorauth.notifications.models import DELIVERED_CHANNELS, DeliveryStatus, Notification

CONFIRM_TEMPLATE = "admin/notifications/notification/resend_confirmation.html"


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
        "interruptions",
        "last_error",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", "channel", "event")
    search_fields = ("request__number", "recipient__username", "message_id")
    list_select_related = ("recipient", "request")
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["resend"]

    @admin.action(
        description="Resend the selected emails that failed or may have been sent", permissions=["change"]
    )
    def resend(self, request: HttpRequest, queryset: QuerySet[Notification]) -> TemplateResponse | None:
        """Resend failed emails at once; ask first when some may have been sent (a second copy)."""
        emails = queryset.filter(channel__in=DELIVERED_CHANNELS)
        uncertain = list(emails.filter(status=DeliveryStatus.UNCERTAIN))
        confirmed = request.POST.get("post") == "yes"
        if uncertain and not confirmed:
            return self._confirm_resend(request, queryset, uncertain)
        ids = list(queryset.values_list("pk", flat=True))
        count = notifications_resend(notification_ids=ids, uncertain=confirmed)
        self.message_user(request, f"{count} queued again.", messages.SUCCESS)
        if skipped := len(ids) - count:
            self.message_user(
                request,
                f"{skipped} skipped: only emails that failed or may have been sent are resent.",
                messages.WARNING,
            )
        return None

    def _confirm_resend(
        self, request: HttpRequest, queryset: QuerySet[Notification], uncertain: list[Notification]
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": "Resend emails that may have been sent?",
            "opts": self.model._meta,
            "uncertain": uncertain,
            "failed": list(queryset.filter(channel__in=DELIVERED_CHANNELS, status=DeliveryStatus.FAILED)),
            "selected": list(queryset.values_list("pk", flat=True)),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, CONFIRM_TEMPLATE, context)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
