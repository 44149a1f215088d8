"""Sign-in lockouts as supervisors see them: which accounts and addresses are locked, until when.

django-axes keeps one row per (username, address, browser) with its failures and the time of
the last one; an account or an address is locked while the failures of its rows within the
lockout time reach the limit, until the lockout time after the last failure.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone


@dataclass(frozen=True)
class Lockout:
    kind: str  # "account" or "address"
    value: str  # the username or the IP address
    failures: int
    until: datetime.datetime


KINDS = {"account": "username", "address": "ip_address"}


def _recent(now: datetime.datetime) -> QuerySet[AccessAttempt]:
    return AccessAttempt.objects.filter(attempt_time__gte=now - settings.AXES_COOLOFF_TIME)


def lockouts_current(now: datetime.datetime | None = None) -> list[Lockout]:
    """Return the accounts, then the addresses, locked at `now` (default: now), by name."""
    now = now or timezone.now()
    found = []
    for kind, field in KINDS.items():
        rows = (
            _recent(now)
            .exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
            .order_by(field)
        )
        found += [
            Lockout(kind, row[field], row["failures"], row["last"] + settings.AXES_COOLOFF_TIME)
            for row in rows
        ]
    return found


def lockout_ends_at(*, username: str | None, address: str | None) -> datetime.datetime | None:
    """Return when sign-in for the account or from the address unlocks, or None if neither is locked."""
    ends = [
        lockout.until
        for lockout in lockouts_current()
        if (lockout.kind, lockout.value) in {("account", username), ("address", address)}
    ]
    return max(ends, default=None)
