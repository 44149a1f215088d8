"""Policy records: what administrators edit and the deferral logic reads.

Every model keeps its versions (who, when, what) through django-simple-history, so a
changed record never loses the version a past decision was made under.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from priorauth.policies import vocab
from priorauth.policies.indications import Indication, problem_lines, read_indications


def _validate_codes(values: object, vocabulary: dict[str, str], what: str) -> None:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError(f"{what} must be a list of codes.")
    unknown = [v for v in values if v not in vocabulary]
    if unknown:
        raise ValidationError(f"Unknown {what}: {', '.join(unknown)}.")


def validate_states(values: object) -> None:
    _validate_codes(values, vocab.US_STATES, "state")


def validate_lines_of_business(values: object) -> None:
    _validate_codes(values, vocab.LINES_OF_BUSINESS, "line of business")


def validate_categories(values: object) -> None:
    _validate_codes(values, vocab.CATEGORIES, "therapy category")


def validate_indications(value: object) -> None:
    _, problems = read_indications(value)
    if problems:
        raise ValidationError(problem_lines(problems))


# HCPCS Level II J-codes are drugs administered other than orally; Q-codes include the CAR-T
# and other cell-therapy biologics billed as drugs. Any other code (a catalog NOC-... code, a
# procedure) is a service unless the product record says otherwise.
DRUG_CODE_PREFIXES = ("J", "Q")


def counts_as_drug_by_code(hcpcs: str) -> bool:
    """Return whether a product code reads as a drug for the CMS-0057-F metrics (J- and Q-codes)."""
    return hcpcs.upper().startswith(DRUG_CODE_PREFIXES)


class SnapshotVersion(models.Model):
    """One row whose token changes whenever a record the deferral snapshot reads is written.

    `selectors.policy_snapshot_cached` keeps the snapshot it built beside the token it read
    first, and builds it again when the token differs. A token, not a counter: a rolled-back
    write returns the row to its old token, and a later write never repeats one.
    """

    token = models.UUIDField(default=uuid.uuid4)

    def __str__(self) -> str:
        return str(self.token)


def snapshot_records_changed() -> None:
    """Give the snapshot a new token in the caller's transaction: the write and the token commit together."""
    if not SnapshotVersion.objects.filter(pk=1).update(token=uuid.uuid4()):
        SnapshotVersion.objects.get_or_create(pk=1)


class SnapshotRecordQuerySet(models.QuerySet):
    """Writes of many rows at once change the snapshot's token too (save and delete do by signal)."""

    def update(self, **kwargs: Any) -> int:
        snapshot_records_changed()
        return super().update(**kwargs)

    def bulk_create(self, *args: Any, **kwargs: Any) -> Any:
        snapshot_records_changed()
        return super().bulk_create(*args, **kwargs)

    def bulk_update(self, *args: Any, **kwargs: Any) -> Any:
        snapshot_records_changed()
        return super().bulk_update(*args, **kwargs)


SnapshotRecordManager = models.Manager.from_queryset(SnapshotRecordQuerySet)


class Product(models.Model):
    hcpcs = models.CharField(
        "HCPCS or catalog code",
        max_length=40,
        unique=True,
        help_text="The product's own HCPCS code, or a catalog code NOC-... for a product billed "
        "under an unclassified code.",
    )
    brand = models.CharField(max_length=200)
    generic = models.CharField("generic name", max_length=300)
    manufacturer = models.CharField(max_length=300, blank=True)
    category = models.CharField(max_length=40, choices=vocab.choices(vocab.CATEGORIES))
    genetically_modified = models.BooleanField(default=True)
    benefit = models.CharField(max_length=20, choices=vocab.choices(vocab.BENEFITS), default="medical")
    requires_prior_auth = models.BooleanField("requires prior authorization", default=True)
    # CMS-0057-F's public prior-authorization metrics leave drugs out, physician-administered
    # ones included (45 CFR 156.223(a)(2) for QHP issuers on the FFEs; 89 FR 8758). Most of our
    # products are biologics billed as drugs; whether one is left out is the administrator's
    # call, by default read from its code (`counts_as_drug_by_code`).
    cms_counts_as_drug = models.BooleanField(
        "a drug for the CMS metrics",
        null=True,
        blank=True,
        help_text="Unknown (empty): decided by the code: J- and Q-codes are drugs and left out of the "
        "public CMS-0057-F figures; any other code counts as a service. Our own figures count everything.",
    )
    indication = models.TextField(blank=True)
    # A JSON list, not a related table: a label changes as a whole, so one product version in
    # the history holds one label, and the bundle carries it inside the product entry.
    indications = models.JSONField(
        "FDA-labeled indications (structured)",
        default=list,
        blank=True,
        validators=[validate_indications],
        help_text="Each indication: its condition, ICD-10-CM codes and the label's conditions, with "
        "the mapping's clinical sign-off (priorauth/policies/indications.py).",
    )
    objects = SnapshotRecordManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["brand"]

    def __str__(self) -> str:
        return f"{self.brand} ({self.generic}) {self.hcpcs}"

    @property
    def excluded_from_cms_metrics(self) -> bool:
        """Return whether the CMS-0057-F figures leave this product out as a drug (setting, else code)."""
        if self.cms_counts_as_drug is not None:
            return self.cms_counts_as_drug
        return counts_as_drug_by_code(self.hcpcs)

    @property
    def labeled_indications(self) -> tuple[Indication, ...]:
        """Return the stored indications as records; an unreadable stored value reads as none."""
        indications, problems = read_indications(self.indications)
        return () if problems else indications


class Policy(models.Model):
    """One version of a policy statement: the same number may have several, by effective date."""

    number = models.CharField(max_length=40, db_index=True)
    title = models.CharField(max_length=300)
    type = models.CharField(max_length=20, choices=vocab.choices(vocab.POLICY_TYPES))
    lines_of_business = models.JSONField(default=list, validators=[validate_lines_of_business])
    states = models.JSONField(default=list, validators=[validate_states])
    effective = models.DateField("date effective")
    archived = models.DateField("date archived", null=True, blank=True)
    products = models.ManyToManyField(Product, blank=True, related_name="policies")
    categories = models.JSONField(default=list, blank=True, validators=[validate_categories])
    subject = models.TextField("A. Subject", blank=True)
    background = models.TextField("B. Background", blank=True)
    definitions = models.TextField("C. Definitions", blank=True)
    policy = models.TextField("D. Policy", blank=True)
    state_specific = models.TextField("E. State-specific information", blank=True)
    conditions = models.TextField("F. Conditions of coverage", blank=True)
    related = models.JSONField("G. Related policies/rules", default=list, blank=True)
    references = models.TextField("I. References", blank=True)
    objects = SnapshotRecordManager()
    history = HistoricalRecords(m2m_fields=[products])

    class Meta:
        ordering = ["number", "-effective"]
        verbose_name_plural = "policies"
        constraints = [
            models.UniqueConstraint(fields=["number", "effective"], name="policy_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title} (effective {self.effective:%m/%d/%Y})"

    def clean(self) -> None:
        if self.archived and self.effective and self.archived <= self.effective:
            raise ValidationError({"archived": "The archived date must be after the effective date."})

    def is_in_effect(self, on: datetime.date) -> bool:
        """Return whether this version applies on a date (archived date exclusive)."""
        return self.effective <= on and (self.archived is None or on < self.archived)


class PolicyRevision(models.Model):
    """A line of section H, Review/Revision History."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="revisions")
    date = models.DateField()
    action = models.CharField(max_length=500)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = "review/revision history entry"
        verbose_name_plural = "H. Review/revision history"

    def __str__(self) -> str:
        return f"{self.date:%m/%d/%Y} {self.action}"


class Criterion(models.Model):
    """One line of a criteria policy's checklist: what a reviewer checks, in the policy's order.

    On a medical or pharmacy policy, its coverage criteria. On the administrative policy that
    governs (MP-AD-1623), the general medical-necessity criteria of its own definition, applied
    when no medical or pharmacy policy is active.
    """

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0, help_text="The order the reviewer sees.")
    text = models.TextField(help_text="The criterion, as the policy words it.")
    section = models.CharField(
        max_length=100, help_text="Where in the policy it comes from, e.g. Preamble or D.I.2."
    )
    group = models.CharField(
        "one-of group",
        max_length=100,
        blank=True,
        help_text="Empty: the criterion is required. Criteria sharing a group label: one of them is enough.",
    )
    evidence = models.TextField(
        "what shows it",
        help_text="The evidence that shows the criterion is met, in plain words: a denial letter tells "
        "the provider this is what would change the decision.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["policy", "position", "pk"]
        verbose_name = "criterion"
        verbose_name_plural = "criteria (the reviewer's checklist)"

    def __str__(self) -> str:
        return f"{self.section}: {self.text[:80]}"


class ReviewQueue(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    objects = SnapshotRecordManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} [{self.code}]"


class RoutingEntry(models.Model):
    """Maps a routing key, optionally refined by therapy category, to a review queue."""

    key = models.CharField("routing key", max_length=40, choices=vocab.choices(vocab.ROUTING_KEYS))
    category = models.CharField(
        max_length=40,
        blank=True,
        default="",
        choices=vocab.choices(vocab.CATEGORIES),
        help_text="Leave empty for the key's default; a category-specific entry beats it.",
    )
    queue = models.ForeignKey(ReviewQueue, on_delete=models.PROTECT, related_name="routing_entries")
    objects = SnapshotRecordManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["key", "category"]
        verbose_name = "routing table entry"
        verbose_name_plural = "routing table"
        constraints = [
            models.UniqueConstraint(fields=["key", "category"], name="routing_key_category_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} / {self.category or 'any category'} -> {self.queue.code}"


class TimeframeRule(models.Model):
    applies_to = models.CharField(
        max_length=20,
        choices=vocab.choices(vocab.TIMEFRAME_APPLIES_TO),
        default="request",
        help_text="Requests are routed and timed by request rules; internal appeals by appeal rules.",
    )
    urgency = models.CharField(max_length=20, choices=vocab.choices(vocab.URGENCIES))
    state = models.CharField(
        max_length=2,
        help_text="A state code, or * for the federal default that applies everywhere.",
    )
    unit = models.CharField(max_length=20, choices=vocab.choices(vocab.TIMEFRAME_UNITS))
    amount = models.PositiveIntegerField()
    clock = models.CharField(max_length=20, choices=vocab.choices(vocab.CLOCKS), default="receipt")
    pauses_when_pended = models.BooleanField(default=False)
    missed = models.CharField(max_length=20, choices=vocab.choices(vocab.MISSED), default="breach")
    source = models.CharField(max_length=300, blank=True, help_text="The law or rule it comes from.")
    # Whether, and by how long, a reviewer may extend a request's timeframe once (the federal
    # standard pre-service rule: 15 days, 29 CFR 2560.503-1(f)(2)(iii)(A)). Empty: no extension.
    extension_unit = models.CharField(
        max_length=20, choices=vocab.choices(vocab.TIMEFRAME_UNITS), blank=True, default=""
    )
    extension_amount = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="How long a reviewer may extend the timeframe, once; empty when it may not be extended. "
        "Expedited requests are never extended (29 CFR 2560.503-1(f)(2)(i)): they may only be pended.",
    )
    objects = SnapshotRecordManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["applies_to", "urgency", "state"]
        constraints = [
            models.UniqueConstraint(
                fields=["applies_to", "urgency", "state"], name="timeframe_for_urgency_state_unique"
            ),
        ]

    def __str__(self) -> str:
        appeal = "appeal " if self.applies_to == "appeal" else ""
        return f"{appeal}{self.urgency} {self.state}: {self.amount} {self.get_unit_display().lower()}"

    def clean(self) -> None:
        if self.state != vocab.ANY_STATE and self.state not in vocab.US_STATES:
            raise ValidationError({"state": f"Unknown state {self.state!r}: use a state code or *."})
        # No amount yet (left empty or not a number): the field says so already.
        problem = vocab.timeframe_amount_problem(self.unit, self.amount) if self.amount is not None else ""
        if problem:
            # The same bound as an imported bundle's: a typo here would break every due time it gives.
            raise ValidationError({"amount": f"The amount is {problem}."})
        if problem := vocab.extension_problem(
            self.urgency, self.extension_unit, self.extension_amount, self.unit
        ):
            raise ValidationError({"extension_amount": problem})


class Holiday(models.Model):
    """A date that business hours and business days skip."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=200, blank=True)
    objects = SnapshotRecordManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%m/%d/%Y} {self.name}".strip()
