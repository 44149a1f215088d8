"""A PAS subscription: where to tell an API client's organization that its requests changed."""

from __future__ import annotations

import uuid

from django.db import models

from priorauth.pas.models import ApiClient


class Status(models.TextChoices):
    # The FHIR Subscription statuses: requested until the handshake answers.
    REQUESTED = "requested", "Requested"
    ACTIVE = "active", "Active"
    ERROR = "error", "Error"
    OFF = "off", "Off"


class Subscription(models.Model):
    # The resource's id in URLs: not a count of everybody's subscriptions.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    api_client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    endpoint = models.URLField(max_length=500)
    # "Name: value" lines sent as HTTP headers with every notification (the receiver's credentials).
    headers = models.JSONField(default=list, blank=True)
    org_identifier = models.CharField(max_length=20, help_text="The organization's NPI, from the filter.")
    reason = models.CharField(max_length=1000, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True, help_text="Why the handshake failed: a status code.")
    # The SubscriptionStatus's eventsSinceSubscriptionStart: each event notification takes the next.
    events_since_start = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["api_client", "status"], name="subscription_client_status")]

    def __str__(self) -> str:
        return f"Subscription {self.public_id} ({self.status})"
