"""The member lookup's counters: each lookup a user made lately, and the member IDs locked for them.

They live in the database, not the cache: the default cache is each process's own memory,
so gunicorn's workers would each count separately, and Redis is optional in development.
A member ID is kept only as a keyed hash (`member_key`), never as itself: these rows, like
logs, hold no health information. Rows older than the longest window are pruned every
10 minutes (the periodic task `lookup.prune`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class LookupAttempt(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    member_key = models.CharField(max_length=64, help_text="A keyed hash of the member ID looked up.")
    found = models.BooleanField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "member_key", "at"], name="lookup_attempt_user_key")]

    def __str__(self) -> str:
        return f"lookup by user {self.user_id} at {self.at:%Y-%m-%d %H:%M:%S}"


class LookupLock(models.Model):
    """A member ID locked for one user after repeated misses: no lookup of it until `until`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    member_key = models.CharField(max_length=64)
    until = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "member_key"], name="lookup_lock_once")]

    def __str__(self) -> str:
        return f"lookup lock for user {self.user_id} until {self.until:%Y-%m-%d %H:%M:%S}"
