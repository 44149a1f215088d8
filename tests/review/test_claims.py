"""Claims and supervisors' moves: who may claim, release, reassign and move, and what is recorded."""

from __future__ import annotations

import re

import pytest

from priorauth.requests.models import EventKind
from priorauth.review.models import InternalNote
from priorauth.review.services import (
    ReviewError,
    review_add_note,
    review_claim,
    review_move,
    review_reassign,
    review_release,
)
from tests.review.world import (  # noqa: F401 (fixtures)
    assign,
    claimed,
    other_nurse,
    seed,
    submitted,
)

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def pa(provider_staff):
    return submitted(provider_staff, "OH")


def test_it_lets_a_reviewer_claim_a_request_in_their_queue(nurse, pa):
    claimed(nurse, pa)
    pa.refresh_from_db()
    assert pa.claimed_by == nurse and pa.claimed_at is not None
    line = pa.events.get(kind=EventKind.CLAIMED)
    assert line.actor == nurse and line.internal


def test_it_refuses_a_claim_outside_the_reviewers_queues(nurse, pa):
    with pytest.raises(ReviewError, match="No such request"):
        review_claim(user=nurse, request_id=pa.pk)


def test_it_refuses_a_supervisors_claim_pointing_to_reassign(supervisor, pa):
    # A supervisor cannot decide, so their claim would only hold the request back from the reviewers.
    message = "Supervisors assign requests to reviewers; they do not claim them. Use Reassign."
    with pytest.raises(ReviewError, match=re.escape(message)):
        review_claim(user=supervisor, request_id=pa.pk)
    pa.refresh_from_db()
    assert pa.claimed_by is None and not pa.events.filter(kind=EventKind.CLAIMED).exists()


def test_it_tells_the_second_claimer_who_has_it(nurse, other_nurse, pa):
    other_nurse.first_name, other_nurse.last_name = "Noah", "Adams"
    other_nurse.save()
    claimed(other_nurse, pa)
    assign(nurse, pa)
    with pytest.raises(ReviewError, match="Already claimed by Noah Adams"):
        review_claim(user=nurse, request_id=pa.pk)


def test_it_treats_claiming_ones_own_claim_again_as_done(nurse, pa):
    claimed(nurse, pa)
    assert review_claim(user=nurse, request_id=pa.pk).claimed_by == nurse
    assert pa.events.filter(kind=EventKind.CLAIMED).count() == 1


def test_it_lets_the_claimer_release(nurse, pa):
    claimed(nurse, pa)
    review_release(user=nurse, request_id=pa.pk)
    pa.refresh_from_db()
    assert pa.claimed_by is None
    assert pa.events.get(kind=EventKind.RELEASED).internal


def test_it_refuses_a_release_by_another_reviewer(nurse, other_nurse, pa):
    claimed(nurse, pa)
    assign(other_nurse, pa)
    with pytest.raises(ReviewError, match="only they or a supervisor"):
        review_release(user=other_nurse, request_id=pa.pk)


def test_it_lets_a_supervisor_release_anyones_claim(nurse, supervisor, pa):
    claimed(nurse, pa)
    review_release(user=supervisor, request_id=pa.pk)
    pa.refresh_from_db()
    assert pa.claimed_by is None
    assert pa.events.get(kind=EventKind.RELEASED).reason == "Released from nina."


def test_it_lets_a_supervisor_reassign_to_a_reviewer_of_the_queue(nurse, other_nurse, supervisor, pa):
    claimed(nurse, pa)
    assign(other_nurse, pa)
    review_reassign(user=supervisor, request_id=pa.pk, reviewer_id=other_nurse.pk, reason="Nina is on leave.")
    pa.refresh_from_db()
    assert pa.claimed_by == other_nurse
    line = pa.events.get(kind=EventKind.REASSIGNED)
    assert line.internal and line.actor == supervisor
    assert line.reason == "From nina to noah: Nina is on leave."


def test_it_reassigns_only_to_a_reviewer_of_the_queue(other_nurse, supervisor, pa):
    with pytest.raises(ReviewError, match="not assigned"):
        review_reassign(user=supervisor, request_id=pa.pk, reviewer_id=other_nurse.pk, reason="Cover.")


def test_it_reassigns_only_to_a_nurse_or_physician(supervisor, provider_staff, pa):
    with pytest.raises(ReviewError, match="choose a nurse or physician"):
        review_reassign(user=supervisor, request_id=pa.pk, reviewer_id=provider_staff.pk, reason="Cover.")


def test_it_needs_a_reason_to_reassign(nurse, supervisor, pa):
    assign(nurse, pa)
    with pytest.raises(ReviewError, match="reason for reassigning"):
        review_reassign(user=supervisor, request_id=pa.pk, reviewer_id=nurse.pk, reason="")


def test_it_refuses_a_reassignment_by_a_reviewer(nurse, other_nurse, pa):
    claimed(nurse, pa)
    assign(other_nurse, pa)
    with pytest.raises(ReviewError, match="Only a supervisor"):
        review_reassign(user=nurse, request_id=pa.pk, reviewer_id=other_nurse.pk, reason="Swap.")


def test_it_lets_a_supervisor_move_a_request_to_another_queue(nurse, supervisor, pa):
    claimed(nurse, pa)
    review_move(user=supervisor, request_id=pa.pk, queue_code="benefits", reason="The plan may exclude it.")
    pa.refresh_from_db()
    assert pa.queue.code == "benefits" and pa.claimed_by is None
    line = pa.events.get(kind=EventKind.MOVED)
    assert line.internal and line.reason.endswith("Benefits review (SOB): The plan may exclude it.")


@pytest.mark.parametrize(
    ("queue_code", "reason", "message"),
    [
        ("benefits", " ", "reason for moving"),
        ("nowhere", "Wrong queue.", "no queue 'nowhere'"),
    ],
)
def test_it_refuses_a_move_without_reason_or_queue(supervisor, pa, queue_code, reason, message):
    with pytest.raises(ReviewError, match=message):
        review_move(user=supervisor, request_id=pa.pk, queue_code=queue_code, reason=reason)


def test_it_refuses_a_move_by_a_reviewer(nurse, pa):
    claimed(nurse, pa)
    with pytest.raises(ReviewError, match="Only a supervisor"):
        review_move(user=nurse, request_id=pa.pk, queue_code="benefits", reason="Benefits question.")


def test_it_keeps_internal_notes_as_internal_events(nurse, pa):
    assign(nurse, pa)
    note = review_add_note(user=nurse, request_id=pa.pk, text="Called the office; PET-CT to follow.")
    assert InternalNote.objects.get() == note and note.author == nurse
    assert pa.events.get(kind=EventKind.NOTE_ADDED).internal
    with pytest.raises(ReviewError, match="the note's text"):
        review_add_note(user=nurse, request_id=pa.pk, text="  ")


def test_it_keeps_notes_from_reviewers_of_other_queues(other_nurse, pa):
    with pytest.raises(ReviewError, match="No such request"):
        review_add_note(user=other_nurse, request_id=pa.pk, text="Peeking.")
