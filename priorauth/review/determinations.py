"""Determinations: a reviewer's decision, and an approval by operation of law at a missed deadline.

A nurse reviewer may approve; only a physician reviewer may deny, approve in part or modify
(NCQA UM 4, URAC), and every adverse determination carries what its notice must say
(DOMAIN.md "The request's life"). Where the winning timeframe rule says a missed deadline is
an approval (`missed: deemed_approved`: Georgia, Indiana), a request still undecided at its
due time is approved by operation of law, with no reviewer.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from celery import current_app
from django.db import transaction
from django.utils import timezone

from priorauth import limits
from priorauth.members.models import Role, User
from priorauth.notifications.models import Event as NotificationEvent
from priorauth.notifications.services import notify_request_event
from priorauth.policies import vocab
from priorauth.requests import extension
from priorauth.requests.models import EventKind, PriorAuthRequest, Status
from priorauth.review import checklist_rules
from priorauth.review.checklists import determination_problem
from priorauth.review.common import (
    OPEN,
    ReviewError,
    check_may_act,
    deemed_deadline_passed,
    event,
    locked,
)
from priorauth.review.models import ADVERSE_OUTCOMES, DenialCode, Determination, Outcome

log = logging.getLogger(__name__)
# The letters' task that renders and stores a determination's PDF letter (priorauth/letters/tasks.py).
LETTER_RENDER_TASK = "letters.render"
# States whose law requires the notice of an adverse determination to suggest alternatives.
ALTERNATIVES_REQUIRED_STATES = frozenset({"IN"})
# How many deemed approvals one run records at most; the next run picks up the rest.
DEEMED_BATCH = 500
# The catalog's most unit-hungry therapy, Imlygic (J9325, per million PFU), uses up to 400 units a
# treatment every two weeks: about 10,400 in a year. Twice that leaves room; more is a typo.
MAX_APPROVED_UNITS = 20_000
# An approved period lasts at most a year and starts within a year of the date of service, either
# side. A year holds any episode this product approves: a CAR-T approval covers leukapheresis,
# bridging and lymphodepletion in the weeks before the infusion and the monitoring weeks after it;
# a gene therapy or transplant its conditioning and follow-up; Imlygic a year of two-weekly
# treatments. It is also how long Indiana keeps an approval valid ("at least one year", counted
# as `years_after` counts it for the letters too: to the same day a year later), so no approved period
# outlasts what the letters promise. A start up to a year before the date of service allows an
# episode begun before the decision; up to a year after, a date of service that moved. Anything
# further (0001-01-01 to 9999-12-31) is a typing slip, not an approval.
APPROVED_PERIOD_YEARS = 1


def _approval_problems(
    outcome: str,
    service: str,
    units: int | None,
    start: datetime.date | None,
    end: datetime.date | None,
) -> list[str]:
    """Return what an approval (in whole, in part or modified) is missing; a denial approves nothing."""
    if outcome == Outcome.DENIED:
        return []
    problems = []
    if not service.strip():
        problems.append("the approved service")
    if units is None or units < 1:
        problems.append("the approved units (at least 1)")
    elif units > MAX_APPROVED_UNITS:
        problems.append(f"at most {MAX_APPROVED_UNITS:,} approved units")
    if start is None or end is None:
        problems.append("the approved date range")
    elif end < start:
        problems.append("an approved date range that ends on or after the day it starts")
    return problems


def years_after(day: datetime.date, years: int) -> datetime.date:
    """Return the same day `years` later (earlier if negative); February 29 becomes February 28.

    Past the calendar's ends (year 1, year 9999) the result is the first or last day it has.
    """
    year = day.year + years
    if year > datetime.MAXYEAR:
        return datetime.date.max
    if year < datetime.MINYEAR:
        return datetime.date.min
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def _day(value: datetime.date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def approved_period_problem(
    start: datetime.date, end: datetime.date, date_of_service: datetime.date | None
) -> str:
    """Return why an approved period (`start` to `end`, ending on or after it starts) is refused; "" if not.

    It must start within APPROVED_PERIOD_YEARS of the date of service (unchecked when the
    request has none) and end at most that long after it starts.
    """
    if date_of_service is not None:
        earliest = years_after(date_of_service, -APPROVED_PERIOD_YEARS)
        latest = years_after(date_of_service, APPROVED_PERIOD_YEARS)
        if not earliest <= start <= latest:
            return (
                f"The approved period must start (“From”) within a year of the date of service, "
                f"{_day(date_of_service)}: please choose a start from {_day(earliest)} to {_day(latest)}."
            )
    last = years_after(start, APPROVED_PERIOD_YEARS)
    if end > last:
        return (
            f"The approved period can be at most a year long: please end it (“To”) on or before {_day(last)}."
        )
    return ""


def _adverse_problems(
    pa: PriorAuthRequest,
    *,
    reason: str,
    criteria_policy: str,
    criteria_section: str,
    denial_code: str,
    peer_to_peer_offered: bool,
    peer_to_peer_instructions: str,
    alternatives: str,
) -> list[str]:
    """Return what the notice of an adverse determination would lack (DOMAIN.md lists it)."""
    problems = []
    if not reason.strip():
        problems.append("the specific reason, in plain language")
    if not criteria_policy.strip():
        problems.append("the criteria policy applied")
    if not criteria_section.strip():
        problems.append("the section of the criteria policy applied")
    if denial_code not in DenialCode.values:
        problems.append("a denial code")
    if not peer_to_peer_offered or not peer_to_peer_instructions.strip():
        problems.append("that a peer-to-peer discussion was offered, and how to request it")
    if pa.member.plan.state in ALTERNATIVES_REQUIRED_STATES and not alternatives.strip():
        state = vocab.US_STATES.get(pa.member.plan.state, pa.member.plan.state)
        problems.append(f"suggested alternatives ({state} requires them)")
    return problems


def _refuse_if_long(texts: dict[str, tuple[str, int]]) -> None:
    """Refuse texts over their limits (`priorauth.limits`): the letter prints each one whole."""
    if problems := limits.text_problems(
        {what: (value.strip(), limit) for what, (value, limit) in texts.items()}
    ):
        raise ReviewError(" ".join(problems))


def _refuse_if(problems: list[str]) -> None:
    if problems:
        raise ReviewError(f"Please give {'; '.join(problems)}.")


def summary(determination: Determination) -> str:
    """Return the timeline's line for a determination: what was decided, and why."""
    if determination.outcome == Outcome.DENIED:
        return determination.reason
    what = (
        f"{determination.approved_service}, {determination.approved_units} unit(s), "
        f"{determination.approved_start:%m/%d/%Y} to {determination.approved_end:%m/%d/%Y}"
    )
    return f"{what}. {determination.reason}" if determination.reason else what


def determination_fields(
    pa: PriorAuthRequest,
    *,
    outcome: str,
    approved_service: str = "",
    approved_units: int | None = None,
    approved_start: datetime.date | None = None,
    approved_end: datetime.date | None = None,
    reason: str = "",
    criteria_policy: str = "",
    criteria_section: str = "",
    denial_code: str = "",
    peer_to_peer_offered: bool = False,
    peer_to_peer_instructions: str = "",
    alternatives: str = "",
) -> dict[str, Any]:
    """Return a determination's fields as stored, or refuse (ReviewError) what its notice would lack.

    Refused: an unknown outcome; texts over their limits; an approval without service, units
    (at most MAX_APPROVED_UNITS) and dates, or with a period `approved_period_problem`
    refuses; an adverse one without its notice's content. Who may decide is the caller's to check.
    """
    if outcome not in Outcome.values:
        raise ReviewError("Please choose a decision.")
    _refuse_if_long(
        {
            "the approved service": (approved_service, limits.APPROVED_SERVICE),
            "the reason": (reason, limits.REASON),
            "the criteria policy": (criteria_policy, limits.CRITERIA_POLICY),
            "the section applied": (criteria_section, limits.CRITERIA_SECTION),
            "how to request the peer-to-peer discussion": (
                peer_to_peer_instructions,
                limits.PEER_TO_PEER_INSTRUCTIONS,
            ),
            "the suggested alternatives": (alternatives, limits.ALTERNATIVES),
        }
    )
    problems = _approval_problems(outcome, approved_service, approved_units, approved_start, approved_end)
    if outcome in ADVERSE_OUTCOMES:
        problems += _adverse_problems(
            pa,
            reason=reason,
            criteria_policy=criteria_policy,
            criteria_section=criteria_section,
            denial_code=denial_code,
            peer_to_peer_offered=peer_to_peer_offered,
            peer_to_peer_instructions=peer_to_peer_instructions,
            alternatives=alternatives,
        )
    _refuse_if(problems)
    approves = outcome != Outcome.DENIED
    if approves and (problem := approved_period_problem(approved_start, approved_end, pa.date_of_service)):
        raise ReviewError(problem)
    return {
        "outcome": outcome,
        "approved_service": approved_service.strip() if approves else "",
        "approved_units": approved_units if approves else None,
        "approved_start": approved_start if approves else None,
        "approved_end": approved_end if approves else None,
        "reason": reason.strip(),
        "criteria_policy": criteria_policy.strip(),
        "criteria_section": criteria_section.strip(),
        "denial_code": denial_code if outcome in ADVERSE_OUTCOMES else "",
        "peer_to_peer_offered": peer_to_peer_offered,
        "peer_to_peer_instructions": peer_to_peer_instructions.strip(),
        "alternatives": alternatives.strip(),
    }


@transaction.atomic
def determination_record(
    *,
    user: User,
    request_id: int,
    outcome: str,
    approved_service: str = "",
    approved_units: int | None = None,
    approved_start: datetime.date | None = None,
    approved_end: datetime.date | None = None,
    reason: str = "",
    criteria_policy: str = "",
    criteria_section: str = "",
    denial_code: str = "",
    peer_to_peer_offered: bool = False,
    peer_to_peer_instructions: str = "",
    alternatives: str = "",
) -> Determination:
    """Return the determination recorded on a request in review; the request takes its status.

    Refused (ReviewError, nothing written): an unknown outcome; anyone but the nurse or
    physician holding the claim; an adverse outcome by a nurse; a request not in review; an
    approval without service, units (at most MAX_APPROVED_UNITS) and dates, or with a period
    `approved_period_problem` refuses; an adverse one without its notice's content; one the
    request's criteria checklist does not support (`checklist_rules`), which the determination
    then keeps as it stood.
    """
    now = timezone.now()
    pa = locked(user, request_id)
    if outcome in ADVERSE_OUTCOMES and user.role != Role.PHYSICIAN_REVIEWER:
        raise ReviewError("Only a physician reviewer can deny, approve in part or modify a request.")
    check_may_act(user, pa, "decide it", now=now)
    fields = determination_fields(
        pa,
        outcome=outcome,
        approved_service=approved_service,
        approved_units=approved_units,
        approved_start=approved_start,
        approved_end=approved_end,
        reason=reason,
        criteria_policy=criteria_policy,
        criteria_section=criteria_section,
        denial_code=denial_code,
        peer_to_peer_offered=peer_to_peer_offered,
        peer_to_peer_instructions=peer_to_peer_instructions,
        alternatives=alternatives,
    )
    checklist_problem, checklist = determination_problem(pa, adverse=outcome in ADVERSE_OUTCOMES)
    if checklist_problem:
        raise ReviewError(checklist_problem)
    determination = Determination.objects.create(
        request=pa,
        decided_by=user,
        decided_at=now,
        criteria_checklist=checklist_rules.recorded(checklist),
        **fields,
    )
    close(
        pa, user=user, determination=determination, kind=EventKind.DETERMINED, reason=summary(determination)
    )
    return determination


def close(
    pa: PriorAuthRequest,
    *,
    user: User | None,
    determination: Determination,
    kind: str,
    reason: str,
    notify: str = NotificationEvent.DETERMINED,
) -> None:
    """Give the request the determination's status, release its claim and record the event."""
    previous = pa.status
    pa.status, pa.decided_at = Status(determination.outcome), determination.decided_at
    pa.claimed_by, pa.claimed_at = None, None
    pa.save()
    event(pa, actor=user, kind=kind, from_status=previous, to_status=pa.status, reason=reason)
    notify_request_event(request=pa, event=notify, actor=user)
    determination_id = determination.pk
    transaction.on_commit(lambda: letter_render_later(determination_id))


def letter_render_later(determination_id: int) -> None:
    """Queue the PDF letter's rendering; a broker that is down leaves it to the first download."""
    try:
        current_app.signature(LETTER_RENDER_TASK).apply_async((determination_id,), retry=False)
    except Exception as error:
        log.warning("letter for determination %s not queued (%s)", determination_id, type(error).__name__)


def deemed_reason(rule: dict[str, object], *, extended: bool = False) -> str:
    """Return the reason an approval by operation of law gives, citing the rule's source.

    e.g. "Approved by operation of law: no decision within 7 calendar days as O.C.G.A.
    33-46-26, -27, -29 requires." An `extended` request names the extension too ("within 7
    calendar days, extended once by 7 calendar days, as ...").
    """
    unit = vocab.TIMEFRAME_UNITS.get(str(rule.get("unit")), str(rule.get("unit"))).lower()
    source = rule.get("source") or "state law"
    within = f"{rule.get('amount')} {unit}"
    if extended and (words := extension.extension_words(rule)):
        within += f", extended once by {words},"
    return f"Approved by operation of law: no decision within {within} as {source} requires."


@transaction.atomic
def _deem_approved(request_id: int, now: datetime.datetime) -> bool:
    """Return whether this request was approved by operation of law now (False if no longer due)."""
    pa = (
        PriorAuthRequest.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("member__plan", "product")
        .filter(pk=request_id, status__in=OPEN)
        .first()
    )
    if pa is None or not deemed_deadline_passed(pa, now) or _has_determination(pa):
        return False
    assert pa.due_at is not None and pa.due_rule is not None
    determination = Determination.objects.create(
        request=pa,
        outcome=Outcome.APPROVED,
        decided_by=None,
        decided_at=pa.due_at,
        by_operation_of_law=True,
        approved_service=_requested_service(pa),
        approved_start=pa.date_of_service,
        approved_end=pa.date_of_service,
        reason=deemed_reason(pa.due_rule, extended=pa.extended_at is not None),
    )
    reason = determination.reason
    close(pa, user=None, determination=determination, kind=EventKind.DEEMED_APPROVED, reason=reason)
    return True


def _has_determination(pa: PriorAuthRequest) -> bool:
    return Determination.objects.filter(request=pa).exists()


def _requested_service(pa: PriorAuthRequest) -> str:
    """Return the service as requested: the law approves the request as it was made."""
    code = f" ({pa.product.hcpcs})" if pa.product else ""
    return f"{pa.therapy_label}{code}"


def deemed_approvals_record(*, now: datetime.datetime) -> int:
    """Return how many requests were approved by operation of law at `now`.

    A request qualifies when it is still undecided (submitted, in review, or pended with a
    clock that runs through the pend) and the due time of a `missed: deemed_approved` rule has
    passed. A pend whose clock is stopped has no due time and is skipped. Each request is
    locked and recorded in its own transaction (a row locked by a reviewer now is left for the
    next run); running again records nothing twice.
    """
    due = (
        PriorAuthRequest.objects.filter(
            status__in=OPEN, due_at__lte=now, due_rule__missed="deemed_approved", determinations__isnull=True
        )
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:DEEMED_BATCH]
    )
    return sum(_deem_approved(request_id, now) for request_id in list(due))
