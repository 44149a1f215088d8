"""Peer-to-peer talks: office staff ask, a physician reviewer schedules, the talk's outcome is recorded.

Every service runs in one transaction, locks the request row, records a timeline event (which
the metrics read) and writes its notifications (no phone, no times offered, no clinical text:
`priorauth.notifications.messages`). A refused action raises ReviewError and writes nothing.

A talk after an adverse determination may change the decision. The change is a new
determination that supersedes the one talked about, with its own letter that says why; the
old one and its letter stay in the history. Its adverse part (a denial, a partial approval, a
modification) is a physician's alone, as any adverse determination is (NCQA UM 4, URAC).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from priorauth import limits
from priorauth.members.models import Role, User
from priorauth.notifications.models import Event as NotificationEvent
from priorauth.notifications.services import notify_request_event
from priorauth.requests import peer_to_peer as rules
from priorauth.requests.access import is_provider_staff
from priorauth.requests.models import EASTERN, EventKind, PriorAuthRequest, Status
from priorauth.review.access import is_supervisor, reviewer_may_see
from priorauth.review.common import ReviewError, event, name_of, required
from priorauth.review.determinations import close, determination_fields, summary
from priorauth.review.models import Determination, PeerToPeer, TalkOutcome, TalkStatus

PENDING = (TalkStatus.REQUESTED, TalkStatus.SCHEDULED)


def _locked_request(request_id: int) -> PriorAuthRequest | None:
    return (
        PriorAuthRequest.objects.select_for_update(of=("self",))
        .select_related("member__plan", "product", "queue")
        .filter(pk=request_id)
        .first()
    )


def request_problem(pa: PriorAuthRequest, now: datetime.datetime) -> str:
    """Return why office staff may not ask for a peer-to-peer talk on this request now; "" if they may."""
    return rules.request_problem(
        status=pa.status,
        needs_physician=pa.needs_physician,
        decided_at=pa.decided_at,
        window_days=pa.member.plan.peer_to_peer_days,
        now=now,
        talk_pending=pa.peer_to_peer_talks.filter(status__in=PENDING).exists(),
    )


@transaction.atomic
def peer_to_peer_request(*, user: User, request_id: int, phone: str, availability: str) -> PeerToPeer:
    """Return the talk asked for by office staff of the request's organization.

    Refused: anyone else (as if the request did not exist); outside the windows of
    `requests.peer_to_peer.request_problem`; a phone that is not a US number; no times given.
    The queue's physician reviewers and its supervisors are told (no phone, no times).
    """
    pa = _locked_request(request_id)
    if pa is None or not is_provider_staff(user) or pa.organization_id != user.organization_id:
        raise ReviewError("No such request.")
    phone = (phone or "").strip()
    if problem := rules.phone_problem(phone):
        raise ReviewError(problem)
    availability = required(
        availability, "the times that suit the ordering physician", rules.AVAILABILITY_LIMIT
    )
    now = timezone.now()
    if problem := request_problem(pa, now):
        raise ReviewError(problem)
    talk = PeerToPeer.objects.create(
        request=pa,
        determination=pa.determination if pa.status in rules.ADVERSE_STATUSES else None,
        requested_by=user,
        requested_at=now,
        phone=phone,
        availability=availability,
    )
    # The phone and the times are on the talk's row, not on the timeline the metrics read.
    event(pa, actor=user, kind=EventKind.PEER_TO_PEER_REQUESTED, reason="Peer-to-peer talk requested.")
    notify_request_event(
        request=pa,
        event=NotificationEvent.PEER_TO_PEER_REQUESTED,
        actor=user,
        extra={"peer_to_peer_id": talk.pk},
    )
    return talk


def _locked_talk(user: User, talk_id: int, request_id: int) -> tuple[PeerToPeer, PriorAuthRequest]:
    """Return the talk and its request, both locked; one the user may not see is refused as unknown."""
    talk = PeerToPeer.objects.select_for_update().filter(pk=talk_id, request_id=request_id).first()
    pa = _locked_request(talk.request_id) if talk is not None else None
    if talk is None or pa is None or not reviewer_may_see(user, pa):
        raise ReviewError("No such peer-to-peer talk.")
    return talk, pa


def _physician_for(user: User, physician: User | None) -> User:
    """Return who talks: the physician reviewer acting, or the one a supervisor schedules for."""
    if user.role == Role.PHYSICIAN_REVIEWER:
        return user
    if not is_supervisor(user):
        raise ReviewError(
            "Only a physician reviewer, or a supervisor for one, can schedule a peer-to-peer talk."
        )
    if physician is None or physician.role != Role.PHYSICIAN_REVIEWER or not physician.is_active:
        raise ReviewError("Please choose the physician reviewer who will talk with the ordering physician.")
    return physician


@transaction.atomic
def peer_to_peer_schedule(
    *,
    user: User,
    request_id: int,
    talk_id: int,
    slot_at: datetime.datetime | None,
    physician: User | None = None,
) -> PeerToPeer:
    """Return the talk, scheduled at `slot_at` with a physician reviewer; both sides are told.

    A physician reviewer schedules for themselves; a supervisor for a physician they name. The
    physician may not be the one who submitted or escalated the request. A scheduled talk may
    be moved to another time (told again); a held one no longer.
    """
    talk, pa = _locked_talk(user, talk_id, request_id)
    physician = _physician_for(user, physician)
    if talk.status == TalkStatus.HELD:
        raise ReviewError("This peer-to-peer talk was already held.")
    if physician.pk in (pa.submitted_by_id, pa.escalated_by_id):
        raise ReviewError(
            f"{name_of(physician)} submitted or escalated this request; another physician must talk."
        )
    now = timezone.now()
    if problem := rules.slot_problem(slot_at, now):
        raise ReviewError(problem)
    talk.status, talk.physician, talk.slot_at = TalkStatus.SCHEDULED, physician, slot_at
    talk.scheduled_by, talk.scheduled_at = user, now
    talk.save()
    assert slot_at is not None
    local = slot_at.astimezone(EASTERN)
    event(
        pa,
        actor=user,
        kind=EventKind.PEER_TO_PEER_SCHEDULED,
        reason=f"Peer-to-peer talk with {name_of(physician)} on {local:%m/%d/%Y %I:%M %p} ET.",
    )
    notify_request_event(
        request=pa,
        event=NotificationEvent.PEER_TO_PEER_SCHEDULED,
        actor=user,
        extra={"peer_to_peer_id": talk.pk, "physician_id": physician.pk},
    )
    return talk


@transaction.atomic
def peer_to_peer_record_outcome(
    *,
    user: User,
    request_id: int,
    talk_id: int,
    outcome: str,
    note: str,
    decision: dict[str, Any] | None = None,
) -> PeerToPeer:
    """Return the talk, held, with its outcome: the decision upheld, or changed.

    Only the physician who held it (or a supervisor, for the record) records it; a talk not
    yet scheduled cannot be held. A changed decision (`decision`: the new determination's
    fields, as `determination_fields` takes them) is only for a talk about a determination,
    and only a physician reviewer may make it (`redetermination_record`).
    """
    talk, pa = _locked_talk(user, talk_id, request_id)
    if talk.status != TalkStatus.SCHEDULED:
        raise ReviewError("Only a scheduled peer-to-peer talk can be recorded as held.")
    if user.pk != talk.physician_id and not is_supervisor(user):
        raise ReviewError(
            f"Only {name_of(talk.physician)}, who held the talk, or a supervisor can record it."
        )
    if outcome not in TalkOutcome.values:
        raise ReviewError("Please say whether the decision was upheld or changed.")
    note = required(note, "what was discussed and decided", limits.NOTE)
    now = timezone.now()
    if outcome == TalkOutcome.CHANGED:
        talk.new_determination = redetermination_record(
            user=user, pa=pa, talk=talk, change_reason=note, decision=decision or {}, now=now
        )
    talk.status, talk.held_at, talk.outcome, talk.outcome_note = TalkStatus.HELD, now, outcome, note
    talk.save()
    event(
        pa,
        actor=user,
        kind=EventKind.PEER_TO_PEER_HELD,
        reason=f"{TalkOutcome(outcome).label}: {note}",
        internal=False,
    )
    return talk


def redetermination_record(
    *,
    user: User,
    pa: PriorAuthRequest,
    talk: PeerToPeer,
    change_reason: str,
    decision: dict[str, Any],
    now: datetime.datetime,
) -> Determination:
    """Return the new determination that supersedes the one the talk was about; the request takes its status.

    Refused: a talk before any decision (there is nothing to change: decide the request in
    review instead); a talk about a determination no longer current; anyone but a physician
    reviewer; one who submitted or escalated the request; an unchanged outcome that changes
    nothing. The criteria checklist stays as it stood at the first decision (the talk, not the
    checklist, is why the decision changed, and `change_reason` says so in the letter).
    """
    old = talk.determination
    if old is None:
        raise ReviewError("This talk was held before any decision: decide the request from the review page.")
    if pa.determination is None or pa.determination.pk != old.pk:
        raise ReviewError("The decision this talk was about has already been replaced.")
    if user.role != Role.PHYSICIAN_REVIEWER:
        raise ReviewError("Only a physician reviewer can change a decision after a peer-to-peer talk.")
    if user.pk in (pa.submitted_by_id, pa.escalated_by_id):
        raise ReviewError(
            "You submitted or escalated this request; a different physician reviewer must decide it."
        )
    fields = determination_fields(pa, **decision)
    if fields == _same(old):
        raise ReviewError("The new decision is the same as the old one: record the talk as upheld instead.")
    new = Determination.objects.create(
        request=pa,
        decided_by=user,
        decided_at=now,
        supersedes=old,
        change_reason=change_reason,
        criteria_checklist=old.criteria_checklist,
        **fields,
    )
    reason = f"Changed after a peer-to-peer talk ({Status(old.outcome).label} before): {summary(new)}"
    close(
        pa,
        user=user,
        determination=new,
        kind=EventKind.REDETERMINED,
        reason=reason,
        notify=NotificationEvent.REDETERMINED,
    )
    return new


def _same(old: Determination) -> dict[str, Any]:
    return {
        name: getattr(old, name)
        for name in (
            "outcome",
            "approved_service",
            "approved_units",
            "approved_start",
            "approved_end",
            "reason",
            "criteria_policy",
            "criteria_section",
            "denial_code",
            "peer_to_peer_offered",
            "peer_to_peer_instructions",
            "alternatives",
        )
    }
