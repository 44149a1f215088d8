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
    # Who its requests are `submitted_by`: a sign-in-less account of the organization's staff
    # (inactive, no usable password), so every page, notice and limit that names a submitter
    # works for an API request as for a web one, the member lookup's throttle per client included.
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="api_client"
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


class SubmissionKind(models.TextChoices):
    SUBMIT = "submit", "Submitted"
    UPDATE = "update", "Updated"
    CANCEL = "cancel", "Cancelled"


class PasSubmission(models.Model):
    """One `Claim/$submit` the API accepted: which client sent which Claim for which request.

    A resend (the same Claim identifier from the same client) finds its row and is answered
    again; the row keeps what the answer echoes (the Claim's identifiers, items and the entries
    its patient, insurer and requestor reach), so later answers ($inquire, notifications) repeat
    them with the same fullUrl and identifiers. The latest row of a request is its current Claim.
    """

    request = models.ForeignKey(
        "requests.PriorAuthRequest", on_delete=models.PROTECT, related_name="pas_submissions"
    )
    api_client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="submissions")
    kind = models.CharField(max_length=10, choices=SubmissionKind.choices, default=SubmissionKind.SUBMIT)
    claim_system = models.CharField(max_length=255)
    claim_value = models.CharField(max_length=255)
    bundle_digest = models.CharField(max_length=64, help_text="SHA-256 of the posted Bundle.")
    echo = models.JSONField(default=dict)
    response = models.JSONField(default=dict, help_text="The answer given to this call.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "PAS submission"
        constraints = [
            models.UniqueConstraint(
                fields=["api_client", "claim_system", "claim_value"], name="pas_claim_once_per_client"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.claim_value} for request {self.request_id}"
