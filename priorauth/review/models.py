"""Review-side records: who works which queue, internal notes, and determinations."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from priorauth.policies.models import Criterion, ReviewQueue


class QueueAssignment(models.Model):
    """A reviewer works a queue (set by a policy administrator or a supervisor)."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="queue_assignments"
    )
    queue = models.ForeignKey(ReviewQueue, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["queue__code", "reviewer__username"]
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "queue"], name="queue_assignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} works {self.queue.code}"


class InternalNote(models.Model):
    """A reviewer's note on a request: never shown to the provider, never edited or deleted."""

    request = models.ForeignKey("requests.PriorAuthRequest", on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Note {self.pk} on request {self.request_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValidationError("An internal note is never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValidationError("An internal note is never deleted.")


class Outcome(models.TextChoices):
    APPROVED = "approved", "Approved"
    PARTIALLY_APPROVED = "partially_approved", "Partially approved"
    MODIFIED = "modified", "Approved with changes"
    DENIED = "denied", "Denied"


# Outcomes only a physician reviewer may record (adverse determinations: NCQA UM 4, URAC).
ADVERSE_OUTCOMES = frozenset({Outcome.PARTIALLY_APPROVED, Outcome.MODIFIED, Outcome.DENIED})


class DenialCode(models.TextChoices):
    NOT_MEDICALLY_NECESSARY = "MN01", "The request does not meet the medical necessity criteria"
    EXPERIMENTAL = "EI02", "The service is experimental or investigational for this condition"
    NOT_COVERED = "NC03", "The service is not a covered benefit under the member's plan"
    INSUFFICIENT_INFORMATION = "IN04", "The information needed to decide was not provided"
    SITE_OF_CARE = "SC05", "The treating facility or site of care does not meet the criteria"
    DOSE_OR_UNITS = "DU06", "The requested units, dose or dates exceed what the criteria support"


class Determination(models.Model):
    """A decision on a request, with everything its notice carries.

    A request has one current determination (`PriorAuthRequest.determination`): the first, or
    the one that superseded it when the decision was changed after a peer-to-peer talk. The
    superseded one stays, with its letter, in the history.
    """

    request = models.ForeignKey(
        "requests.PriorAuthRequest", on_delete=models.PROTECT, related_name="determinations"
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text="The determination this one replaces (a decision changed after a peer-to-peer talk).",
    )
    # Why the decision changed, for the letter that replaces the earlier one.
    change_reason = models.TextField(blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for an approval by operation of law (a missed state deadline).",
    )
    decided_at = models.DateTimeField()
    by_operation_of_law = models.BooleanField(default=False)
    # What is approved (approvals, partial approvals and modifications).
    approved_service = models.CharField(max_length=300, blank=True)
    approved_units = models.PositiveIntegerField(null=True, blank=True)
    approved_start = models.DateField(null=True, blank=True)
    approved_end = models.DateField(null=True, blank=True)
    # Why: required in plain language for adverse determinations.
    reason = models.TextField(blank=True)
    criteria_policy = models.CharField("criteria policy applied", max_length=300, blank=True)
    criteria_section = models.CharField("section applied", max_length=100, blank=True)
    denial_code = models.CharField(max_length=4, choices=DenialCode.choices, blank=True)
    peer_to_peer_offered = models.BooleanField(default=False)
    peer_to_peer_instructions = models.TextField(blank=True)
    alternatives = models.TextField("suggested alternatives", blank=True)
    # The criteria checklist as it stood when decided (`checklist_rules.recorded`): the criteria
    # may change later, the letter must keep saying what was decided on.
    criteria_checklist = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on request {self.request_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        # A determination is a legal record: corrections are new determinations on appeal.
        if self.pk is not None:
            raise ValidationError("A determination is never edited.")
        super().save(*args, **kwargs)

    @property
    def is_adverse(self) -> bool:
        return self.outcome in ADVERSE_OUTCOMES


class DeterminationLetter(models.Model):
    """The determination's notice as a PDF, rendered once and served as stored.

    Rendered by a task queued when the determination is recorded (`letters.render`), or at
    the first download when that task has not run (a broker outage, a determination recorded
    before letters were stored). The letter is what was sent: it is never rendered again.
    """

    determination = models.OneToOneField(Determination, on_delete=models.PROTECT, related_name="letter")
    pdf = models.BinaryField()
    rendered_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Letter for determination {self.determination_id}"


class Mark(models.TextChoices):
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"
    UNCLEAR = "unclear", "Unclear"


class CriterionAssessment(models.Model):
    """A reviewer's mark on one criterion of a request's checklist, with the document that shows it.

    Changed until the request is decided (each change kept in its history); the determination
    then keeps the checklist as it stood.
    """

    request = models.ForeignKey(
        "requests.PriorAuthRequest", on_delete=models.PROTECT, related_name="criterion_assessments"
    )
    # A criterion removed from its policy later leaves the mark behind, no longer on the checklist.
    criterion = models.ForeignKey(Criterion, on_delete=models.SET_NULL, null=True, related_name="+")
    # Empty: not marked yet (a note alone may explain a criterion).
    mark = models.CharField(max_length=20, choices=Mark.choices, blank=True)
    document = models.ForeignKey(
        "requests.Attachment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["request", "criterion__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "criterion"], name="criterion_assessed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_mark_display()} on request {self.request_id}"


class TalkStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"


class TalkOutcome(models.TextChoices):
    UPHELD = "upheld", "Decision upheld"
    CHANGED = "changed", "Decision changed"


class PeerToPeer(models.Model):
    """A peer-to-peer talk between the ordering physician and a physician reviewer about a request.

    Asked for by office staff (the ordering physician's phone and the times that suit them),
    scheduled by a physician reviewer or a supervisor for one, then held with its outcome.
    The phone and the times are health-plan business data seen on the request's pages only,
    never in a notification.
    """

    request = models.ForeignKey(
        "requests.PriorAuthRequest", on_delete=models.PROTECT, related_name="peer_to_peer_talks"
    )
    # The determination talked about; empty for a talk asked before the decision (escalated).
    determination = models.ForeignKey(
        Determination, on_delete=models.PROTECT, null=True, blank=True, related_name="peer_to_peer_talks"
    )
    status = models.CharField(max_length=20, choices=TalkStatus.choices, default=TalkStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    phone = models.CharField("ordering physician's phone", max_length=30)
    availability = models.TextField("times that suit the ordering physician")
    physician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The physician reviewer who talks with the ordering physician.",
    )
    slot_at = models.DateTimeField(null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scheduled_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=TalkOutcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    # The determination that replaced the one talked about (outcome "changed").
    new_determination = models.OneToOneField(
        Determination, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "slot_at"], name="peer_to_peer_status_slot")]

    def __str__(self) -> str:
        return f"Peer-to-peer {self.pk} on request {self.request_id}"
