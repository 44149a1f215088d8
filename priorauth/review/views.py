"""The reviewers' pages: their queues, a queue, the review screen and its actions, the supervisor's view.

Every view is open to nurse and physician reviewers and supervisors only; anyone else gets
404 (`reviewer_required`). Each action view is thin: it validates its form, calls one review
service, and on a refused action shows the service's message next to that form, input kept.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from priorauth.members.models import Role, User
from priorauth.policies import vocab
from priorauth.policies.models import ReviewQueue
from priorauth.requests import clock, selectors
from priorauth.requests.label_hint import label_check_for
from priorauth.requests.models import PriorAuthRequest, Status
from priorauth.requests.views import document_response
from priorauth.review import checklists, supervisor_selectors
from priorauth.review import selectors as review_selectors
from priorauth.review.access import (
    assigned_queue_ids,
    get_attachment_for_reviewer,
    get_request_for_reviewer,
    is_supervisor,
    reviewer_required,
)
from priorauth.review.assignments import duty, queue_assignment_add, queue_assignment_remove
from priorauth.review.checklist_forms import ChecklistForm
from priorauth.review.common import name_of
from priorauth.review.forms import (
    AdverseForm,
    ApproveForm,
    AssignmentForm,
    ClaimForm,
    EscalateForm,
    ExtendForm,
    MoveForm,
    NoteForm,
    PendForm,
    QueueFilterForm,
    ReassignForm,
    ReleaseForm,
)
from priorauth.review.models import Outcome, TalkOutcome
from priorauth.review.peer_to_peer import screen
from priorauth.review.peer_to_peer.forms import TalkChangedForm, TalkScheduleForm, TalkUpheldForm
from priorauth.review.peer_to_peer.services import peer_to_peer_record_outcome, peer_to_peer_schedule
from priorauth.review.services import (
    ReviewError,
    determination_record,
    review_add_note,
    review_claim,
    review_escalate,
    review_extend,
    review_move,
    review_pend,
    review_reassign,
    review_release,
)


@reviewer_required
def my_queues(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {
        "queues": review_selectors.reviewer_queues(request.user, now),
        "claimed": [review_selectors.row_for(pa, now) for pa in review_selectors.claimed_by(request.user)],
        "is_supervisor": is_supervisor(request.user),
    }
    return render(request, "review/my_queues.html", context)


def _get_queue_for_reviewer(request: HttpRequest, code: str) -> ReviewQueue:
    """Return the queue if the user works it (a supervisor: any queue), or raise Http404."""
    queue = ReviewQueue.objects.filter(code=code).first()
    if queue is None or not (is_supervisor(request.user) or queue.pk in assigned_queue_ids(request.user)):
        raise Http404("No such queue.")
    return queue


@reviewer_required
def queue_detail(request: HttpRequest, code: str) -> HttpResponse:
    queue = _get_queue_for_reviewer(request, code)
    form = QueueFilterForm(request.GET or None)
    filters = (
        review_selectors.QueueFilters(**form.cleaned_data)
        if form.is_valid()
        else review_selectors.QueueFilters()
    )
    page, rows = review_selectors.queue_page(queue, filters, request.GET.get("page"), user=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"queue": queue, "form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "review/queue.html", context)


def _action_forms(pa: PriorAuthRequest) -> dict[str, Any]:
    talk = screen.open_talk(pa)
    talk_initial = {"talk": talk.pk} if talk else {}
    return {
        "extend": ExtendForm(),
        "talk_schedule": TalkScheduleForm(initial=talk_initial),
        "talk_upheld": TalkUpheldForm(initial=talk_initial),
        "talk_changed": TalkChangedForm(initial={**TalkChangedForm.initial_for(pa), **talk_initial}),
        "claim": ClaimForm(),
        "release": ReleaseForm(),
        "note": NoteForm(),
        "pend": PendForm(urgency=pa.urgency),
        "escalate": EscalateForm(),
        "approve": ApproveForm(initial=ApproveForm.initial_for(pa)),
        "adverse": AdverseForm(initial=AdverseForm.initial_for(pa)),
        "reassign": ReassignForm(),
        "move": MoveForm(exclude=pa.queue),
    }


def _actions(user: User, pa: PriorAuthRequest) -> set[str]:
    """Return which action forms to show this user on this request now; the services still decide."""
    is_open = pa.status in review_selectors.OPEN_STATUSES
    mine = pa.claimed_by_id == user.pk
    shown = {"note"}
    if is_open and pa.claimed_by_id is None and not is_supervisor(user):
        shown.add("claim")
    if is_open and pa.claimed_by_id is not None and (mine or is_supervisor(user)):
        shown.add("release")
    if is_open and is_supervisor(user):
        shown |= {"reassign", "move"}
    if mine and pa.status == Status.IN_REVIEW:
        if user.role == Role.PHYSICIAN_REVIEWER:
            shown |= {"approve", "pend", "adverse", "checklist"}
        elif user.role == Role.CLINICAL_REVIEWER and not pa.needs_physician:
            # An escalated request waits for a physician: the nurse only reads and notes.
            shown |= {"approve", "pend", "escalate", "checklist"}
    return shown | screen.talk_actions(user, pa)


def _due(pa: PriorAuthRequest, now: datetime.datetime) -> dict[str, Any]:
    """Return where the request stands against its due time, and its rule in words."""
    rule = pa.due_rule or {}
    unit = rule.get("unit", "")
    words = f"{rule.get('amount')} {vocab.TIMEFRAME_UNITS.get(unit, unit).lower()}" if rule else ""
    return {
        "state": clock.due_state(
            received_at=pa.received_at, due_at=pa.due_at, at_risk_at=pa.at_risk_at, now=now
        ),
        "time_left": clock.time_left(pa.due_at, now),
        "rule": rule,
        "rule_words": words,
    }


def _render_review(
    request: HttpRequest, pa: PriorAuthRequest, bound: dict[str, Any] | None = None
) -> HttpResponse:
    determination = getattr(pa, "determination", None) if pa.is_determined else None
    forms = {**_action_forms(pa), "checklist": ChecklistForm(**_checklist_kwargs(pa)), **(bound or {})}
    if not is_supervisor(request.user):
        # A physician schedules a talk for themselves; only a supervisor names who will talk.
        forms["talk_schedule"].fields.pop("physician", None)
    now = timezone.now()
    on = pa.date_of_service
    context = {
        "pa": pa,
        "forms": forms,
        # A refused form stays on screen with its message, even if the state no longer offers it.
        "actions": _actions(request.user, pa) | set(bound or {}),
        "refused": next(iter(bound or {}), ""),
        "due": _due(pa, now),
        # A decided or withdrawn request has no clock running and nothing left to act on.
        "is_open": pa.status in review_selectors.OPEN_STATUSES,
        "trace": selectors.trace_lines(pa.decision),
        "review_kind": selectors.review_kind(pa),
        "diagnosis_descriptions": selectors.describe_codes(pa.diagnoses),
        "label_check": label_check_for(pa),
        "coverage": pa.member.coverage_periods.all(),
        "coverage_on_service": pa.member.coverage_on(on) if on else None,
        "governing": review_selectors.policy_text(
            pa.governing_policy_number, pa.governing_policy_effective, on
        ),
        "criteria": review_selectors.policy_text(pa.criteria_policy_number, pa.criteria_policy_effective, on),
        "checklist": checklists.checklist_shown(pa, determination),
        "attachments": pa.attachments.select_related("uploaded_by"),
        "information_requests": pa.information_requests.select_related("asked_by", "answered_by"),
        "notes": pa.notes.select_related("author"),
        "events": pa.events.select_related("actor"),
        "determination": determination,
        "extension": screen.extension_shown(request.user, pa, now),
        "talks": pa.peer_to_peer_talks.select_related("physician", "requested_by", "new_determination"),
        "open_talk": screen.open_talk(pa),
    }
    return render(request, "review/request.html", context)


@reviewer_required
def review_request(request: HttpRequest, pk: int) -> HttpResponse:
    pa = get_request_for_reviewer(request.user, pk)
    return _render_review(request, pa)


@dataclass(frozen=True)
class Action:
    """One action of the review screen: its form, the service call, and what to say when done."""

    form: type[Form]
    perform: Callable[[User, PriorAuthRequest, dict[str, Any]], object]
    done: str
    # What the form needs to know of the request (the pend form's bounds depend on its urgency).
    form_kwargs: Callable[[PriorAuthRequest], dict[str, Any]] = lambda pa: {}


def _checklist_kwargs(pa: PriorAuthRequest) -> dict[str, Any]:
    return {"rows": checklists.checklist_rows(pa), "documents": list(pa.attachments.all())}


def _determine(user: User, pa: PriorAuthRequest, data: dict[str, Any]) -> object:
    return determination_record(user=user, request_id=pa.pk, **data)


def _changed(user: User, pa: PriorAuthRequest, data: dict[str, Any]) -> object:
    decision = {key: value for key, value in data.items() if key not in ("talk", "note")}
    return peer_to_peer_record_outcome(
        user=user,
        request_id=pa.pk,
        talk_id=data["talk"],
        outcome=TalkOutcome.CHANGED,
        note=data["note"],
        decision=decision,
    )


ACTIONS: dict[str, Action] = {
    "claim": Action(
        ClaimForm,
        lambda user, pa, data: review_claim(user=user, request_id=pa.pk),
        "You claimed request {pa}.",
    ),
    "release": Action(
        ReleaseForm,
        lambda user, pa, data: review_release(user=user, request_id=pa.pk),
        "Request {pa} is back in its queue, unclaimed.",
    ),
    "note": Action(
        NoteForm,
        lambda user, pa, data: review_add_note(user=user, request_id=pa.pk, **data),
        "Internal note added.",
    ),
    "pend": Action(
        PendForm,
        lambda user, pa, data: review_pend(user=user, request_id=pa.pk, **data),
        "Request {pa} is pended: the provider is asked for the information.",
        form_kwargs=lambda pa: {"urgency": pa.urgency},
    ),
    "escalate": Action(
        EscalateForm,
        lambda user, pa, data: review_escalate(user=user, request_id=pa.pk, **data),
        "Request {pa} is escalated for physician review.",
    ),
    "approve": Action(
        ApproveForm,
        lambda user, pa, data: _determine(user, pa, {"outcome": Outcome.APPROVED, **data}),
        "Request {pa} is approved; the letter is ready.",
    ),
    "adverse": Action(
        AdverseForm, _determine, "The determination on request {pa} is recorded; the letter is ready."
    ),
    "checklist": Action(
        ChecklistForm,
        lambda user, pa, data: checklists.checklist_save(user=user, request_id=pa.pk, marks=data["marks"]),
        "The criteria checklist of request {pa} is saved.",
        form_kwargs=_checklist_kwargs,
    ),
    "extend": Action(
        ExtendForm,
        lambda user, pa, data: review_extend(user=user, request_id=pa.pk, **data),
        "The timeframe of request {pa} is extended; the provider is told the new due time.",
    ),
    "talk_schedule": Action(
        TalkScheduleForm,
        lambda user, pa, data: peer_to_peer_schedule(
            user=user,
            request_id=pa.pk,
            talk_id=data["talk"],
            slot_at=data["slot_at"],
            physician=data["physician"],
        ),
        "The peer-to-peer talk on request {pa} is scheduled; the provider is told.",
    ),
    "talk_upheld": Action(
        TalkUpheldForm,
        lambda user, pa, data: peer_to_peer_record_outcome(
            user=user, request_id=pa.pk, talk_id=data["talk"], outcome=TalkOutcome.UPHELD, note=data["note"]
        ),
        "The peer-to-peer talk on request {pa} is recorded: the decision stands.",
    ),
    "talk_changed": Action(
        TalkChangedForm,
        lambda user, pa, data: _changed(user, pa, data),
        "The decision on request {pa} is changed; the new letter replaces the old one.",
    ),
    "reassign": Action(
        ReassignForm,
        lambda user, pa, data: review_reassign(
            user=user, request_id=pa.pk, reviewer_id=data["reviewer"].pk, reason=data["reason"]
        ),
        "Request {pa} is reassigned.",
    ),
    "move": Action(
        MoveForm,
        lambda user, pa, data: review_move(
            user=user, request_id=pa.pk, queue_code=data["queue"].code, reason=data["reason"]
        ),
        "Request {pa} is moved to another queue.",
    ),
}


@reviewer_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Return the review screen after one action: a redirect when done, else the form with its errors."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action.")
    pa = get_request_for_reviewer(request.user, pk)
    form = spec.form(request.POST, **spec.form_kwargs(pa))
    if form.is_valid():
        try:
            spec.perform(request.user, pa, form.cleaned_data)
        except ReviewError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, spec.done.format(pa=pa))
            return _after(request, pa)
    return _render_review(request, pa, {action: form})


def _after(request: HttpRequest, pa: PriorAuthRequest) -> HttpResponse:
    """Return to the review screen, or to the queues when the user may no longer see the request."""
    try:
        get_request_for_reviewer(request.user, pa.pk)
    except Http404:
        return redirect("review:queues")
    return redirect("review:request", pk=pa.pk)


@reviewer_required
def document(request: HttpRequest, pk: int) -> FileResponse:
    """Return a document of a request the reviewer may see; PDFs and images open in the browser."""
    attachment = get_attachment_for_reviewer(request.user, pk)
    return document_response(request, attachment)


def _supervisor_only(request: HttpRequest) -> None:
    # Nurses and physicians have no supervisor pages: to them these URLs do not exist.
    if not is_supervisor(request.user):
        raise Http404("No such page.")


def _render_supervisor(request: HttpRequest, refused: dict[str, Any] | None = None) -> HttpResponse:
    overview = supervisor_selectors.supervisor_queues()
    context = {
        "overview": overview,
        "queues": [item.queue for item in overview],
        "workload": review_selectors.reviewer_workload(),
        "refused": refused,
    }
    return render(request, "review/supervisor.html", context)


@reviewer_required
def supervisor(request: HttpRequest) -> HttpResponse:
    _supervisor_only(request)
    return _render_supervisor(request)


@reviewer_required
@require_POST
def supervisor_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """Reassign one of the requests listed on the supervisor's page; a refusal is shown there, input kept."""
    _supervisor_only(request)
    form = ReassignForm(request.POST)
    if form.is_valid():
        try:
            pa = review_reassign(
                user=request.user,
                request_id=pk,
                reviewer_id=form.cleaned_data["reviewer"].pk,
                reason=form.cleaned_data["reason"],
            )
        except ReviewError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Request {pa} is now with {name_of(pa.claimed_by)}.")
            return redirect(f"{reverse('review:supervisor')}#queue-{pa.queue.code}")
    refused = {
        "pk": pk,
        "reviewer": form.data.get(form.add_prefix("reviewer"), ""),
        "reason": form.data.get(form.add_prefix("reason"), ""),
        "errors": [message for errors in form.errors.values() for message in errors],
    }
    return _render_supervisor(request, refused)


def _render_assignments(request: HttpRequest, form: AssignmentForm) -> HttpResponse:
    context = {"form": form, "assignments": review_selectors.assignments()}
    return render(request, "review/assignments.html", context)


@reviewer_required
def assignments(request: HttpRequest) -> HttpResponse:
    _supervisor_only(request)
    if request.method != "POST":
        return _render_assignments(request, AssignmentForm())
    form = AssignmentForm(request.POST)
    if form.is_valid():
        try:
            added = queue_assignment_add(
                user=request.user,
                reviewer_id=form.cleaned_data["reviewer"].pk,
                queue_id=form.cleaned_data["queue"].pk,
            )
        except ReviewError as error:
            form.add_error(None, error.message)
        else:
            who = added.reviewer.get_full_name() or added.reviewer
            messages.success(request, f"{who} now {duty(added.reviewer)} {added.queue.name}.")
            return redirect("review:assignments")
    return _render_assignments(request, form)


@reviewer_required
@require_POST
def assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _supervisor_only(request)
    try:
        queue_assignment_remove(user=request.user, assignment_id=pk)
    except ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The reviewer no longer works that queue.")
    return redirect("review:assignments")
