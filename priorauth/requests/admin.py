"""Read-only admin views of requests, for superusers only.

Requests change only through their services (each change is an event with who, when and why),
so the admin may look but never add, edit or delete.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from priorauth.audit.admin import PhiReadAdminMixin
from priorauth.audit.models import Kind
from priorauth.requests.models import PriorAuthRequest, RequestEvent


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    fields = ("at", "actor", "kind", "from_status", "to_status", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PriorAuthRequest)
class PriorAuthRequestAdmin(PhiReadAdminMixin, _ReadOnlyAdmin):
    list_display = (
        "__str__",
        "organization",
        "status",
        "product",
        "urgency",
        "queue",
        "due_at",
        "created_at",
    )
    list_filter = ("status", "urgency", "queue", "routing_key")
    search_fields = ("number",)
    list_select_related = ("organization", "product", "queue")
    inlines = [RequestEventInline]
    phi_kind = Kind.ADMIN_REQUEST

    def phi_subjects(self, pk: int) -> tuple[int | None, int | None]:
        member_id = PriorAuthRequest.objects.filter(pk=pk).values_list("member_id", flat=True).first()
        return member_id, pk


@admin.register(RequestEvent)
class RequestEventAdmin(_ReadOnlyAdmin):
    list_display = ("request", "at", "actor", "kind", "from_status", "to_status")
    list_filter = ("kind", "to_status")
    search_fields = ("request__number",)
    list_select_related = ("request", "actor")
