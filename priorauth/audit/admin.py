"""The log in the admin: read-only for superusers; and the mixin that logs the admin's PHI pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from priorauth.audit.models import PhiAccess
from priorauth.audit.services import phi_read


@admin.register(PhiAccess)
class PhiAccessAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "username",
        "role",
        "action",
        "kind",
        "object_id",
        "member_id",
        "request_id",
        "address",
    )
    list_filter = ("kind", "action", "role")
    search_fields = ("username",)
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser


class PhiReadAdminMixin:
    """For a ModelAdmin of health information: opening one object's page (or history) is a read.

    Subclasses set `phi_kind` and say which member and request an object concerns.
    """

    phi_kind: str

    def phi_subjects(self, pk: int) -> tuple[int | None, int | None]:
        """Return the (member id, request id) the object with this pk concerns."""
        raise NotImplementedError

    def _phi_read(self, request: HttpRequest, object_id: str) -> None:
        if not str(object_id).isdigit():
            return  # The admin answers a non-numeric id with "not found"; nothing was read.
        pk = int(object_id)
        member_id, request_id = self.phi_subjects(pk)
        phi_read(
            user=request.user, kind=self.phi_kind, object_id=pk, member_id=member_id, request_id=request_id
        )

    def change_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> HttpResponse:
        self._phi_read(request, object_id)
        return super().change_view(request, object_id, *args, **kwargs)  # type: ignore[misc]

    def history_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> HttpResponse:
        self._phi_read(request, object_id)
        return super().history_view(request, object_id, *args, **kwargs)  # type: ignore[misc]
