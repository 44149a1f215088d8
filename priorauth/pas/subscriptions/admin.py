"""Subscriptions in the admin: superusers look and switch one off; the API client makes them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from priorauth.pas.subscriptions.models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("public_id", "api_client", "status", "endpoint", "events_since_start", "created_at")
    list_filter = ("status",)
    list_select_related = ("api_client__organization",)
    # The headers carry the receiver's credentials: not shown.
    exclude = ("headers",)
    readonly_fields = (
        "public_id",
        "api_client",
        "endpoint",
        "org_identifier",
        "reason",
        "end",
        "error",
        "events_since_start",
        "created_at",
        "deleted_at",
    )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
