"""What the review screen shows of the peer-to-peer talks and the extension, for a reviewer.

Which forms to offer is a courtesy to the reader; the services still decide (and refuse).
"""

from __future__ import annotations

import datetime
from typing import Any

from priorauth.members.models import Role, User
from priorauth.requests import extension
from priorauth.requests.models import PriorAuthRequest, Status
from priorauth.review.access import is_supervisor


def open_talk(pa: PriorAuthRequest) -> Any:
    """Return the request's peer-to-peer talk still to be held (at most one at a time), or None."""
    return pa.peer_to_peer_talks.exclude(status="held").select_related("physician").first()


def talk_actions(user: User, pa: PriorAuthRequest) -> set[str]:
    """Return the peer-to-peer forms to show: schedule (physicians, supervisors), then the outcome."""
    talk = open_talk(pa)
    if talk is None or not (user.role == Role.PHYSICIAN_REVIEWER or is_supervisor(user)):
        return set()
    shown = {"talk_schedule"}
    if talk.status == "scheduled" and (talk.physician_id == user.pk or is_supervisor(user)):
        shown.add("talk_upheld")
        if talk.determination_id and user.role == Role.PHYSICIAN_REVIEWER:
            shown.add("talk_changed")
    return shown


def extension_shown(user: User, pa: PriorAuthRequest, now: datetime.datetime) -> dict[str, Any]:
    """Return whether this reviewer may extend the timeframe now, and why not, for the screen."""
    problem = extension.extension_problem(
        urgency=pa.urgency, due_rule=pa.due_rule, due_at=pa.due_at, extended_at=pa.extended_at, now=now
    )
    return {
        "problem": problem,
        "words": extension.extension_words(pa.due_rule),
        "shown": pa.claimed_by_id == user.pk and pa.status == Status.IN_REVIEW,
    }
