"""Who works or watches which queue, in the admin (policy administrators and superusers)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from priorauth.members.models import User
from priorauth.members.roles import QUEUE_ROLES
from priorauth.review.models import QueueAssignment


@admin.register(QueueAssignment)
class QueueAssignmentAdmin(admin.ModelAdmin):
    """Who works or watches which queue: policy admins set it here, supervisors on /review/assignments/."""

    list_display = ("queue", "reviewer", "assigned_by", "assigned_at")
    list_filter = ("queue",)
    search_fields = ("reviewer__username", "reviewer__last_name", "queue__code")
    list_select_related = ("queue", "reviewer", "assigned_by")
    fields = ("reviewer", "queue")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "reviewer":
            # Nurses and physicians work a queue; supervisors watch it (its at-risk warnings).
            reviewers = User.objects.filter(role__in=QUEUE_ROLES, is_active=True)
            kwargs["queryset"] = reviewers.order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: QueueAssignment, form: Any, change: bool) -> None:
        if not change:
            obj.assigned_by = request.user
        super().save_model(request, obj, form, change)
