"""Members, their plans and coverage, provider organizations and the people who log in."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords
from stdnum import exceptions as stdnum_errors
from stdnum.us import ein

from priorauth.policies import vocab
from priorauth.policies.models import Product, SnapshotRecordManager, validate_categories


class Role(models.TextChoices):
    PROVIDER_STAFF = "provider_staff", "Provider office staff"
    CLINICAL_REVIEWER = "clinical_reviewer", "Clinical reviewer (nurse)"
    PHYSICIAN_REVIEWER = "physician_reviewer", "Physician reviewer (medical director)"
    SUPERVISOR = "supervisor", "Supervisor"
    POLICY_ADMIN = "policy_admin", "Policy administrator"
    ENROLLMENT_ADMIN = "enrollment_admin", "Enrollment administrator"
    PRIVACY_OFFICER = "privacy_officer", "Privacy officer"


class Specialty(models.TextChoices):
    """A physician's specialty, from the boards that certify the doctors who order and review
    these therapies (a clinical peer is judged by it: `priorauth.appeals.peers`)."""

    HEMATOLOGY_ONCOLOGY = "hematology_oncology", "Hematology and oncology"
    MEDICAL_ONCOLOGY = "medical_oncology", "Medical oncology"
    HEMATOLOGY = "hematology", "Hematology"
    PEDIATRIC_HEMATOLOGY_ONCOLOGY = "pediatric_hematology_oncology", "Pediatric hematology-oncology"
    TRANSPLANT_CELLULAR_THERAPY = "transplant_cellular_therapy", "Transplant and cellular therapy"
    NEUROLOGY = "neurology", "Neurology"
    CHILD_NEUROLOGY = "child_neurology", "Child neurology"
    OPHTHALMOLOGY = "ophthalmology", "Ophthalmology"
    MEDICAL_GENETICS = "medical_genetics", "Medical genetics and genomics"
    UROLOGY = "urology", "Urology"
    DERMATOLOGY = "dermatology", "Dermatology"
    GASTROENTEROLOGY = "gastroenterology", "Gastroenterology"
    ENDOCRINOLOGY = "endocrinology", "Endocrinology"
    INTERNAL_MEDICINE = "internal_medicine", "Internal medicine"
    PEDIATRICS = "pediatrics", "Pediatrics"
    FAMILY_MEDICINE = "family_medicine", "Family medicine"
    OTHER = "other", "Other"


TIN_FORMAT = "A TIN is the 9-digit employer identification number of the organization, written 12-3456789."


def validate_tin(value: str) -> None:
    """Raise ValidationError unless the value is a US employer identification number (9 digits).

    The dash after the second digit is optional. An organization's TIN is its EIN, so the IRS's
    list of assigned two-digit prefixes applies (python-stdnum keeps it).
    """
    try:
        ein.validate(value)
    except stdnum_errors.InvalidComponent as error:
        raise ValidationError(
            "%(tin)s is not a valid TIN: no employer identification number starts with %(prefix)s. "
            "Please check for a typo.",
            code="invalid_tin",
            params={"tin": value.strip(), "prefix": ein.compact(value)[:2]},
        ) from error
    except stdnum_errors.ValidationError as error:
        raise ValidationError(TIN_FORMAT, code="invalid_tin") from error


class ProviderOrganization(models.Model):
    name = models.CharField(max_length=200)
    npi = models.CharField("NPI", max_length=10, unique=True)
    tin = models.CharField(
        "TIN",
        max_length=10,
        validators=[validate_tin],
        help_text="The employer identification number: 9 digits, e.g. 12-3456789 (stored without the dash).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (NPI {self.npi})"

    def clean(self) -> None:
        # Stored as 9 digits, so a search or an export finds one spelling.
        if self.tin:
            self.tin = ein.compact(self.tin)


class User(AbstractUser):
    role = models.CharField(max_length=30, choices=Role.choices, blank=True)
    organization = models.ForeignKey(
        ProviderOrganization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text="Provider office staff belong to exactly one organization.",
    )
    specialty = models.CharField(
        max_length=40,
        choices=Specialty.choices,
        blank=True,
        # Rows written by older code (a deploy's old workers, the migration tests) get none.
        db_default="",
        help_text="A physician reviewer's specialty: states ask appeals to go to a clinical peer.",
    )
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        help_text="The reviewer's supervisor or lead physician: an appeal is never decided by "
        "someone who reports to the physician who made the first decision.",
    )

    def clean(self) -> None:
        super().clean()
        if self.role == Role.PROVIDER_STAFF and self.organization_id is None:
            raise ValidationError({"organization": "Provider office staff must belong to an organization."})
        if self.role != Role.PROVIDER_STAFF and self.organization_id is not None:
            raise ValidationError({"organization": "Only provider office staff belong to an organization."})
        if self.reports_to_id is not None and self.reports_to_id == self.pk:
            raise ValidationError({"reports_to": "A person cannot report to themselves."})


class Plan(models.Model):
    """A benefit plan: its line of business, state and Schedule of Benefits exclusions."""

    code = models.CharField(max_length=60, unique=True)
    name = models.CharField(max_length=200, blank=True)
    line_of_business = models.CharField(max_length=20, choices=vocab.choices(vocab.LINES_OF_BUSINESS))
    state = models.CharField(max_length=2, choices=sorted(vocab.US_STATES.items()))
    excluded_products = models.ManyToManyField(Product, blank=True, related_name="excluded_by_plans")
    excluded_categories = models.JSONField(default=list, blank=True, validators=[validate_categories])
    no_auth_products = models.ManyToManyField(
        Product,
        blank=True,
        related_name="no_auth_plans",
        help_text="Products this plan does not subject to prior authorization.",
    )
    # NCQA UM 7 and the states (IN, WV) want the reviewer available to discuss a denial; how long
    # after the notice the provider may ask is the plan's to set.
    peer_to_peer_days = models.PositiveSmallIntegerField(
        "peer-to-peer window (days)",
        # In the database too: rows written by code that predates the field still get the window.
        default=14,
        db_default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="How many days after an adverse determination the provider may ask for a "
        "peer-to-peer talk.",
    )
    objects = SnapshotRecordManager()
    history = HistoricalRecords(m2m_fields=[excluded_products, no_auth_products])

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Member(models.Model):
    member_id = models.CharField("member ID", max_length=30, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="members")
    # 45 CFR 147.136(e): a member may ask for notices in their language. Letters are written in
    # English and Spanish (letters/text/); a member who prefers another language gets English
    # with the taglines, and an interpreter on the phone.
    preferred_language = models.CharField(
        max_length=12,
        blank=True,
        default="",
        db_default="",
        help_text="The language the member asked to get notices in, as a code such as es (Spanish). "
        "Blank: English.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name} ({self.member_id})"

    def coverage_on(self, day: datetime.date) -> CoveragePeriod | None:
        """Return the coverage period active on a day (both ends inclusive), or None."""
        for period in self.coverage_periods.all():
            if period.covers(day):
                return period
        return None


class CoveragePeriod(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="coverage_periods")
    start = models.DateField()
    end = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.start:%m/%d/%Y} - {self.end:%m/%d/%Y}"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "Coverage cannot end before it starts."})

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end
