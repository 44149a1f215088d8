"""The PHI access log: one row per read of health information, never changed, never deleted.

A row says who read what, when and from where, and whose information it was (the member),
for the accounting of disclosures. It holds ids and codes only, never health information:
no names, no diagnoses, no free text. Its references are plain ids without database
constraints, so deleting a member or a user never touches (or is blocked by) the log, which
must outlive them; the database itself refuses UPDATE and DELETE (triggers.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    REQUEST = "request", "Request page"
    DOCUMENT = "document", "Document"
    LETTER = "letter", "Letter page"
    LETTER_PDF = "letter_pdf", "Letter PDF"
    MEMBER = "member", "Member page"
    MEMBER_LOOKUP = "member_lookup", "Member lookup result"
    REVIEW = "review", "Review screen"
    ADMIN_MEMBER = "admin_member", "Admin: member"
    ADMIN_REQUEST = "admin_request", "Admin: request"
    ACCESS_LOG = "access_log", "PHI access log"
    DISCLOSURES = "disclosures", "Accounting of disclosures"
    # An answer of the PAS API (issue 10) carrying the request and its member, read by an EHR.
    PAS_ANSWER = "pas_answer", "API answer (Da Vinci PAS)"


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    DOWNLOAD = "download", "Downloaded"
    SEARCH = "search", "Searched"
    EXPORT = "export", "Exported"


# What reading each kind of object is, unless the caller says otherwise.
DEFAULT_ACTIONS: dict[str, str] = {
    Kind.DOCUMENT: Action.DOWNLOAD,
    Kind.LETTER_PDF: Action.DOWNLOAD,
    Kind.MEMBER_LOOKUP: Action.SEARCH,
}

SUPERUSER_ROLE = "superuser"


def _untied(model: str) -> models.ForeignKey:
    # A reference the log keeps after its target is gone: no constraint, no cascade.
    return models.ForeignKey(
        model, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )


class PhiAccess(models.Model):
    at = models.DateTimeField(default=timezone.now)
    user = _untied(settings.AUTH_USER_MODEL)
    # As they were at the time of the read: a user may be renamed, change role or leave.
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=30, blank=True)
    organization = _untied("members.ProviderOrganization")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    action = models.CharField(max_length=10, choices=Action.choices)
    object_id = models.BigIntegerField(null=True, blank=True, help_text="The primary key of what was read.")
    member = _untied("members.Member")
    request = _untied("requests.PriorAuthRequest")
    address = models.GenericIPAddressField(null=True, blank=True, help_text="REMOTE_ADDR of the reader.")

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "PHI access"
        verbose_name_plural = "PHI access log"
        indexes = [
            models.Index(fields=["at"], name="phiaccess_at"),
            models.Index(fields=["member", "at"], name="phiaccess_member"),
            models.Index(fields=["user", "at"], name="phiaccess_user"),
            models.Index(fields=["request", "at"], name="phiaccess_request"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.action} {self.kind} {self.object_id} at {self.at:%Y-%m-%d %H:%M:%S}"
