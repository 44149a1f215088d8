"""The admin of the PAS API: API clients are registered and revoked here (ApiClient's admin)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from priorauth.pas.models import ApiClient
from priorauth.pas.services import ApiClientError, api_client_create, api_client_revoke

# django-oauth-toolkit's own pages would let a superuser make an application with no
# organization, or read live tokens: API clients are managed as ApiClient records instead.
for model in (
    get_application_model(),
    get_access_token_model(),
    get_grant_model(),
    get_id_token_model(),
    get_refresh_token_model(),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class ApiClientAddForm(forms.ModelForm):
    class Meta:
        model = ApiClient
        fields = ["organization", "name"]


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Register an EHR (the secret is shown once, on the page after "Save") and revoke clients."""

    list_display = ["name", "organization", "client_id", "created_at", "revoked_at"]
    list_filter = ["organization"]
    actions = ["revoke"]
    readonly_fields = [
        "name",
        "organization",
        "client_id",
        "created_at",
        "created_by",
        "revoked_at",
        "revoked_by",
    ]

    def get_form(
        self, request: HttpRequest, obj: ApiClient | None = None, **kwargs: object
    ) -> type[forms.ModelForm]:
        if obj is None:
            kwargs["form"] = ApiClientAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: ApiClient | None = None) -> list[str]:
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: ApiClient | None = None) -> list[str]:
        return self.readonly_fields if obj is not None else ["organization", "name"]

    def has_delete_permission(self, request: HttpRequest, obj: ApiClient | None = None) -> bool:
        # An API client stays on record (its submissions name it): revoke it instead.
        return False

    def save_model(self, request: HttpRequest, obj: ApiClient, form: forms.ModelForm, change: bool) -> None:
        if change:
            return
        try:
            registered = api_client_create(
                organization_npi=obj.organization.npi, name=obj.name, user=request.user
            )
        except ApiClientError as error:
            raise ValidationError(error.message) from None
        obj.pk, obj.application_id = registered.client.pk, registered.client.application_id
        obj.created_at = registered.client.created_at
        messages.warning(
            request,
            f"Give these to the EHR's administrators now; the secret is not shown again. "
            f"client_id: {registered.client.client_id}  client_secret: {registered.client_secret}",
        )

    @admin.action(description="Revoke the selected API clients (their tokens stop working at once)")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        active = list(queryset.filter(revoked_at=None))
        for client in active:
            api_client_revoke(client=client, user=request.user)
        already = queryset.count() - len(active)
        message = f"{len(active)} API client(s) revoked: their tokens stop working now."
        if already:
            message += f" {already} had been revoked already."
        self.message_user(request, message)
