"""A request's criteria checklist: which criteria apply, the reviewer's marks, and saving them.

The criteria are the criteria policy's (a request routed to a medical or pharmacy policy), or,
for a general medical-necessity determination, those of the governing policy's own definition
of medically necessary services (MP-AD-1623's preamble). Any other route (triage, eligibility,
benefits, a transplant, no authorization required) and a policy with no criteria yet have no
checklist, and its rules (`checklist_rules`) ask nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from priorauth import limits
from priorauth.members.models import User
from priorauth.policies.models import Criterion, Policy
from priorauth.requests.models import PriorAuthRequest
from priorauth.review import checklist_rules
from priorauth.review.common import ReviewError, check_may_act, locked
from priorauth.review.models import CriterionAssessment, Determination, Mark

# Routes whose criteria are the criteria policy's; the general route takes the governing policy's.
CRITERIA_POLICY_ROUTES = frozenset({"medical-policy", "pharmacy-policy"})
GENERAL_ROUTE = "medical-necessity"


def checklist_policy(pa: PriorAuthRequest) -> Policy | None:
    """Return the policy version whose criteria the request is reviewed against, or None.

    The version is the one stored with the request; one stored without its effective date gets
    the version of that number in effect on the date of service.
    """
    if pa.routing_key in CRITERIA_POLICY_ROUTES:
        number, effective = pa.criteria_policy_number, pa.criteria_policy_effective
    elif pa.routing_key == GENERAL_ROUTE:
        number, effective = pa.governing_policy_number, pa.governing_policy_effective
    else:
        return None
    return _version(number, effective, pa.date_of_service)


def _version(number: str, effective: datetime.date | None, on: datetime.date | None) -> Policy | None:
    if not number:
        return None
    versions = list(Policy.objects.filter(number=number))
    chosen = next((p for p in versions if p.effective == effective), None) if effective else None
    if chosen is None and on is not None:
        chosen = next((p for p in versions if p.is_in_effect(on)), None)
    return chosen


@dataclass(frozen=True)
class Row:
    """A criterion of the checklist and the reviewer's mark on it (None: not marked)."""

    criterion: Criterion
    assessment: CriterionAssessment | None


def checklist_rows(pa: PriorAuthRequest) -> list[Row]:
    """Return the request's checklist in the policy's order; empty when it has none."""
    policy = checklist_policy(pa)
    if policy is None:
        return []
    criteria = list(policy.criteria.order_by("position", "pk"))
    marks = {
        a.criterion_id: a
        for a in CriterionAssessment.objects.filter(request=pa, criterion__in=criteria).select_related(
            "document", "assessed_by"
        )
    }
    return [Row(criterion, marks.get(criterion.pk)) for criterion in criteria]


def rule_items(rows: Sequence[Row]) -> list[checklist_rules.Item]:
    """Return the rows as the rules read them: each criterion with its mark, note and document."""
    items = []
    for row in rows:
        c, a = row.criterion, row.assessment
        items.append(
            checklist_rules.Item(
                text=c.text,
                section=c.section,
                group=c.group,
                evidence=c.evidence,
                mark=a.mark if a else "",
                note=a.note if a else "",
                document=a.document.original_name if a and a.document else "",
            )
        )
    return items


def checklist_shown(pa: PriorAuthRequest, determination: Determination | None) -> list[checklist_rules.Item]:
    """Return the checklist a review screen shows: as recorded once decided, else as it stands."""
    if determination is not None:
        return [checklist_rules.Item(**entry) for entry in determination.criteria_checklist]
    return rule_items(checklist_rows(pa))


def determination_problem(pa: PriorAuthRequest, *, adverse: bool) -> tuple[str, list[checklist_rules.Item]]:
    """Return why the checklist refuses this determination ("" if it does not), and the checklist."""
    items = rule_items(checklist_rows(pa))
    problem = checklist_rules.adverse_problem(items) if adverse else checklist_rules.approval_problem(items)
    return problem, items


@dataclass(frozen=True)
class MarkInput:
    """What the reviewer gave for one criterion: a mark ("" for none), a document, a note."""

    mark: str = ""
    document_id: int | None = None
    note: str = ""


@transaction.atomic
def checklist_save(*, user: User, request_id: int, marks: Mapping[int, MarkInput]) -> int:
    """Return how many criteria's marks changed; the others are left as they were.

    Refused (ReviewError, nothing written): anyone but the reviewer who may decide the request
    now (`check_may_act`); a request with no checklist; a criterion not on it; an unknown mark;
    a document of another request; a note over `limits.CRITERION_NOTE`. A criterion given no
    mark, note or document loses its mark.
    """
    now = timezone.now()
    pa = locked(user, request_id)
    check_may_act(user, pa, "work its criteria checklist", now=now)
    rows = {row.criterion.pk: (number, row) for number, row in enumerate(checklist_rows(pa), start=1)}
    if not rows:
        raise ReviewError(f"Request {pa} has no criteria checklist.")
    if set(marks) - set(rows):
        raise ReviewError("The checklist has changed since the page was opened: please reload it.")
    documents = set(pa.attachments.values_list("pk", flat=True))
    for criterion_id, given in marks.items():
        number = rows[criterion_id][0]
        if given.mark not in ("", *Mark.values):
            raise ReviewError(f"Please mark criterion {number} met, not met or unclear.")
        if given.document_id is not None and given.document_id not in documents:
            raise ReviewError(f"Please choose one of this request's documents for criterion {number}.")
        what = f"the note on criterion {number}"
        if problem := limits.text_problem(what, given.note, limits.CRITERION_NOTE):
            raise ReviewError(problem)
    return sum(_save_mark(pa, rows[pk][1], given, user, now) for pk, given in marks.items())


def _save_mark(pa: PriorAuthRequest, row: Row, given: MarkInput, user: User, now: datetime.datetime) -> bool:
    """Return whether the criterion's mark changed, saving it (or removing it when emptied)."""
    note = given.note.strip()
    existing = row.assessment
    if not given.mark and not note and given.document_id is None:
        if existing is None:
            return False
        existing.delete()
        return True
    wanted = (given.mark, given.document_id, note)
    if existing is not None and (existing.mark, existing.document_id, existing.note) == wanted:
        return False
    assessment = existing or CriterionAssessment(request=pa, criterion=row.criterion)
    assessment.mark, assessment.document_id, assessment.note = wanted
    assessment.assessed_by, assessment.assessed_at = user, now
    assessment.save()
    return True
