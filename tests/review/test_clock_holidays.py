"""The holidays an Indiana request's business hours skip are those known at submission."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from priorauth.policies.models import Holiday
from priorauth.requests import services
from priorauth.requests.models import PriorAuthRequest
from priorauth.review.services import review_pend
from tests.review.world import MONDAY, claimed, seed, submitted  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("seed")

# The Thursday before Juneteenth (a holiday in the seed bundle): 48 business hours skip Friday
# and the weekend, 10 hours on Thursday, 24 on Monday, 14 on Tuesday.
THURSDAY = datetime.datetime(2026, 6, 18, 14, 0, tzinfo=datetime.UTC)
TUESDAY_AFTER = datetime.datetime(2026, 6, 23, 14, 0, tzinfo=datetime.UTC)


def hours(n: float) -> datetime.timedelta:
    return datetime.timedelta(hours=n)


def pend_then_answer(
    clock, reviewer, staff, pa: PriorAuthRequest
) -> tuple[PriorAuthRequest, PriorAuthRequest]:
    """Return the request as the pend left it and as the answer left it (each recomputes its due time)."""
    pa = claimed(reviewer, pa)
    clock.shift(hours(2))
    asked = review_pend(
        user=reviewer,
        request_id=pa.pk,
        needed="Please send the PET-CT.",
        respond_by=timezone.now() + hours(50 * 24),
    )
    pended = PriorAuthRequest.objects.get(pk=pa.pk)
    clock.shift(hours(2))
    answered = services.request_answer_information(
        user=staff, request_id=pa.pk, information_request_id=asked.pk, answer="Attached."
    )
    return pended, answered


def test_it_stores_the_holidays_the_submission_timed_the_request_by(provider_staff):
    with time_machine.travel(THURSDAY, tick=False):
        pa = submitted(provider_staff, "IN")
    assert pa.due_at == TUESDAY_AFTER  # Juneteenth skipped
    pa.refresh_from_db()
    expected = [
        day.isoformat()
        for day in Holiday.objects.filter(date__gte=THURSDAY.date()).values_list("date", flat=True)
    ]
    assert pa.timeframe_holidays == expected
    assert pa.timeframe_holidays[0] == "2026-06-19"


def test_a_holiday_added_after_submission_moves_no_indiana_due_time(provider_staff, nurse):
    with time_machine.travel(MONDAY, tick=False) as clock:
        pa = submitted(provider_staff, "IN")
        assert pa.due_at == MONDAY + hours(48)
        Holiday.objects.create(date=MONDAY.date() + datetime.timedelta(days=1), name="Added later")
        pended, answered = pend_then_answer(clock, nurse, provider_staff, pa)
    # Indiana's 48 business hours run on through a pend; the Tuesday added later is not skipped.
    assert pended.due_at == answered.due_at == MONDAY + hours(48)
    assert answered.at_risk_at == MONDAY + hours(36)


def test_a_holiday_removed_after_submission_is_still_skipped(provider_staff, nurse):
    with time_machine.travel(THURSDAY, tick=False) as clock:
        pa = submitted(provider_staff, "IN")
        Holiday.objects.filter(date=datetime.date(2026, 6, 19)).delete()
        pended, answered = pend_then_answer(clock, nurse, provider_staff, pa)
    assert pended.due_at == answered.due_at == TUESDAY_AFTER


def test_a_request_routed_before_holidays_were_stored_is_timed_by_the_current_holidays(provider_staff, nurse):
    with time_machine.travel(MONDAY, tick=False) as clock:
        pa = submitted(provider_staff, "IN")
        PriorAuthRequest.objects.filter(pk=pa.pk).update(timeframe_holidays=None)
        Holiday.objects.create(date=MONDAY.date() + datetime.timedelta(days=1), name="Added later")
        pended, answered = pend_then_answer(clock, nurse, provider_staff, pa)
    assert pended.due_at == answered.due_at == MONDAY + hours(72)
