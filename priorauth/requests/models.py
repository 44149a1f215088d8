"""Prior-authorization requests and their life (the intake and review issues build on this)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from priorauth.members.models import Member, ProviderOrganization
from priorauth.policies import vocab
from priorauth.policies.models import Product, ReviewQueue


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    PENDED = "pended", "Pended for information"
    APPROVED = "approved", "Approved"
    PARTIALLY_APPROVED = "partially_approved", "Partially approved"
    MODIFIED = "modified", "Approved with changes"
    DENIED = "denied", "Denied"
    NO_AUTH_REQUIRED = "no_auth_required", "No authorization required"
    WITHDRAWN = "withdrawn", "Withdrawn"


# X12 278 HCR01 review action codes, as Da Vinci PAS uses them.
X12_REVIEW_ACTION: dict[str, str] = {
    Status.APPROVED: "A1",
    Status.PARTIALLY_APPROVED: "A2",
    Status.DENIED: "A3",
    Status.SUBMITTED: "A4",
    Status.IN_REVIEW: "A4",
    Status.PENDED: "A4",
    Status.MODIFIED: "A6",
    Status.WITHDRAWN: "C",
    Status.NO_AUTH_REQUIRED: "NA",
}


class PriorAuthRequest(models.Model):
    number = models.CharField(max_length=20, unique=True, null=True, blank=True)
    organization = models.ForeignKey(ProviderOrganization, on_delete=models.PROTECT, related_name="requests")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="requests")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT, db_index=True)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, null=True, blank=True)
    category = models.CharField(max_length=40, choices=vocab.choices(vocab.CATEGORIES), blank=True)
    genetically_modified = models.BooleanField(null=True, blank=True)
    diagnoses = models.JSONField(default=list, blank=True)
    urgency = models.CharField(max_length=20, choices=vocab.choices(vocab.URGENCIES), default="standard")
    date_of_service = models.DateField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    routing_key = models.CharField(max_length=40, blank=True)
    queue = models.ForeignKey(ReviewQueue, on_delete=models.PROTECT, null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    decision = models.JSONField(null=True, blank=True, help_text="The deferral decision with its trace.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number or f"draft {self.pk}"

    @property
    def x12_review_action(self) -> str | None:
        return X12_REVIEW_ACTION.get(self.status)


class RequestEvent(models.Model):
    """One line of a request's timeline: who did what, when and why. Never edited or deleted."""

    request = models.ForeignKey(PriorAuthRequest, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    kind = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
