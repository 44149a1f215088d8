"""The admin for plans, provider organizations, people and members.

A policy administrator edits plans' benefits here; members and their coverage are health
information, so only the enrollment administrator and superusers see them (`roles.py`), and they
alone may import an enrollment file (`enrollment/views.py`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from simple_history.admin import SimpleHistoryAdmin

from priorauth.audit.admin import PhiReadAdminMixin
from priorauth.audit.models import Kind
from priorauth.members.enrollment import views as enrollment_views
from priorauth.members.models import CoveragePeriod, Member, Plan, ProviderOrganization, Role, User
from priorauth.members.roles import assign_role
from priorauth.members.validation import npi_error
from priorauth.policies import vocab
from priorauth.policies.forms import code_checkboxes
from priorauth.policies.impact import records as impact_records
from priorauth.policies.impact.admin import ImpactPreviewMixin


class ProviderOrganizationAdminForm(forms.ModelForm):
    class Meta:
        model = ProviderOrganization
        fields = "__all__"

    def clean_npi(self) -> str:
        npi = self.cleaned_data["npi"].strip()
        problem = npi_error(npi)
        if problem:
            raise forms.ValidationError(problem, code="invalid_npi")
        return npi


class PlanAdminForm(forms.ModelForm):
    excluded_categories = code_checkboxes(vocab.CATEGORIES, what="therapy category", required=False)

    class Meta:
        model = Plan
        fields = "__all__"


@admin.register(Plan)
class PlanAdmin(ImpactPreviewMixin, SimpleHistoryAdmin):
    impact_changes = staticmethod(impact_records.plan_changes)
    form = PlanAdminForm
    list_display = ("code", "name", "line_of_business", "state")
    search_fields = ("code", "name")
    list_filter = ("state", "line_of_business")
    filter_horizontal = ("excluded_products", "no_auth_products")
    fieldsets = (
        (None, {"fields": ("code", "name", ("line_of_business", "state"))}),
        (
            "Schedule of Benefits",
            {
                "fields": ("excluded_products", "excluded_categories", "no_auth_products"),
                "description": "An excluded product or category goes to a benefits review "
                "(never an automatic denial).",
            },
        ),
        ("Peer-to-peer", {"fields": ("peer_to_peer_days",)}),
    )


@admin.register(ProviderOrganization)
class ProviderOrganizationAdmin(SimpleHistoryAdmin):
    form = ProviderOrganizationAdminForm
    list_display = ("name", "npi", "tin")
    search_fields = ("name", "npi", "tin")


@admin.register(User)
class PriorAuthUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "organization", "is_active")
    list_filter = ("role", "is_staff", "is_superuser", "is_active")
    list_select_related = ("organization",)
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Role", {"fields": ("role", "organization", "specialty", "reports_to")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Role", {"fields": ("role", "organization")}),
    )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The role decides the groups and admin access; applied after the form's own groups.
        if form.instance.role:
            assign_role(form.instance, Role(form.instance.role))


class CoveragePeriodInline(admin.TabularInline):
    model = CoveragePeriod
    extra = 0


@admin.register(Member)
class MemberAdmin(PhiReadAdminMixin, SimpleHistoryAdmin):
    list_display = ("member_id", "last_name", "first_name", "date_of_birth", "plan")
    search_fields = ("member_id", "last_name", "first_name")
    list_filter = ("plan",)
    list_select_related = ("plan",)
    inlines = [CoveragePeriodInline]
    phi_kind = Kind.ADMIN_MEMBER

    def phi_subjects(self, pk: int) -> tuple[int | None, int | None]:
        return pk, None

    def get_urls(self) -> list[URLPattern]:
        # Before the model's own URLs, whose "<object_id>/" would otherwise take "import/".
        wrap = self.admin_site.admin_view
        return [
            path(
                "import/",
                wrap(self.enrollment_upload_view),
                name="members_member_import",
            ),
            path(
                "import/errors/<str:token>/",
                wrap(enrollment_views.enrollment_errors),
                name="members_member_import_errors",
            ),
            *super().get_urls(),
        ]

    def enrollment_upload_view(self, request: HttpRequest) -> HttpResponse:
        return enrollment_views.enrollment_upload(request, self)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "may_import": enrollment_views.may_import(request)}
        return super().changelist_view(request, extra_context)
