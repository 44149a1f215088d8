"""The member lookup and its limits: one rule for every front door (the web form, the FHIR API).

A member ID and a date of birth find a member; both must match. Guessing birth dates for a
known member ID is what the limits stop: after MISSES_BEFORE_LOCK misses on one member ID
within MISS_WINDOW, that member ID is locked for that user for LOCK_FOR, even for the right
date of birth; a user makes at most LOOKUPS_PER_WINDOW lookups within LOOKUP_WINDOW, and at most
MISSES_PER_WINDOW misses over all member IDs. An EHR's API client, which matches its members
exactly, is given a higher lookup limit by its caller (`lookups_per_window`, the setting
PAS_LOOKUPS_PER_WINDOW); the miss limits, which stop probing, are the same for everyone.
Each lock and each tripped limit tells the supervisors once (in-app, no health information).

A user's lookups run one at a time: the transaction locks the user's row (PostgreSQL) or the
database (SQLite's BEGIN IMMEDIATE), so two concurrent misses cannot both count as the fourth.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from priorauth.audit.models import Kind
from priorauth.audit.services import phi_read
from priorauth.lookup.models import LookupAttempt, LookupLock
from priorauth.members.models import Member, User
from priorauth.members.selectors import member_find
from priorauth.notifications.models import Event
from priorauth.notifications.services import notifications_write, queue_supervisors

log = logging.getLogger(__name__)

MISSES_BEFORE_LOCK = 5
MISS_WINDOW = datetime.timedelta(minutes=15)
LOCK_FOR = datetime.timedelta(minutes=30)
LOOKUPS_PER_WINDOW = 30
LOOKUP_WINDOW = datetime.timedelta(minutes=10)
# Misses over every member ID within LOOKUP_WINDOW: what stops probing when the lookup limit is high.
MISSES_PER_WINDOW = LOOKUPS_PER_WINDOW
_KEY_SALT = "priorauth.lookup.member-key"

LOCKED = (
    "Too many unsuccessful lookups of this member ID from your account. To protect the member's "
    "privacy, lookups of this member ID are paused for you until {until}. Please check the member "
    "ID and date of birth on the member's card; a supervisor has been told."
)
PROBING = (
    "You have made {count} unsuccessful member lookups in the last {minutes} minutes, the most "
    "allowed. Please check the member IDs and dates of birth, and try again after {until}."
)
THROTTLED = (
    "You have made {count} member lookups in the last {minutes} minutes, the most allowed. "
    "Please try again after {until}."
)


class LookupRefused(Exception):
    """A lookup refused by a limit; `message` says why and until when, naming no one."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def member_key(member_id: str) -> str:
    """Return a keyed hash of a member ID (case and spaces ignored): countable, not reversible."""
    return salted_hmac(_KEY_SALT, member_id.strip().upper(), algorithm="sha256").hexdigest()


def _clock(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%I:%M %p %Z").lstrip("0")


@dataclass(frozen=True)
class _Recent:
    lookups: int
    misses: int
    oldest: datetime.datetime | None


def lookup_member(
    *,
    user: User,
    member_id: str,
    date_of_birth: datetime.date,
    lookups_per_window: int = LOOKUPS_PER_WINDOW,
) -> Member | None:
    """Return the member with this member ID and date of birth, or None; raise LookupRefused.

    A member found is a read of health information (the access log's "member lookup result").
    """
    key = member_key(member_id)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        now = timezone.now()
        _refuse_if_locked(user, key, now)
        recent = _recent(user, now)
        _refuse_if_too_many(user, recent, lookups_per_window)
        member = member_find(member_id=member_id, date_of_birth=date_of_birth)
        attempt = LookupAttempt.objects.create(user=user, member_key=key, found=member is not None, at=now)
        lock = _after_miss(user, key, now) if member is None else None
        # The user's row is locked, so the window now holds exactly the attempts counted and this one.
        if recent.lookups + 1 == lookups_per_window:
            _tell_supervisors(
                user, "throttled", f"throttle:{attempt.pk}", count=lookups_per_window, window=LOOKUP_WINDOW
            )
        elif member is None and recent.misses + 1 == MISSES_PER_WINDOW:
            _tell_supervisors(
                user, "probing", f"probing:{attempt.pk}", count=MISSES_PER_WINDOW, window=LOOKUP_WINDOW
            )
    if lock is not None:
        # Raised after the commit: the miss and the lock it caused stand.
        raise LookupRefused(LOCKED.format(until=_clock(lock.until)))
    if member is not None:
        phi_read(user=user, kind=Kind.MEMBER_LOOKUP, object_id=member.pk, member_id=member.pk)
    return member


def lookups_prune(*, now: datetime.datetime) -> int:
    """Delete the attempts older than the longest window and the locks that have ended; return how many.

    Nothing reads them any more (every limit looks within its window): a periodic task
    (`lookup.prune`) keeps the tables small, so a lookup itself deletes nothing.
    """
    attempts, _ = LookupAttempt.objects.filter(at__lt=now - max(MISS_WINDOW, LOOKUP_WINDOW)).delete()
    locks, _ = LookupLock.objects.filter(until__lte=now).delete()
    return attempts + locks


def _refuse_if_locked(user: User, key: str, now: datetime.datetime) -> None:
    lock = LookupLock.objects.filter(user=user, member_key=key, until__gt=now).first()
    if lock is not None:
        log.warning("member lookup refused: locked (user %s, member key %s)", user.pk, key[:12])
        raise LookupRefused(LOCKED.format(until=_clock(lock.until)))


def _recent(user: User, now: datetime.datetime) -> _Recent:
    """Return the user's lookups and misses within the window, and the oldest's time, in one query."""
    counts = LookupAttempt.objects.filter(user=user, at__gt=now - LOOKUP_WINDOW).aggregate(
        lookups=Count("pk"), misses=Count("pk", filter=Q(found=False)), oldest=Min("at")
    )
    return _Recent(lookups=counts["lookups"], misses=counts["misses"], oldest=counts["oldest"])


def _refuse_if_too_many(user: User, recent: _Recent, lookups_per_window: int) -> None:
    if recent.oldest is None:
        return
    minutes = int(LOOKUP_WINDOW.total_seconds() // 60)
    if recent.lookups >= lookups_per_window:
        log.warning("member lookup refused: %s lookups in the window (user %s)", recent.lookups, user.pk)
        raise LookupRefused(
            THROTTLED.format(
                count=recent.lookups, minutes=minutes, until=_clock(recent.oldest + LOOKUP_WINDOW)
            )
        )
    if recent.misses >= MISSES_PER_WINDOW:
        # Until the oldest attempt leaves the window: a bound on the wait, whichever attempt was a miss.
        log.warning("member lookup refused: %s misses in the window (user %s)", recent.misses, user.pk)
        raise LookupRefused(
            PROBING.format(count=recent.misses, minutes=minutes, until=_clock(recent.oldest + LOOKUP_WINDOW))
        )


def _after_miss(user: User, key: str, now: datetime.datetime) -> LookupLock | None:
    """Count the miss; return the lock it caused, if it was one too many."""
    misses = LookupAttempt.objects.filter(
        user=user, member_key=key, found=False, at__gt=now - MISS_WINDOW
    ).count()
    log.warning("member lookup miss (user %s, member key %s, %s in the window)", user.pk, key[:12], misses)
    if misses < MISSES_BEFORE_LOCK:
        return None
    until = now + LOCK_FOR
    lock, _ = LookupLock.objects.update_or_create(
        user=user, member_key=key, defaults={"until": until, "created_at": now}
    )
    log.warning("member lookup locked (user %s, member key %s) until %s", user.pk, key[:12], until)
    _tell_supervisors(user, "locked", f"lock:{lock.pk}:{now:%Y%m%d%H%M%S}", count=misses, window=MISS_WINDOW)
    return lock


def _tell_supervisors(
    user: User, reason: str, occurrence: str, *, count: int, window: datetime.timedelta
) -> None:
    """Write the supervisors' in-app notice: who, what happened, how often; never which member."""
    notifications_write(
        event=Event.LOOKUP_BURST,
        request=None,
        occurrence=occurrence,
        recipients=queue_supervisors(None),
        context={
            "user_id": user.pk,
            "username": user.get_username(),
            "reason": reason,
            "count": count,
            "window_minutes": int(window.total_seconds() // 60),
            "lock_minutes": int(LOCK_FOR.total_seconds() // 60),
        },
    )
