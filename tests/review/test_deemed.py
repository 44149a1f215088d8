"""Approval by operation of law: Georgia and Indiana requests undecided at their due time."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from priorauth.requests import services
from priorauth.requests.models import EventKind, Status
from priorauth.review.models import Determination
from priorauth.review.services import ReviewError, deemed_approvals_record, determination_record, review_pend
from priorauth.review.tasks import record_deemed_approvals
from tests.review.world import (  # noqa: F401 (fixtures)
    MONDAY,
    approval,
    claimed,
    seed,
    submitted,
)

pytestmark = pytest.mark.usefixtures("seed")


def days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def test_it_approves_a_georgia_request_by_operation_of_law_at_its_due_time(clock, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "GA"))
    assert deemed_approvals_record(now=MONDAY + days(7) - datetime.timedelta(seconds=1)) == 0
    clock.move_to(MONDAY + days(7))
    assert deemed_approvals_record(now=MONDAY + days(7)) == 1
    pa.refresh_from_db()
    assert pa.status == Status.APPROVED and pa.claimed_by is None
    assert pa.decided_at == MONDAY + days(7)
    determination = pa.determination
    assert determination.by_operation_of_law and determination.decided_by is None
    assert determination.reason == (
        "Approved by operation of law: no decision within 7 calendar days "
        "as O.C.G.A. 33-46-26, -27, -29 requires."
    )
    assert determination.approved_service == "Yescarta (axicabtagene ciloleucel) (Q2041)"
    line = pa.events.get(kind=EventKind.DEEMED_APPROVED)
    assert line.actor is None and line.to_status == Status.APPROVED and not line.internal
    assert line.reason.startswith("Approved by operation of law")


def test_it_records_a_deemed_approval_once(clock, provider_staff):
    submitted(provider_staff, "GA")
    later = MONDAY + days(8)
    assert deemed_approvals_record(now=later) == 1
    assert deemed_approvals_record(now=later) == 0
    assert Determination.objects.count() == 1


def test_it_leaves_an_ohio_breach_undecided(clock, provider_staff):
    pa = submitted(provider_staff, "OH")
    assert deemed_approvals_record(now=MONDAY + days(30)) == 0
    pa.refresh_from_db()
    assert pa.status == Status.IN_REVIEW and not Determination.objects.exists()


def test_it_approves_an_indiana_request_after_48_business_hours(clock, provider_staff):
    pa = submitted(provider_staff, "IN")
    assert pa.due_at == MONDAY + days(2)
    assert deemed_approvals_record(now=MONDAY + days(2)) == 1
    assert Determination.objects.get().reason.endswith("48 business hours as IC 27-1-37.5-23 requires.")


def test_it_skips_a_georgia_request_whose_clock_is_stopped_by_a_pend(clock, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "GA"))
    clock.move_to(MONDAY + days(1))
    asked = review_pend(user=nurse, request_id=pa.pk, needed="PET-CT", respond_by=MONDAY + days(60))
    assert deemed_approvals_record(now=MONDAY + days(10)) == 0
    clock.move_to(MONDAY + days(10))
    services.request_answer_information(
        user=provider_staff, request_id=pa.pk, information_request_id=asked.pk, answer="Attached."
    )
    assert deemed_approvals_record(now=MONDAY + days(16)) == 0
    assert deemed_approvals_record(now=MONDAY + days(17)) == 1


def test_it_approves_a_pended_indiana_request_whose_clock_runs_on(clock, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "IN"))
    review_pend(user=nurse, request_id=pa.pk, needed="PET-CT", respond_by=MONDAY + days(60))
    assert deemed_approvals_record(now=MONDAY + days(2)) == 1
    pa.refresh_from_db()
    assert pa.status == Status.APPROVED


def test_it_leaves_a_decided_request_alone(clock, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "GA"))
    determination_record(user=nurse, request_id=pa.pk, **approval())
    assert deemed_approvals_record(now=MONDAY + days(8)) == 0


def test_it_refuses_a_decision_once_the_law_has_approved(clock, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "GA"))
    clock.move_to(MONDAY + days(7))
    with pytest.raises(ReviewError, match="approved by operation of law"):
        determination_record(user=nurse, request_id=pa.pk, **approval())


def test_it_runs_as_a_periodic_task(clock, provider_staff):
    submitted(provider_staff, "GA")
    clock.move_to(MONDAY + days(8))
    assert record_deemed_approvals.delay().get() == 1


def test_it_is_on_the_beat_schedule_every_five_minutes():
    from priorauth.celery import app

    entry = app.conf.beat_schedule["record-deemed-approvals"]
    assert entry["task"] == record_deemed_approvals.name and entry["schedule"] == 300
