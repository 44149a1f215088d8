"""Appeals: office staff file one on the member's behalf; an independent physician decides it.

Filing (`appeal_file`) is open after an adverse determination (denied, partly approved,
modified), within the 180-day window (`rules`), one open appeal at a time. Deciding
(`appeal_decide`) is for a physician reviewer who works the Appeals queue and took no part in
the first decision, nor reports to anyone who did (29 CFR 2560.503-1(h)(3)(ii), (v)); where the
state asks for a clinical peer (`peers`), a mismatch must be confirmed. The outcome moves the
request: overturned, it is approved; partly overturned, partially approved; upheld, unchanged.
Each step is a timeline event on the request (APPEAL_FILED, APPEAL_DECIDED) and notifications.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from celery import current_app
from django.db import IntegrityError, transaction
from django.utils import timezone

from priorauth import limits
from priorauth.appeals import peers, rules
from priorauth.appeals.models import Appeal, AppealOutcome, AppealStatus
from priorauth.members.models import Role, Specialty, User
from priorauth.notifications.models import Event as NotificationEvent
from priorauth.notifications.services import notify_request_event
from priorauth.policies import vocab
from priorauth.policies.models import Holiday, ReviewQueue, TimeframeRule
from priorauth.policies.selectors import timeframe_record
from priorauth.requests import attachment_storage
from priorauth.requests.models import AttachmentPurpose, EventKind, PriorAuthRequest, RequestEvent, Status
from priorauth.requests.services import IntakeError, Upload, documents_attach
from priorauth.review.access import assigned_queue_ids
from priorauth.review.determinations import MAX_APPROVED_UNITS, approved_period_problem
from priorauth.review.models import Determination

log = logging.getLogger(__name__)

# The review queue appeals wait in (the seed bundle defines it).
APPEALS_QUEUE = "appeals"
APPEAL_LETTER_TASK = "appeals.render_letter"
# The adverse determinations an appeal may be filed against (DOMAIN.md "The request's life").
APPEALABLE = frozenset({Status.DENIED, Status.PARTIALLY_APPROVED, Status.MODIFIED})
# What each outcome makes of the request; an upheld decision leaves it as it was.
OUTCOME_STATUS = {
    AppealOutcome.OVERTURNED: Status.APPROVED,
    AppealOutcome.PARTLY_OVERTURNED: Status.PARTIALLY_APPROVED,
}
# Review-side steps on the original request whose actors took part in its decision.
INVOLVED_KINDS = (EventKind.CLAIMED, EventKind.ESCALATED, EventKind.PENDED, EventKind.DETERMINED)
# How far up a reporting line is followed (a loop in the records must not hang a decision).
REPORTING_DEPTH = 20


class AppealError(Exception):
    """An appeal that cannot be filed or decided; the message is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PeerMismatch(AppealError):
    """The deciding physician is not the clinical peer the state asks for: confirm to go on."""


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else "nobody"


def _required(text: str, what: str, limit: int) -> str:
    text = (text or "").strip()
    if not text:
        raise AppealError(f"Please give {what}.")
    if problem := limits.text_problem(what, text, limit):
        raise AppealError(problem)
    return text


def appeal_window_problem(pa: PriorAuthRequest, determination: Determination, now: datetime.datetime) -> str:
    """Return why no appeal can be filed on the request now ("" when one can)."""
    if pa.status not in APPEALABLE or not determination.is_adverse:
        return (
            f"Request {pa} is {pa.get_status_display().lower()}: only a denial, a partial approval or "
            "an approval with changes can be appealed."
        )
    # The individual market allows one level of internal appeal (45 CFR 147.136(b)(3)(ii)):
    # after it, the member's next step is an external review.
    if pa.appeals.filter(determination=determination, status=AppealStatus.DECIDED).exists():
        return (
            f"The decision on request {pa} has already been appealed and the appeal decided: the "
            "member's next step is an external review (see the appeal decision letter)."
        )
    zone = vocab.state_time_zone(pa.plan_state or pa.member.plan.state)
    return rules.filing_window_problem(determination.decided_at, now, zone=zone)


def _due(pa: PriorAuthRequest, urgency: str, received_at: datetime.datetime) -> tuple:
    state = pa.plan_state or pa.member.plan.state
    records = [timeframe_record(rule) for rule in TimeframeRule.objects.filter(applies_to="appeal")]
    holidays = Holiday.objects.values_list("date", flat=True)
    return rules.appeal_due(received_at, urgency, state, records, holidays, zone=vocab.state_time_zone(state))


@attachment_storage.atomic_removing_files_on_failure
def appeal_file(
    *,
    user: User,
    request_id: int,
    member_consents: bool,
    reason: str,
    urgency: str = "standard",
    expedited_statement: str = "",
    ordering_specialty: str = "",
    uploads: Iterable[Upload] = (),
    now: datetime.datetime | None = None,
) -> Appeal:
    """Return the internal appeal filed on a request by its organization's office staff.

    Refused (AppealError, nothing written, no file kept): someone not on the request's
    organization's staff; no member consent; no reason; an expedited appeal without the
    statement of jeopardy; a request that is not adversely decided, or whose 180-day window has
    closed; a request with an open appeal; documents past the request's limits.
    """
    now = now or timezone.now()
    if not member_consents:
        raise AppealError("Please confirm that the member agrees to this appeal on their behalf.")
    reason = _required(reason, "the reason for the appeal", limits.REASON)
    if urgency not in vocab.URGENCIES:
        raise AppealError("Please choose standard or expedited.")
    statement = expedited_statement.strip()
    if urgency == "expedited":
        statement = _required(
            statement,
            "why the standard timeframe could seriously jeopardize the member",
            limits.EXPEDITED_STATEMENT,
        )
    if ordering_specialty and ordering_specialty not in Specialty.values:
        raise AppealError("Please choose the ordering provider's specialty from the list.")
    pa = (
        PriorAuthRequest.objects.select_for_update(of=("self",))
        .select_related("member__plan", "organization")
        .filter(pk=request_id)
        .first()
    )
    if pa is None or user.role != Role.PROVIDER_STAFF or pa.organization_id != user.organization_id:
        raise AppealError("No such request.")
    determination = pa.determination if hasattr(pa, "determination") else None
    if determination is None:
        raise AppealError(f"Request {pa} has no decision to appeal yet.")
    if problem := appeal_window_problem(pa, determination, now):
        raise AppealError(problem)
    if pa.appeals.filter(status=AppealStatus.OPEN).exists():
        raise AppealError(f"Request {pa} already has an open appeal: one appeal is decided at a time.")
    queue = ReviewQueue.objects.filter(code=APPEALS_QUEUE).first()
    if queue is None:
        raise AppealError("Appeals cannot be received yet: the Appeals queue is not set up. Please call us.")
    due_at, at_risk_at, rule = _due(pa, urgency, now)
    try:
        documents = documents_attach(pa, user=user, uploads=uploads, purpose=AttachmentPurpose.APPEAL)
    except IntakeError as error:
        raise AppealError(error.message) from error
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                request=pa,
                determination=determination,
                filed_by=user,
                member_consents=True,
                received_at=now,
                urgency=urgency,
                expedited_statement=statement if urgency == "expedited" else "",
                reason=reason,
                ordering_specialty=ordering_specialty,
                queue=queue,
                due_at=due_at,
                at_risk_at=at_risk_at,
                due_rule=rule,
            )
    except IntegrityError as error:
        # Two filings at once: the request row lock makes this rare, the constraint makes it safe.
        raise AppealError(f"Request {pa} already has an open appeal.") from error
    appeal.documents.set(documents)
    kind = "Expedited appeal" if urgency == "expedited" else "Appeal"
    RequestEvent.objects.create(
        request=pa,
        actor=user,
        kind=EventKind.APPEAL_FILED,
        from_status=pa.status,
        to_status=pa.status,
        reason=f"{kind} filed; decision due within {rules.timeframe_words(rule)}. {reason}",
    )
    notify_request_event(
        request=pa,
        event=NotificationEvent.APPEAL_FILED,
        actor=user,
        extra={
            "occurrence": appeal.pk,
            "appeal_id": appeal.pk,
            "queue_id": queue.pk,
            "filed_by_id": user.pk,
            "appeal_due_at": due_at.isoformat(),
        },
    )
    return appeal


def involved_people(pa: PriorAuthRequest, determination: Determination) -> dict[int, str]:
    """Return who took part in the original decision, by user id, with what they did."""
    people: dict[int, str] = {}
    reviewed = pa.events.filter(kind__in=INVOLVED_KINDS, actor__isnull=False).values_list(
        "actor_id", flat=True
    )
    for actor_id in reviewed:
        people.setdefault(actor_id, "reviewed the request before its decision")
    if pa.escalated_by_id:
        people[pa.escalated_by_id] = "escalated the request for physician review"
    if determination.decided_by_id:
        people[determination.decided_by_id] = "made the original decision"
    return people


def reporting_line(user: User) -> list[User]:
    """Return the people the user reports to, nearest first (a loop in the records stops it)."""
    line: list[User] = []
    seen = {user.pk}
    boss = user.reports_to
    while boss is not None and boss.pk not in seen and len(line) < REPORTING_DEPTH:
        line.append(boss)
        seen.add(boss.pk)
        boss = boss.reports_to
    return line


def independence_problem(user: User, appeal: Appeal) -> str:
    """Return why this physician may not decide the appeal, or "" when they are independent.

    29 CFR 2560.503-1(h)(3)(ii) and (v): the appeal is decided by someone who neither made the
    adverse determination nor is the subordinate of anyone who did, and the health professional
    consulted was not consulted on it. Here: not its decider, not whoever escalated it or was
    asked to decide it (claimed it), and not reporting (directly or up the line) to any of them.
    """
    involved = involved_people(appeal.request, appeal.determination)
    if user.pk in involved:
        return (
            f"You {involved[user.pk]} on request {appeal.request}: a physician who took no part "
            "in it must decide the appeal."
        )
    for boss in reporting_line(user):
        if boss.pk in involved:
            return (
                f"You report to {_name(boss)}, who {involved[boss.pk]} on request {appeal.request}: "
                "an appeal is never decided by someone who reports to a person involved in the decision."
            )
    return ""


def works_appeals(user: User) -> bool:
    """Return whether the user works the Appeals queue, or watches it as a supervisor."""
    if user.role == Role.SUPERVISOR:
        return True
    queue = ReviewQueue.objects.filter(code=APPEALS_QUEUE).values_list("pk", flat=True).first()
    return queue is not None and queue in assigned_queue_ids(user)


def may_decide_problem(user: User, appeal: Appeal) -> str:
    """Return why the user cannot decide this appeal now ("" when they can)."""
    if user.role != Role.PHYSICIAN_REVIEWER:
        return "Only a physician reviewer can decide an appeal."
    if appeal.queue_id not in assigned_queue_ids(user):
        return "Only a physician who works the Appeals queue can decide an appeal."
    if not appeal.is_open:
        return "This appeal has already been decided."
    return independence_problem(user, appeal)


def peer_check_for(user: User, appeal: Appeal) -> peers.PeerCheck:
    """Return the state's clinical-peer check for this physician deciding this appeal."""
    return peers.peer_check(
        state=appeal.request.plan_state or appeal.request.member.plan.state,
        urgency=appeal.urgency,
        reviewer=user.specialty,
        ordering=appeal.ordering_specialty,
    )


@dataclass(frozen=True)
class Approval:
    """What an overturned (or partly overturned) appeal approves."""

    service: str
    units: int | None
    start: datetime.date | None
    end: datetime.date | None


def _approval_problem(approval: Approval, date_of_service: datetime.date | None) -> str:
    missing = []
    if not approval.service.strip():
        missing.append("the approved service")
    if approval.units is None or approval.units < 1:
        missing.append("the approved units (at least 1)")
    elif approval.units > MAX_APPROVED_UNITS:
        missing.append(f"at most {MAX_APPROVED_UNITS:,} approved units")
    if approval.start is None or approval.end is None:
        missing.append("the approved date range")
    elif approval.end < approval.start:
        missing.append("an approved date range that ends on or after the day it starts")
    if missing:
        return f"Please give {'; '.join(missing)}."
    if problem := limits.text_problem("the approved service", approval.service, limits.APPROVED_SERVICE):
        return problem
    assert approval.start is not None and approval.end is not None
    return approved_period_problem(approval.start, approval.end, date_of_service)


@transaction.atomic
def appeal_decide(
    *,
    user: User,
    appeal_id: int,
    outcome: str,
    rationale: str,
    approval: Approval | None = None,
    mismatch_confirmed: bool = False,
    now: datetime.datetime | None = None,
) -> Appeal:
    """Return the appeal decided; the request takes the outcome's status (upheld: unchanged).

    Refused (AppealError, nothing written): an unknown outcome; no rationale; anyone but an
    independent physician reviewer who works the Appeals queue (`may_decide_problem`); a
    decided appeal; an overturn without what it approves. Where the state asks for a clinical
    peer and the physician's specialty does not match the ordering provider's, PeerMismatch
    until `mismatch_confirmed`.
    """
    now = now or timezone.now()
    if outcome not in AppealOutcome.values:
        raise AppealError("Please choose a decision: overturned, partly overturned or upheld.")
    rationale = _required(rationale, "the reason for the decision, in plain language", limits.REASON)
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("request__member__plan", "determination", "queue")
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None:
        raise AppealError("No such appeal.")
    if problem := may_decide_problem(user, appeal):
        raise AppealError(problem)
    pa = PriorAuthRequest.objects.select_for_update(of=("self",)).get(pk=appeal.request_id)
    overturns = outcome in OUTCOME_STATUS
    if overturns:
        if approval is None:
            raise AppealError("Please give what the appeal approves: service, units and dates.")
        if problem := _approval_problem(approval, pa.date_of_service):
            raise AppealError(problem)
    check = peer_check_for(user, appeal)
    if not check.ok and not mismatch_confirmed:
        raise PeerMismatch(peer_warning(check, user, appeal))
    previous = pa.status
    appeal.status, appeal.outcome = AppealStatus.DECIDED, outcome
    appeal.decided_by, appeal.decided_at, appeal.rationale = user, now, rationale
    appeal.decider_specialty = user.specialty
    appeal.peer_match = check.match if check.required else ""
    appeal.mismatch_confirmed = check.required and not check.ok
    if overturns and approval is not None:
        appeal.approved_service, appeal.approved_units = approval.service.strip(), approval.units
        appeal.approved_start, appeal.approved_end = approval.start, approval.end
        pa.status = OUTCOME_STATUS[AppealOutcome(outcome)]
        pa.save()
    appeal.save()
    RequestEvent.objects.create(
        request=pa,
        actor=user,
        kind=EventKind.APPEAL_DECIDED,
        from_status=previous,
        to_status=pa.status,
        reason=f"Appeal {AppealOutcome(outcome).label.lower()}: {rationale}",
    )
    notify_request_event(
        request=pa,
        event=NotificationEvent.APPEAL_DECIDED,
        actor=user,
        extra={"occurrence": appeal.pk, "appeal_id": appeal.pk, "filed_by_id": appeal.filed_by_id},
    )
    transaction.on_commit(lambda: _letter_render_later(appeal.pk))
    return appeal


def current_overturn(pa: PriorAuthRequest, appeals: list[Appeal]) -> Appeal | None:
    """Return the overturning appeal that decided the request as it stands (None if none did).

    The appeal's outcome must still be the request's status, and no determination may have
    been made after it.
    """
    determination = getattr(pa, "determination", None)
    for appeal in sorted(appeals, key=lambda a: a.decided_at or a.received_at, reverse=True):
        if appeal.decided_at is None or appeal.outcome not in OUTCOME_STATUS:
            continue
        if OUTCOME_STATUS[AppealOutcome(appeal.outcome)] != pa.status:
            return None
        if determination is not None and determination.decided_at > appeal.decided_at:
            return None
        return appeal
    return None


def peer_warning(check: peers.PeerCheck, user: User, appeal: Appeal) -> str:
    """Return the warning shown before a physician decides an appeal outside the state's peer rule."""
    state = appeal.request.plan_state or appeal.request.member.plan.state
    state_name = vocab.US_STATES.get(state, state)
    needs = "the same specialty" if check.needs == peers.SAME else "the same or a similar specialty"
    yours = Specialty(user.specialty).label if user.specialty else "not recorded"
    theirs = Specialty(appeal.ordering_specialty).label if appeal.ordering_specialty else "not given"
    return (
        f"{state_name} asks that an appeal be decided by a clinical peer in {needs} as the ordering "
        f"provider ({check.source}). Your specialty: {yours}; the ordering provider's: {theirs}. "
        "Confirm only if you are sure you are an appropriate clinical peer for this appeal; "
        "otherwise leave it for a colleague."
    )


def _letter_render_later(appeal_id: int) -> None:
    """Queue the appeal letter's rendering; a broker that is down leaves it to the first download."""
    try:
        current_app.signature(APPEAL_LETTER_TASK).apply_async((appeal_id,), retry=False)
    except Exception as error:
        log.warning("letter for appeal %s not queued (%s)", appeal_id, type(error).__name__)
