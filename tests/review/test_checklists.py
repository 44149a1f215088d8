"""The criteria checklist through the services: which criteria a request gets, saving marks, the rules."""

from __future__ import annotations

import pytest

from priorauth.policies.models import Criterion, Policy
from priorauth.requests.models import Attachment, PriorAuthRequest, Status
from priorauth.review import services as review
from priorauth.review.checklists import MarkInput, checklist_rows, checklist_save
from priorauth.review.models import CriterionAssessment, Determination
from priorauth.review.services import ReviewError, determination_record
from tests.review.world import (  # noqa: F401 (fixtures)
    approval,
    assign,
    denial,
    seed,
    submitted,
)

pytestmark = pytest.mark.usefixtures("seed")

GENERAL_CRITERIA = [
    "Proper and necessary for the diagnosis or treatment of the member's disease, illness or injury",
    "Without it, the member can be expected to suffer prolonged, increased or new morbidity, impairment "
    "of function, dysfunction of a body organ or part, or significant pain and discomfort",
    "Meets the standards of good medical practice in the local area",
    "The lowest cost alternative",
    "Not provided mainly for the convenience of the member or provider",
]


@pytest.fixture
def pa(provider_staff) -> PriorAuthRequest:
    return submitted(provider_staff, "OH")


def claim(reviewer, pa: PriorAuthRequest) -> PriorAuthRequest:
    """Return the request claimed by the reviewer, its checklist untouched (unlike world.claimed)."""
    assign(reviewer, pa)
    return review.review_claim(user=reviewer, request_id=pa.pk)


def mark(reviewer, pa: PriorAuthRequest, *marks: MarkInput) -> int:
    rows = checklist_rows(pa)
    return checklist_save(
        user=reviewer,
        request_id=pa.pk,
        marks={row.criterion.pk: m for row, m in zip(rows, marks, strict=False)},
    )


def document(pa: PriorAuthRequest, name: str = "pet-ct.pdf") -> Attachment:
    return Attachment.objects.create(
        request=pa,
        file=f"attachments/{name}",
        original_name=name,
        content_type="application/pdf",
        size=3,
        sha256=str(hash(name))[-8:].rjust(64, "0"),
        uploaded_by=pa.submitted_by,
    )


MET, NOT_MET, UNCLEAR = MarkInput("met"), MarkInput("not_met"), MarkInput("unclear")


def test_it_gives_a_general_medical_necessity_request_the_preambles_five_criteria(pa):
    assert pa.routing_key == "medical-necessity"
    rows = checklist_rows(pa)
    assert [row.criterion.text for row in rows] == GENERAL_CRITERIA
    assert {row.criterion.section for row in rows} == {"Preamble, definition of medically necessary services"}
    assert {row.criterion.policy.number for row in rows} == {"MP-AD-1623"}
    assert all(row.criterion.evidence and row.assessment is None for row in rows)


def test_it_blocks_a_nurse_approval_until_every_required_criterion_is_met_or_explained(nurse, pa):
    claim(nurse, pa)
    mark(nurse, pa, MET, MET, MET, UNCLEAR)
    with pytest.raises(ReviewError, match=r"criterion 4 \(“The lowest cost alternative”\); criterion 5"):
        determination_record(user=nurse, request_id=pa.pk, **approval())
    pa.refresh_from_db()
    assert pa.status == Status.IN_REVIEW and not Determination.objects.filter(request=pa).exists()

    mark(nurse, pa, MET, MET, MET, MarkInput("unclear", note="Only CAR-T is labeled for a third line."), MET)
    determination = determination_record(user=nurse, request_id=pa.pk, **approval())
    assert [entry["mark"] for entry in determination.criteria_checklist] == [
        "met",
        "met",
        "met",
        "unclear",
        "met",
    ]
    assert determination.criteria_checklist[3]["note"] == "Only CAR-T is labeled for a third line."


def test_it_lets_one_member_of_a_group_stand_for_the_group(nurse, pa):
    policy = Policy.objects.get(number="MP-AD-1623")
    Criterion.objects.filter(policy=policy, position__in=[3, 4]).update(group="Cost or convenience")
    claim(nurse, pa)
    mark(nurse, pa, MET, MET, MET, NOT_MET)
    with pytest.raises(ReviewError, match=r"one of criteria 4, 5 \(“Cost or convenience”\)"):
        determination_record(user=nurse, request_id=pa.pk, **approval())
    mark(nurse, pa, MET, MET, MET, NOT_MET, MET)
    assert determination_record(user=nurse, request_id=pa.pk, **approval()).outcome == "approved"


@pytest.mark.parametrize("outcome", ["denied", "partially_approved", "modified"])
def test_it_refuses_an_adverse_determination_that_names_no_criterion_not_met(physician, pa, outcome):
    claim(physician, pa)
    mark(physician, pa, MET, MET, UNCLEAR, MET, MET)
    with pytest.raises(ReviewError, match="mark at least one criterion not met"):
        determination_record(user=physician, request_id=pa.pk, **approval(**denial(outcome=outcome)))
    mark(physician, pa, MET, MET, UNCLEAR, NOT_MET, MET)
    determination = determination_record(
        user=physician, request_id=pa.pk, **approval(**denial(outcome=outcome))
    )
    assert [e["text"] for e in determination.criteria_checklist if e["mark"] == "not_met"] == [
        GENERAL_CRITERIA[3]
    ]


def test_it_keeps_who_marked_what_when_and_with_which_document(physician, pa):
    claim(physician, pa)
    report = document(pa)
    assert mark(physician, pa, MarkInput("not_met", report.pk, "No second line documented.")) == 1
    saved = CriterionAssessment.objects.get(request=pa)
    assert (saved.mark, saved.document, saved.note, saved.assessed_by) == (
        "not_met",
        report,
        "No second line documented.",
        physician,
    )
    assert saved.assessed_at is not None and saved.history.count() == 1
    # The same marks again change nothing and write no history.
    assert mark(physician, pa, MarkInput("not_met", report.pk, "No second line documented.")) == 0
    assert saved.history.count() == 1
    # Emptied, the mark goes (its history keeps it).
    assert mark(physician, pa, MarkInput()) == 1
    assert not CriterionAssessment.objects.filter(request=pa).exists() and saved.history.count() == 2


def test_it_refuses_a_document_of_another_request(physician, pa, provider_staff):
    other = submitted(provider_staff, "OH")
    claim(physician, pa)
    with pytest.raises(ReviewError, match="one of this request's documents for criterion 1"):
        mark(physician, pa, MarkInput("met", document(other).pk))
    assert not CriterionAssessment.objects.exists()


def test_it_refuses_a_note_over_its_limit(physician, pa):
    claim(physician, pa)
    with pytest.raises(ReviewError, match="the note on criterion 2 to 1,000 characters"):
        mark(physician, pa, MET, MarkInput("unclear", note="w" * 1001))
    assert not CriterionAssessment.objects.exists()


def test_it_refuses_marks_from_a_reviewer_not_holding_the_request(nurse, physician, pa):
    claim(physician, pa)
    assign(nurse, pa)
    with pytest.raises(ReviewError, match="Please claim request"):
        mark(nurse, pa, MET)


def test_it_refuses_a_criterion_not_on_the_checklist(physician, pa):
    claim(physician, pa)
    with pytest.raises(ReviewError, match="checklist has changed"):
        checklist_save(user=physician, request_id=pa.pk, marks={-1: MET})


@pytest.mark.parametrize("route", ["benefits", "eligibility", "triage"])
def test_it_gives_a_request_routed_to_no_criteria_no_checklist(nurse, pa, route):
    PriorAuthRequest.objects.filter(pk=pa.pk).update(routing_key=route)
    pa.refresh_from_db()
    assert checklist_rows(pa) == []
    claim(nurse, pa)
    assert determination_record(user=nurse, request_id=pa.pk, **approval()).criteria_checklist == []


def test_it_applies_no_rule_for_a_policy_with_no_criteria_yet(physician, pa):
    Criterion.objects.all().delete()
    claim(physician, pa)
    with pytest.raises(ReviewError, match="has no criteria checklist"):
        mark(physician, pa, MET)
    assert determination_record(user=physician, request_id=pa.pk, **denial()).outcome == "denied"


def test_it_keeps_a_mark_when_the_criterions_words_change(physician, pa):
    claim(physician, pa)
    mark(physician, pa, NOT_MET)
    Criterion.objects.filter(text=GENERAL_CRITERIA[0]).update(text="Proper and necessary (reworded)")
    determination = determination_record(user=physician, request_id=pa.pk, **denial())
    assert determination.criteria_checklist[0]["text"] == "Proper and necessary (reworded)"
    assert determination.criteria_checklist[0]["mark"] == "not_met"
