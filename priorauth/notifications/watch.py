"""The periodic jobs' work: the due-time watch and the daily digests (the tasks only call these).

At risk: three quarters of the timeframe used (`at_risk_at <= now < due_at`), no decision,
warned once per clock: the warning's occurrence is the at-risk moment, so a clock restarted by
an answer (a new, later at-risk moment) is warned once more, and the same clock never twice.
Overdue: the due time passed with no decision, warned once a day (an Eastern
calendar day, the plans' working day) until the request is decided. A request whose clock is
stopped by a pend has no due time and is never warned.

Digests: one per reviewer and Eastern day, its row (unique by its dedupe key) the record that
it was given. A day whose run never happened (beat's tick fell in an outage) is caught up by
the next run, together with that run's own day, and no further back than DIGEST_CATCH_UP_DAYS:
a digest shows the queues as they are when it is sent, so an older one only repeats the news.
Someone who never had a digest gets the day's only.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, Max, OuterRef

from priorauth.members.models import User
from priorauth.members.roles import QUEUE_ROLES
from priorauth.notifications.messages import OPEN_STATUSES
from priorauth.notifications.models import Event, Notification
from priorauth.notifications.services import digest_notify, notify_request_event
from priorauth.requests import peer_to_peer
from priorauth.requests.models import PriorAuthRequest
from priorauth.review.models import PeerToPeer, TalkStatus

EASTERN = ZoneInfo("America/New_York")
# How many days before the run's own a missed digest is still caught up.
DIGEST_CATCH_UP_DAYS = 2


def watch_day(now: datetime.datetime) -> str:
    """Return the Eastern calendar day of a moment, as YYYY-MM-DD (the overdue warning's period)."""
    return now.astimezone(EASTERN).date().isoformat()


def at_risk_occurrence(at_risk_at: datetime.datetime) -> str:
    """Return the at-risk warning's occurrence: the at-risk moment in UTC, to the second."""
    return at_risk_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def due_times_watch(*, now: datetime.datetime) -> dict[str, int]:
    """Return how many requests were warned as at risk and as overdue, writing their notifications."""
    warned = Notification.objects.filter(request=OuterRef("pk"))
    open_requests = PriorAuthRequest.objects.filter(status__in=OPEN_STATUSES, due_at__isnull=False)
    # A warning written since the at-risk moment was for this clock (the dedupe key, keyed to
    # the moment, is what guarantees one per clock; this only spares re-checking them each run).
    at_risk = open_requests.filter(at_risk_at__lte=now, due_at__gt=now).exclude(
        Exists(warned.filter(event=Event.AT_RISK, created_at__gte=OuterRef("at_risk_at")))
    )
    day = watch_day(now)
    overdue = open_requests.filter(due_at__lte=now).exclude(
        Exists(warned.filter(event=Event.OVERDUE, occurrence=day))
    )
    counts = {"at_risk": 0, "overdue": 0}
    for pa in at_risk.order_by("due_at"):
        counts["at_risk"] += _warn(pa, Event.AT_RISK, occurrence=at_risk_occurrence(pa.at_risk_at))
    for pa in overdue.order_by("due_at"):
        counts["overdue"] += _warn(pa, Event.OVERDUE, occurrence=day)
    return counts


def _warn(pa: PriorAuthRequest, event: str, *, occurrence: str) -> int:
    # One transaction per request: a failure on one leaves the others warned.
    with transaction.atomic():
        written = notify_request_event(request=pa, event=event, extra={"occurrence": occurrence})
    return 1 if written else 0


def peer_to_peer_reminders_record(*, now: datetime.datetime) -> int:
    """Return how many reminders were written for scheduled peer-to-peer talks: a day and an hour before.

    Each reminder is written once (its occurrence names the talk, its time and which reminder),
    so a talk moved to another time is reminded again for the new time. A reminder whose moment
    fell in an outage is still sent, as long as the talk has not begun.
    """
    horizon = now + max(before for _, before in peer_to_peer.REMINDERS)
    talks = PeerToPeer.objects.filter(status=TalkStatus.SCHEDULED, slot_at__gt=now, slot_at__lte=horizon)
    count = 0
    for talk in talks.select_related("request").order_by("slot_at", "pk"):
        assert talk.slot_at is not None
        for name in peer_to_peer.reminders_due(talk.slot_at, now):
            occurrence = f"{talk.pk}-{talk.slot_at.astimezone(datetime.UTC):%Y%m%dT%H%M}-{name}"
            reminded = Notification.objects.filter(
                event=Event.PEER_TO_PEER_REMINDER, request_id=talk.request_id, occurrence=occurrence
            )
            if reminded.exists():
                continue
            extra = {"occurrence": occurrence, "peer_to_peer_id": talk.pk, "physician_id": talk.physician_id}
            with transaction.atomic():
                written = notify_request_event(
                    request=talk.request, event=Event.PEER_TO_PEER_REMINDER, extra=extra
                )
            count += 1 if written else 0
    return count


def digest_days(*, today: datetime.date, last: str | None) -> list[str]:
    """Return the days (YYYY-MM-DD, oldest first) a reviewer is owed a digest for on `today`.

    The days after their last digest, today included and at most DIGEST_CATCH_UP_DAYS before
    it; none when today's was given; today only when they never had one.
    """
    if last is None:
        return [today.isoformat()]
    window = [today - datetime.timedelta(days=n) for n in range(DIGEST_CATCH_UP_DAYS, -1, -1)]
    return [day.isoformat() for day in window if day.isoformat() > last]


def digests_record(*, now: datetime.datetime) -> int:
    """Return how many digests were written: each reviewer's (anyone assigned to a queue) for today
    and for the days missed since their last one (see the module docstring).
    """
    today = now.astimezone(EASTERN).date()
    reviewers = User.objects.filter(
        is_active=True, role__in=QUEUE_ROLES, queue_assignments__isnull=False
    ).distinct()
    last_days = dict(
        Notification.objects.filter(event=Event.DIGEST, recipient__in=reviewers)
        .values("recipient")
        .annotate(last=Max("occurrence"))
        .values_list("recipient", "last")
    )
    count = 0
    for reviewer in reviewers.order_by("pk"):
        for day in digest_days(today=today, last=last_days.get(reviewer.pk)):
            with transaction.atomic():
                count += 1 if digest_notify(user=reviewer, day=day) else 0
    return count
