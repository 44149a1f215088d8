"""Internal appeals of adverse determinations: one row per appeal, its decision, its stored letter."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from priorauth.members.models import Specialty
from priorauth.policies import vocab
from priorauth.policies.models import ReviewQueue


class AppealStatus(models.TextChoices):
    OPEN = "open", "Open"
    DECIDED = "decided", "Decided"


class AppealOutcome(models.TextChoices):
    OVERTURNED = "overturned", "Overturned"
    PARTLY_OVERTURNED = "partly_overturned", "Partly overturned"
    UPHELD = "upheld", "Upheld"


class Appeal(models.Model):
    """An internal appeal, filed by the provider's office on the member's behalf.

    It is about the request's determination at the time of filing (`determination`); the
    request itself keeps its adverse status until the appeal is decided.
    """

    request = models.ForeignKey("requests.PriorAuthRequest", on_delete=models.PROTECT, related_name="appeals")
    determination = models.ForeignKey(
        "review.Determination", on_delete=models.PROTECT, related_name="appeals"
    )
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    member_consents = models.BooleanField(
        default=False, help_text="The office attests that the member consents to the appeal."
    )
    received_at = models.DateTimeField()
    urgency = models.CharField(max_length=20, choices=vocab.choices(vocab.URGENCIES), default="standard")
    expedited_statement = models.TextField(blank=True)
    reason = models.TextField("why the decision should change")
    ordering_specialty = models.CharField(
        "ordering provider's specialty", max_length=40, choices=Specialty.choices, blank=True
    )
    queue = models.ForeignKey(ReviewQueue, on_delete=models.PROTECT, related_name="appeals")
    due_at = models.DateTimeField(db_index=True)
    # The timeframe that gives the due time, as applied (the records may change later).
    due_rule = models.JSONField(default=dict, blank=True)
    at_risk_at = models.DateTimeField(null=True, blank=True)
    documents = models.ManyToManyField("requests.Attachment", blank=True, related_name="appeals")

    status = models.CharField(max_length=20, choices=AppealStatus.choices, default=AppealStatus.OPEN)
    outcome = models.CharField(max_length=30, choices=AppealOutcome.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decider_specialty = models.CharField(max_length=40, choices=Specialty.choices, blank=True)
    # Where the state asks for a clinical peer: whether the decider matched, and whether they
    # confirmed deciding despite a mismatch.
    peer_match = models.CharField(max_length=20, blank=True)
    mismatch_confirmed = models.BooleanField(default=False)
    rationale = models.TextField(blank=True)
    # What is approved when the appeal overturns the decision in whole or in part.
    approved_service = models.CharField(max_length=300, blank=True)
    approved_units = models.PositiveIntegerField(null=True, blank=True)
    approved_start = models.DateField(null=True, blank=True)
    approved_end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            # One open appeal at a time on a request.
            models.UniqueConstraint(
                fields=["request"], condition=models.Q(status="open"), name="appeal_one_open_per_request"
            ),
        ]
        indexes = [models.Index(fields=["queue", "status", "due_at"], name="appeal_queue_status_due")]

    def __str__(self) -> str:
        return f"Appeal {self.pk} of {self.request}"

    @property
    def is_open(self) -> bool:
        return self.status == AppealStatus.OPEN

    @property
    def is_expedited(self) -> bool:
        return self.urgency == "expedited"


class AppealLetter(models.Model):
    """The appeal decision's notice as a PDF, rendered once and served as stored (never re-rendered)."""

    appeal = models.OneToOneField(Appeal, on_delete=models.PROTECT, related_name="letter")
    pdf = models.BinaryField()
    rendered_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Letter for appeal {self.appeal_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValidationError("A sent letter is never edited.")
        super().save(*args, **kwargs)
