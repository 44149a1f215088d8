"""Prior-authorization requests and their life (the intake and review issues build on this)."""

from __future__ import annotations

import datetime
import pathlib
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from priorauth.members.models import Member, ProviderOrganization
from priorauth.policies import vocab
from priorauth.policies.models import Product, ReviewQueue

EASTERN = ZoneInfo("America/New_York")


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
# A provider may withdraw only while no determination has been made.
WITHDRAWABLE = frozenset({Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.PENDED})
DETERMINED = frozenset({Status.APPROVED, Status.PARTIALLY_APPROVED, Status.MODIFIED, Status.DENIED})
# The outcomes that let care go ahead: the provider is told they do not ensure payment.
GOES_AHEAD = frozenset({Status.APPROVED, Status.PARTIALLY_APPROVED, Status.MODIFIED, Status.NO_AUTH_REQUIRED})
# The requests still waiting for a determination: what a review queue holds.
OPEN_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW, Status.PENDED)

# Which structured clinical facts a therapy category asks for (DOMAIN.md: the facts every
# criteria policy asks). T-cell therapies for cancer share the CAR-T questions.
CELL_IMMUNOTHERAPY_CATEGORIES = frozenset({"car_t", "tcr_t", "til"})
GENE_THERAPY_CATEGORIES = frozenset({"gene_therapy", "cell_based_gene_therapy"})


class Accreditation(models.TextChoices):
    FACT = "fact", "FACT accredited"
    JACIE = "jacie", "FACT-JACIE accredited"
    NONE = "none", "Not accredited"


class Ecog(models.IntegerChoices):
    FULLY_ACTIVE = 0, "0 - Fully active"
    RESTRICTED = 1, "1 - Restricted in strenuous activity"
    AMBULATORY = 2, "2 - Ambulatory, capable of self-care, unable to work"
    LIMITED = 3, "3 - Limited self-care, in bed or chair over 50% of waking hours"
    DISABLED = 4, "4 - Completely disabled"
    DEAD = 5, "5 - Dead"


class PriorAuthRequest(models.Model):
    number = models.CharField("request number", max_length=20, unique=True, null=True, blank=True)
    submission_token = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="Identifies one filling of the form, so a repeated submit finds the same request.",
    )
    organization = models.ForeignKey(ProviderOrganization, on_delete=models.PROTECT, related_name="requests")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="requests")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT, db_index=True)

    # The service: a catalog product, or a stem cell transplant with no product record.
    product = models.ForeignKey(Product, on_delete=models.PROTECT, null=True, blank=True)
    category = models.CharField(max_length=40, choices=vocab.choices(vocab.CATEGORIES), blank=True)
    genetically_modified = models.BooleanField("donor cells genetically manipulated", null=True, blank=True)
    diagnoses = models.JSONField(default=list, blank=True)
    date_of_service = models.DateField(null=True, blank=True)

    ordering_npi = models.CharField("ordering provider NPI", max_length=10, blank=True)
    ordering_name = models.CharField("ordering provider name", max_length=200, blank=True)
    rendering_npi = models.CharField("rendering provider NPI", max_length=10, blank=True)
    facility_name = models.CharField("treating facility", max_length=200, blank=True)
    facility_npi = models.CharField("treating facility NPI", max_length=10, blank=True)
    facility_accreditation = models.CharField(max_length=10, choices=Accreditation.choices, blank=True)

    urgency = models.CharField(max_length=20, choices=vocab.choices(vocab.URGENCIES), default="standard")
    expedited_statement = models.TextField(
        blank=True,
        help_text="Why the standard timeframe could seriously jeopardize the member's life, health "
        "or ability to regain maximum function.",
    )
    clinical_summary = models.TextField(blank=True)

    # CAR-T (and other T-cell therapies): the facts every criteria policy asks.
    prior_lines_of_therapy = models.PositiveSmallIntegerField(null=True, blank=True)
    ecog = models.PositiveSmallIntegerField(
        "ECOG performance status", choices=Ecog.choices, null=True, blank=True
    )
    active_cns_disease = models.BooleanField("active CNS disease", null=True, blank=True)
    active_infection = models.BooleanField(null=True, blank=True)
    prior_car_t_or_gene_therapy = models.BooleanField("prior CAR-T or gene therapy", null=True, blank=True)
    # Gene therapies: the confirming genetic test.
    genetic_test_name = models.CharField(max_length=200, blank=True)
    genetic_test_result = models.CharField(max_length=500, blank=True)
    genetic_test_date = models.DateField(null=True, blank=True)
    prior_gene_therapy = models.BooleanField(null=True, blank=True)

    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attested_at = models.DateTimeField(null=True, blank=True)

    # The routing decision, stored as made (the records it was made under may change later).
    received_at = models.DateTimeField(null=True, blank=True)
    routing_key = models.CharField(max_length=40, blank=True)
    queue = models.ForeignKey(ReviewQueue, on_delete=models.PROTECT, null=True, blank=True)
    # The member's plan's state when routed: the state whose timeframe rules applied.
    plan_state = models.CharField(max_length=2, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    decision = models.JSONField(null=True, blank=True, help_text="The deferral decision with its trace.")
    governing_policy_number = models.CharField(max_length=40, blank=True)
    governing_policy_effective = models.DateField(null=True, blank=True)
    criteria_policy_number = models.CharField(max_length=40, blank=True)
    criteria_policy_effective = models.DateField(null=True, blank=True)

    # One timestamp per transition, for the timeline's summary and for metrics.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    routed_at = models.DateTimeField(null=True, blank=True)
    pended_at = models.DateTimeField(null=True, blank=True)
    information_received_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    acknowledgement_sent_at = models.DateTimeField(null=True, blank=True)

    # Review: who works it now, and whether a physician must decide (review issue).
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    needs_physician = models.BooleanField(default=False)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.TextField(blank=True)
    # The timeframe rules that matched at submission (the due time is always recomputed from
    # these, not from whatever the records say later), and the one that gives the due time now.
    timeframe_rules = models.JSONField(default=list, blank=True)
    # The holidays those rules skip, as ISO dates stored at submission (see `clock`); None on a
    # request routed before they were stored, which is timed by the current Holiday records.
    timeframe_holidays = models.JSONField(null=True, blank=True, default=None)
    due_rule = models.JSONField(null=True, blank=True)
    # When three quarters of the timeframe are used: kept beside due_at so queues can filter on it.
    at_risk_at = models.DateTimeField(null=True, blank=True)
    # The one extension of the timeframe a reviewer may grant (see `requests.extension`).
    extended_at = models.DateTimeField(null=True, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    extension_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "prior-authorization request"
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="request_org_newest"),
            models.Index(fields=["organization", "status"], name="request_org_status"),
            models.Index(fields=["organization", "category"], name="request_org_category"),
            models.Index(fields=["organization", "date_of_service"], name="request_org_dos"),
            models.Index(fields=["status", "due_at"], name="request_status_due"),
            models.Index(fields=["queue", "status", "due_at", "id"], name="request_queue_status_due"),
            # A queue page: its open requests, the earliest due first, unfiltered or by one filter
            # (partial: a queue holds only open requests). The first also covers the queues'
            # counts; the claimed one also each reviewer's claimed count.
            models.Index(
                fields=["queue", "due_at", "id"],
                include=["status", "at_risk_at"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="request_open_queue_due",
            ),
            models.Index(
                fields=["queue", "urgency", "due_at", "id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="request_open_queue_urgency",
            ),
            models.Index(
                fields=["queue", "category", "due_at", "id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="request_open_queue_category",
            ),
            models.Index(
                fields=["queue", "plan_state", "due_at", "id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="request_open_queue_state",
            ),
            models.Index(
                fields=["claimed_by", "queue", "due_at", "id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="request_open_claimed_queue",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"Draft {self.pk}"

    @property
    def x12_review_action(self) -> str | None:
        return X12_REVIEW_ACTION.get(self.status)

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def can_withdraw(self) -> bool:
        return self.status in WITHDRAWABLE

    @property
    def determination(self) -> Any:
        """Return the current determination (the latest, which supersedes any before it), or None.

        Reads the prefetched `determinations` when a query prefetched them, else one query.
        """
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "determinations" in cache:
            return max(cache["determinations"], key=lambda d: d.pk, default=None)
        if self.pk is None:
            return None
        return self.determinations.order_by("-pk").first()

    @property
    def is_determined(self) -> bool:
        return self.status in DETERMINED

    @property
    def goes_ahead(self) -> bool:
        """Return whether the outcome lets care go ahead (approved in whole or part, or no auth needed)."""
        return self.status in GOES_AHEAD

    @property
    def therapy_category(self) -> str:
        """Return the category from the product record, or the one given for a product-less service."""
        return self.product.category if self.product else self.category

    @property
    def therapy_label(self) -> str:
        if self.product:
            return f"{self.product.brand} ({self.product.generic})"
        return vocab.CATEGORIES.get(self.category, "Not chosen yet")

    @property
    def asks_cell_immunotherapy_facts(self) -> bool:
        return self.therapy_category in CELL_IMMUNOTHERAPY_CATEGORIES

    @property
    def asks_gene_therapy_facts(self) -> bool:
        return self.therapy_category in GENE_THERAPY_CATEGORIES

    def number_for(self, received_at: datetime.datetime) -> str:
        """Return the request number for this saved row: PA-<year received, Eastern>-<pk, 6 digits>."""
        return f"PA-{received_at.astimezone(EASTERN).year}-{self.pk:06d}"


class EventKind(models.TextChoices):
    CREATED = "created", "Draft started"
    DRAFT_SAVED = "draft_saved", "Draft saved"
    SUBMITTED = "submitted", "Submitted"
    ROUTED = "routed", "Routed for review"
    NO_AUTH_REQUIRED = "no_auth_required", "No authorization required"
    ATTACHMENT_ADDED = "attachment_added", "Document attached"
    PENDED = "pended", "Information requested"
    INFORMATION_RECEIVED = "information_received", "Information sent"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ACKNOWLEDGED = "acknowledged", "Acknowledgement sent"
    CLAIMED = "claimed", "Claimed for review"
    RELEASED = "released", "Released to the queue"
    REASSIGNED = "reassigned", "Reassigned"
    MOVED = "moved", "Moved to another queue"
    ESCALATED = "escalated", "Escalated for physician review"
    NOTE_ADDED = "note_added", "Internal note added"
    DETERMINED = "determined", "Determination made"
    DEEMED_APPROVED = "deemed_approved", "Approved by operation of law"
    # After the decision (issue 13). The metrics read these events: an EXTENDED event means the
    # request was decided under an extended timeframe; an APPEAL_DECIDED event whose to_status is
    # approved means approved after appeal.
    EXTENDED = "extended", "Timeframe extended"
    PEER_TO_PEER_REQUESTED = "peer_to_peer_requested", "Peer-to-peer requested"
    PEER_TO_PEER_SCHEDULED = "peer_to_peer_scheduled", "Peer-to-peer scheduled"
    PEER_TO_PEER_HELD = "peer_to_peer_held", "Peer-to-peer held"
    REDETERMINED = "redetermined", "Decision changed"
    APPEAL_FILED = "appeal_filed", "Appeal filed"
    APPEAL_DECIDED = "appeal_decided", "Appeal decided"
    # The electronic front door (issue 10): a PAS update or cancel from the EHR.
    UPDATED_BY_EHR = "updated_by_ehr", "Updated by the EHR (PAS)"


class RequestEvent(models.Model):
    """One line of a request's timeline: who did what, when and why. Never edited or deleted."""

    request = models.ForeignKey(PriorAuthRequest, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    reason = models.TextField(blank=True)
    internal = models.BooleanField(
        default=False, help_text="Seen by reviewers only (claims, notes); the provider's timeline omits it."
    )

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["request", "at"], name="event_request_at"),
            # The metrics read the events of some kinds over a period (priorauth/metrics).
            models.Index(fields=["kind", "at"], name="event_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        # The timeline is an audit record: a line, once written, stays as written.
        if self.pk is not None:
            raise ValidationError("A request event is never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValidationError("A request event is never deleted.")

    @property
    def to_status_label(self) -> str:
        return Status(self.to_status).label if self.to_status in Status.values else self.to_status


class InformationRequest(models.Model):
    """What a reviewer asked the provider for when pending a request, and the provider's answer."""

    request = models.ForeignKey(
        PriorAuthRequest, on_delete=models.PROTECT, related_name="information_requests"
    )
    needed = models.TextField("information needed")
    respond_by = models.DateTimeField(null=True, blank=True)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return f"Information request {self.pk} on {self.request}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class AttachmentPurpose(models.TextChoices):
    INITIAL = "initial", "With the request"
    PEND_ANSWER = "pend_answer", "Answer to an information request"
    APPEAL = "appeal", "With an appeal"


# The extension a document downloads with, by the content type detected at upload.
DOWNLOAD_EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
SAME_EXTENSIONS = {".jpg": {".jpg", ".jpeg"}}

# Where the documents are stored; nothing else lives there (the prune command relies on it).
ATTACHMENT_DIRECTORY = "attachments"


def attachment_path(instance: Attachment, filename: str) -> str:
    """Return a storage path that carries no part of the uploaded name (it may hold member data)."""
    suffix = pathlib.Path(filename).suffix.lower()[:8]
    return f"{ATTACHMENT_DIRECTORY}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A clinical document, stored under MEDIA_ROOT (outside the web root), served only by checked views."""

    request = models.ForeignKey(PriorAuthRequest, on_delete=models.PROTECT, related_name="attachments")
    information_request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    purpose = models.CharField(
        max_length=20, choices=AttachmentPurpose.choices, default=AttachmentPurpose.INITIAL
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "sha256"], name="attachment_once_per_request"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_inline_safe(self) -> bool:
        return self.content_type in {"application/pdf", "image/png", "image/jpeg"}

    @property
    def download_name(self) -> str:
        """Return the name to save the document under: its uploaded name with the detected type's extension.

        The type was detected from the content, so a PDF uploaded as `labs.html` downloads as
        `labs.pdf` and no browser or desktop treats it as a web page. A name with no stem left
        becomes "document".
        """
        name = pathlib.PurePosixPath(self.original_name.replace("\\", "/")).name
        extension = DOWNLOAD_EXTENSIONS.get(self.content_type, ".bin")
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            stem = name
        elif f".{suffix.lower()}" in SAME_EXTENSIONS.get(extension, {extension}):
            return name
        return f"{stem.strip() or 'document'}{extension}"
