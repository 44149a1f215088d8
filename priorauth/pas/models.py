"""API clients: the EHRs that submit and inquire through the Da Vinci PAS API (issue 10).

The OAuth 2.0 side (client id, hashed secret, tokens) is django-oauth-toolkit's Application;
an API client ties one Application to the one provider organization it may act for.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from oauth2_provider.models import Application

from priorauth.members.models import ProviderOrganization


class ApiClient(models.Model):
    name = models.CharField(max_length=200, help_text="The EHR or system, as staff would recognize it.")
    organization = models.ForeignKey(
        ProviderOrganization, on_delete=models.PROTECT, related_name="api_clients"
    )
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="api_client")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["organization__name", "name"]
        verbose_name = "API client"

    def __str__(self) -> str:
        return f"{self.name} ({self.organization.name})"

    @property
    def client_id(self) -> str:
        return self.application.client_id

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
