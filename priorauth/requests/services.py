"""Services for the provider's side of a request: start, save, submit, withdraw, answer a pend.

Every service runs in one transaction and records a timeline event for each change of status.
Routing happens at submission, through the pure deferral logic, over a snapshot of the records.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from priorauth import limits
from priorauth.db import retry_when_connection_lost
from priorauth.members.models import Member, User
from priorauth.notifications.models import Event as NotificationEvent
from priorauth.notifications.services import notify_request_event
from priorauth.policies import deferral
from priorauth.policies.models import Holiday, ReviewQueue
from priorauth.policies.selectors import PolicyRecords, policy_records_cached
from priorauth.requests import attachment_storage, clock, validation
from priorauth.requests.models import (
    Attachment,
    AttachmentPurpose,
    EventKind,
    InformationRequest,
    PriorAuthRequest,
    RequestEvent,
    Status,
)

# The fields office staff fill on the intake form; nothing else is written from form input.
EDITABLE_FIELDS = frozenset(
    {
        "product",
        "category",
        "genetically_modified",
        "diagnoses",
        "date_of_service",
        "ordering_npi",
        "ordering_name",
        "rendering_npi",
        "facility_name",
        "facility_npi",
        "facility_accreditation",
        "urgency",
        "expedited_statement",
        "clinical_summary",
        "prior_lines_of_therapy",
        "ecog",
        "active_cns_disease",
        "active_infection",
        "prior_car_t_or_gene_therapy",
        "genetic_test_name",
        "genetic_test_result",
        "genetic_test_date",
        "prior_gene_therapy",
    }
)


class IntakeError(Exception):
    """A provider action that cannot be done; the message is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotEditable(IntakeError):
    """The request is no longer a draft (it was submitted, perhaps by a double click)."""


@dataclass(frozen=True)
class Upload:
    """A file the form has checked: its detected content type and digest."""

    file: UploadedFile
    content_type: str
    sha256: str


def _event(
    pa: PriorAuthRequest,
    *,
    actor: User | None,
    kind: str,
    to_status: str = "",
    from_status: str = "",
    reason: str = "",
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=pa, actor=actor, kind=kind, from_status=from_status, to_status=to_status, reason=reason
    )


def _attach(
    pa: PriorAuthRequest,
    *,
    user: User,
    uploads: Iterable[Upload],
    purpose: str,
    information_request: InformationRequest | None = None,
) -> list[Attachment]:
    """Return the new attachments; a document already on the request (same digest) is not stored twice."""
    uploads = list(uploads)
    if not uploads:
        return []
    added = []
    held = list(pa.attachments.values_list("sha256", "size"))
    known = {sha256 for sha256, _ in held}
    new = []
    for upload in uploads:
        if upload.sha256 not in known:
            known.add(upload.sha256)
            new.append(upload)
    if problem := validation.room_problem([size for _, size in held], [upload.file.size for upload in new]):
        raise IntakeError(problem)
    for upload in new:
        upload.file.seek(0)
        attachment = Attachment(
            request=pa,
            information_request=information_request,
            original_name=upload.file.name[:255],
            content_type=upload.content_type,
            size=upload.file.size,
            sha256=upload.sha256,
            purpose=purpose,
            uploaded_by=user,
        )
        attachment.file.save(upload.file.name, upload.file, save=False)
        attachment_storage.saved(attachment.file.name)
        attachment.save()
        _event(pa, actor=user, kind=EventKind.ATTACHMENT_ADDED, reason=attachment.original_name)
        added.append(attachment)
    return added


def documents_attach(
    pa: PriorAuthRequest, *, user: User, uploads: Iterable[Upload], purpose: str
) -> list[Attachment]:
    """Return the request's documents for these uploads, storing those it does not hold yet.

    For a service that adds documents to a request it has locked (an appeal's, say), inside its
    transaction: the same limits as the intake's, and a document already on the request (same
    digest) is the one returned, not a second copy. Refused (IntakeError) past the limits.
    """
    uploads = list(uploads)
    _attach(pa, user=user, uploads=uploads, purpose=purpose)
    digests = {upload.sha256 for upload in uploads}
    return list(pa.attachments.filter(sha256__in=digests))


def _locked(request_id: int) -> PriorAuthRequest:
    return (
        PriorAuthRequest.objects.select_for_update(of=("self",))
        .select_related("member__plan", "product")
        .get(pk=request_id)
    )


@retry_when_connection_lost
@transaction.atomic
def request_start(
    *, user: User, member: Member, token: uuid.UUID, date_of_service: datetime.date | None = None
) -> PriorAuthRequest:
    """Return the draft started for a member with this form token, creating it the first time.

    The token comes from the page that offered "Start request", so a double click or a resent
    form finds the draft the first click made. A token another organization used is refused.
    """
    assert user.organization_id is not None
    existing = PriorAuthRequest.objects.filter(submission_token=token).first()
    if existing is None:
        try:
            with transaction.atomic():
                pa = PriorAuthRequest.objects.create(
                    submission_token=token,
                    organization_id=user.organization_id,
                    member=member,
                    submitted_by=user,
                    date_of_service=date_of_service,
                )
        except IntegrityError:
            existing = PriorAuthRequest.objects.get(submission_token=token)
        else:
            _event(pa, actor=user, kind=EventKind.CREATED, to_status=Status.DRAFT)
            return pa
    if existing.organization_id != user.organization_id or existing.member_id != member.pk:
        raise IntakeError("This form has expired. Please look the member up again.")
    return existing


@retry_when_connection_lost
@attachment_storage.atomic_removing_files_on_failure
def request_save_draft(
    *, user: User, request_id: int, details: Mapping[str, Any], uploads: Iterable[Upload] = ()
) -> PriorAuthRequest:
    """Return the draft with the details and documents saved; it is not routed.

    Raises NotEditable when the request is no longer a draft (it has been submitted).
    """
    pa = _locked(request_id)
    if not pa.is_draft:
        raise NotEditable(f"Request {pa} has already been submitted; it can no longer be changed.")
    _apply_details(pa, details)
    pa.save()
    _attach(pa, user=user, uploads=uploads, purpose=AttachmentPurpose.INITIAL)
    _event(pa, actor=user, kind=EventKind.DRAFT_SAVED)
    return pa


def _apply_details(pa: PriorAuthRequest, details: Mapping[str, Any]) -> None:
    """Set the intake's details on the unsaved draft, or raise IntakeError naming every problem."""
    unknown = set(details) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not intake fields: {', '.join(sorted(unknown))}")
    if problems := validation.details_problems(details):
        raise IntakeError(" ".join(problems))
    for name, value in details.items():
        setattr(pa, name, value)
    if pa.product is not None:
        # The category and flags come from the product record, never from the provider.
        pa.category = pa.product.category
        pa.genetically_modified = None


def _facts(
    pa: PriorAuthRequest, received_at: datetime.datetime, unhandled_service: str = ""
) -> deferral.RequestFacts:
    member = pa.member
    if pa.date_of_service is None or (pa.product is None and not pa.category and not unhandled_service):
        raise IntakeError(
            "The date of service and the therapy are needed before the request can be submitted."
        )
    return deferral.RequestFacts(
        plan=member.plan.code,
        coverage=tuple(deferral.Coverage(start=c.start, end=c.end) for c in member.coverage_periods.all()),
        hcpcs=pa.product.hcpcs if pa.product else None,
        category=None if pa.product else pa.category,
        genetically_modified=None if pa.product else pa.genetically_modified,
        diagnoses=tuple(pa.diagnoses),
        urgency=pa.urgency,
        date_of_service=pa.date_of_service,
        received_at=received_at,
        unhandled_service=unhandled_service,
    )


def _store_decision(
    pa: PriorAuthRequest,
    decision: deferral.Decision,
    records: PolicyRecords,
    received_at: datetime.datetime,
) -> None:
    pa.decision = deferral.decision_as_json(decision)
    pa.routing_key = decision.routing_key or ""
    pa.due_at = decision.due_at
    snapshot = records.snapshot
    pa.plan_state = state = pa.member.plan.state
    if decision.due_at is not None and decision.timeframe is not None:
        # The due time is recomputed from these rules after a pend, never from later records.
        rules = clock.matching_rules(snapshot.timeframes, urgency=pa.urgency, state=state)
        pa.timeframe_rules = [clock.rule_as_json(rule) for rule in rules]
        pa.due_rule = clock.rule_as_json(decision.timeframe)
        # The holidays too: a holiday added or removed later moves no due time already given.
        pa.timeframe_holidays = clock.holidays_as_json(snapshot.holidays, received_at, state=state)
        # The at-risk time comes from the same clock as every later recompute (due_refresh).
        holidays = clock.holidays_from_json(pa.timeframe_holidays)
        due = clock.due_now(
            rules=pa.timeframe_rules, received_at=received_at, pends=(), holidays=holidays, state=state
        )
        pa.at_risk_at = due.at_risk_at
    pa.queue = records.queue(decision.queue) if decision.queue else None
    if decision.governing is not None:
        pa.governing_policy_number = decision.governing.number
        pa.governing_policy_effective = decision.governing.effective
    if decision.criteria is not None:
        pa.criteria_policy_number = decision.criteria.number
        pa.criteria_policy_effective = decision.criteria.effective


def _route(
    pa: PriorAuthRequest, received_at: datetime.datetime, unhandled_service: str = ""
) -> deferral.Decision:
    try:
        records = policy_records_cached()
        decision = deferral.decide(_facts(pa, received_at, unhandled_service), records.snapshot)
        _store_decision(pa, decision, records, received_at)
    except (deferral.UndecidableRequest, ReviewQueue.DoesNotExist) as error:
        raise IntakeError(
            f"The request could not be routed for review ({error}). Your draft is saved; please check "
            "the therapy and date of service, or call provider services."
        ) from error
    return decision


@retry_when_connection_lost
@transaction.atomic
def request_submit(
    *, user: User, request_id: int, attested: bool, unhandled_service: str = ""
) -> PriorAuthRequest:
    """Return the submitted request, routed at once; a request already submitted is returned unchanged.

    `unhandled_service` names a service code no record handles (sent by an EHR): triage.

    The draft row is locked, so two submits of the same draft (double click, resent form)
    route it once: the second finds it no longer a draft and returns it as it is. Raises
    IntakeError, rolling back, when the facts cannot be routed (the draft stays as saved).
    """
    pa = _locked(request_id)
    if not pa.is_draft:
        return pa
    if not attested:
        raise IntakeError("Please confirm that the information is accurate before submitting.")
    _submit_draft(pa, user=user, unhandled_service=unhandled_service)
    return pa


@retry_when_connection_lost
@attachment_storage.atomic_removing_files_on_failure
def request_submit_whole(
    *,
    user: User,
    member: Member,
    token: uuid.UUID,
    details: Mapping[str, Any],
    uploads: Iterable[Upload] = (),
    unhandled_service: str = "",
) -> PriorAuthRequest:
    """Return the request started, saved and submitted at once, for a front door that sends it whole.

    The FHIR API's `$submit` (attested by the EHR): the same checks, routing, timeline and
    notices as `request_start`, `request_save_draft` and `request_submit` one after the other
    (the same timeline, in the same order), in one transaction with a third of the queries.
    Raises IntakeError (nothing written) where they would; IntegrityError when another request
    already has the token.
    """
    assert user.organization_id is not None
    pa = PriorAuthRequest(
        submission_token=token, organization_id=user.organization_id, member=member, submitted_by=user
    )
    _apply_details(pa, details)
    pa.save()
    # The timeline in the web form's order: started, documents added, saved, submitted. With
    # no document, the start goes in the one insert of the rest.
    started = RequestEvent(request=pa, actor=user, kind=EventKind.CREATED, to_status=Status.DRAFT)
    if uploads := list(uploads):
        started.save()
        _attach(pa, user=user, uploads=uploads, purpose=AttachmentPurpose.INITIAL)
    earlier = [started] if started.pk is None else []
    saved = RequestEvent(request=pa, actor=user, kind=EventKind.DRAFT_SAVED)
    _submit_draft(pa, user=user, unhandled_service=unhandled_service, earlier=[*earlier, saved])
    return pa


def _submit_draft(
    pa: PriorAuthRequest, *, user: User, unhandled_service: str, earlier: Iterable[RequestEvent] = ()
) -> None:
    """Route the attested draft, number it, record its submission (after the `earlier` events,
    unsaved) and write its notices."""
    now = timezone.now()
    decision = _route(pa, now, unhandled_service)
    pa.number = pa.number_for(now)
    pa.received_at = pa.submitted_at = pa.routed_at = now
    pa.attested_by, pa.attested_at = user, now
    pa.submitted_by = user
    pa.status = Status.NO_AUTH_REQUIRED if decision.outcome == "no_auth_required" else Status.IN_REVIEW
    pa.save()
    submitted = RequestEvent(
        request=pa,
        actor=user,
        kind=EventKind.SUBMITTED,
        from_status=Status.DRAFT,
        to_status=Status.SUBMITTED,
        reason="Submitted with the attestation that the information is accurate.",
    )
    if pa.status == Status.NO_AUTH_REQUIRED:
        outcome = RequestEvent(
            request=pa,
            kind=EventKind.NO_AUTH_REQUIRED,
            from_status=Status.SUBMITTED,
            to_status=pa.status,
            reason=decision.trace[-1].result,
        )
    else:
        outcome = RequestEvent(
            request=pa,
            kind=EventKind.ROUTED,
            from_status=Status.SUBMITTED,
            to_status=pa.status,
            reason=f"Routed to {pa.queue.name if pa.queue else 'review'} ({pa.routing_key}).",
        )
    # One insert, in this order: the timeline reads them by time, then id.
    RequestEvent.objects.bulk_create([*earlier, submitted, outcome])
    # The acknowledgement (and the queue's reviewers' notice) is written with the submission.
    notify_request_event(request=pa, event=NotificationEvent.SUBMITTED, actor=user)
    if pa.status == Status.IN_REVIEW:
        # The routing's occurrence is its timeline line, just inserted (no need to read it back).
        notify_request_event(request=pa, event=NotificationEvent.ROUTED, extra={"occurrence": outcome.pk})


def due_refresh(pa: PriorAuthRequest) -> None:
    """Set the request's due time, its rule and its at-risk time from the rules stored at submission.

    Every pend, open or answered, counts as DOMAIN.md step 8 allows (see `clock`), and so do
    the holidays stored at submission. A request with no stored rules (routed before they were
    stored) keeps the due time it has; one with rules but no stored holidays (routed before
    those were stored) is timed by the current Holiday records. The caller saves the request.
    """
    if pa.received_at is None or not pa.timeframe_rules:
        return
    pends = [(asked.asked_at, asked.answered_at) for asked in pa.information_requests.all()]
    if pa.timeframe_holidays is None:
        holidays = frozenset(Holiday.objects.values_list("date", flat=True))
    else:
        holidays = clock.holidays_from_json(pa.timeframe_holidays)
    due = clock.due_now(
        rules=pa.timeframe_rules,
        received_at=pa.received_at,
        pends=pends,
        holidays=holidays,
        state=pa.plan_state,
        extended=pa.extended_at is not None,
    )
    pa.due_at, pa.due_rule, pa.at_risk_at = due.due_at, due.rule, due.at_risk_at


@transaction.atomic
def request_withdraw(*, user: User, request_id: int, reason: str) -> PriorAuthRequest:
    """Return the withdrawn request. Only before a determination, and only with a reason."""
    reason = reason.strip()
    if not reason:
        raise IntakeError("Please give the reason for withdrawing the request.")
    if problem := limits.text_problem("the reason", reason, limits.NOTE):
        raise IntakeError(problem)
    pa = _locked(request_id)
    if not pa.can_withdraw:
        raise IntakeError(
            f"Request {pa} is {pa.get_status_display().lower()} and can no longer be withdrawn."
        )
    previous = pa.status
    pa.status, pa.withdrawn_at, pa.withdrawal_reason = Status.WITHDRAWN, timezone.now(), reason
    pa.save()
    _event(pa, actor=user, kind=EventKind.WITHDRAWN, from_status=previous, to_status=pa.status, reason=reason)
    return pa


@attachment_storage.atomic_removing_files_on_failure
def request_answer_information(
    *, user: User, request_id: int, information_request_id: int, answer: str, uploads: Iterable[Upload] = ()
) -> PriorAuthRequest:
    """Return the request with the reviewer's question answered; with none left open, it is back in review."""
    uploads = list(uploads)
    answer = answer.strip()
    if not answer and not uploads:
        raise IntakeError("Please write an answer or attach at least one document.")
    if problem := limits.text_problem("your answer", answer, limits.PEND_ANSWER):
        raise IntakeError(problem)
    pa = _locked(request_id)
    asked = (
        InformationRequest.objects.select_for_update().filter(pk=information_request_id, request=pa).first()
    )
    if asked is None or pa.status != Status.PENDED or not asked.is_open:
        raise IntakeError("This request is not waiting for that information any more.")
    now = timezone.now()
    asked.answer, asked.answered_by, asked.answered_at = answer, user, now
    asked.save()
    _attach(pa, user=user, uploads=uploads, purpose=AttachmentPurpose.PEND_ANSWER, information_request=asked)
    if not pa.information_requests.filter(answered_at__isnull=True).exists():
        pa.status, pa.information_received_at = Status.IN_REVIEW, now
        due_refresh(pa)
        pa.save()
    _event(
        pa,
        actor=user,
        kind=EventKind.INFORMATION_RECEIVED,
        from_status=Status.PENDED,
        to_status=pa.status,
        reason=answer,
    )
    notify_request_event(request=pa, event=NotificationEvent.INFORMATION_RECEIVED, actor=user)
    return pa


# What an EHR's update (Da Vinci PAS, Claim.related) may change on an open request: the facts
# a reviewer reads, not those it was routed by (the reviewer moves it if the service changed).
EHR_UPDATABLE_FIELDS = frozenset({"diagnoses", "clinical_summary", "expedited_statement"})


@attachment_storage.atomic_removing_files_on_failure
def request_update_by_ehr(
    *, user: User, request_id: int, details: Mapping[str, Any], uploads: Iterable[Upload] = (), reason: str
) -> PriorAuthRequest:
    """Return the open request with the EHR's update applied and recorded (UPDATED_BY_EHR).

    Only a request still waiting for a determination changes; its history stays: the event
    says what changed. Raises IntakeError when it is decided, withdrawn or the details are refused.
    """
    pa = _locked(request_id)
    if pa.status not in (Status.SUBMITTED, Status.IN_REVIEW, Status.PENDED):
        raise IntakeError(f"Request {pa} is {pa.get_status_display().lower()} and can no longer be updated.")
    unknown = set(details) - EHR_UPDATABLE_FIELDS
    if unknown:
        raise ValueError(f"not fields an EHR updates: {', '.join(sorted(unknown))}")
    if problems := validation.details_problems(details):
        raise IntakeError(" ".join(problems))
    for name, value in details.items():
        setattr(pa, name, value)
    pa.save()
    _attach(pa, user=user, uploads=uploads, purpose=AttachmentPurpose.INITIAL)
    _event(
        pa,
        actor=user,
        kind=EventKind.UPDATED_BY_EHR,
        from_status=pa.status,
        to_status=pa.status,
        reason=reason,
    )
    return pa
