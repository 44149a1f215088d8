"""A pend and its answer move the due time only as the stored timeframe rules allow (step 8)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from priorauth.policies.models import TimeframeRule
from priorauth.requests import services
from priorauth.requests.models import EventKind, Status
from priorauth.review.forms import PendForm
from priorauth.review.services import ReviewError, deemed_approvals_record, review_pend
from tests.review.world import MONDAY, claimed, seed, submitted  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("seed")


EXPEDITED = {"urgency": "expedited", "expedited_statement": "Rapidly progressing lymphoma."}


def days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def pend(reviewer, pa, needed="Please send the latest PET-CT report."):
    # Past the 45 days a standard request's provider must be given, whenever the test pends.
    return review_pend(user=reviewer, request_id=pa.pk, needed=needed, respond_by=timezone.now() + days(50))


def answer(staff, asked):
    return services.request_answer_information(
        user=staff, request_id=asked.request_id, information_request_id=asked.pk, answer="Attached."
    )


def test_it_stores_the_matching_rules_at_submission(clock, provider_staff):
    pa = submitted(provider_staff, "OH")
    assert sorted(rule["state"] for rule in pa.timeframe_rules) == ["*", "OH"]
    assert pa.due_rule["state"] == "OH" and pa.due_rule["source"] == "ORC 1751.72, 3923.041"
    assert pa.due_at == MONDAY + days(10)
    assert pa.at_risk_at == MONDAY + days(7.5)


def test_it_pends_a_request_with_what_is_needed(clock, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    clock.move_to(MONDAY + days(2))
    asked = pend(nurse, pa)
    pa.refresh_from_db()
    assert pa.status == Status.PENDED and pa.pended_at == MONDAY + days(2)
    assert asked.needed == "Please send the latest PET-CT report." and asked.asked_by == nurse
    line = pa.events.get(kind=EventKind.PENDED)
    assert (line.actor, line.to_status, line.reason) == (nurse, Status.PENDED, asked.needed)
    assert not line.internal


def test_it_keeps_the_ohio_ten_days_through_a_pend_the_federal_rule_pauses_for(clock, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    clock.move_to(MONDAY + days(2))
    asked = pend(nurse, pa)
    pa.refresh_from_db()
    assert pa.due_at == MONDAY + days(10) and pa.due_rule["state"] == "OH"
    clock.move_to(MONDAY + days(8))
    pa = answer(provider_staff, asked)
    # The federal 15 days would pause to day 21; Ohio's 10 days from receipt still come first.
    assert pa.status == Status.IN_REVIEW
    assert pa.due_at == MONDAY + days(10) and pa.due_rule["state"] == "OH"
    assert pa.at_risk_at == MONDAY + days(7.5)


def test_it_stops_then_restarts_the_georgia_clock(clock, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "GA"))
    assert pa.due_at == MONDAY + days(7)
    clock.move_to(MONDAY + days(2))
    asked = pend(nurse, pa)
    pa.refresh_from_db()
    assert pa.due_at is None and pa.at_risk_at is None
    assert pa.due_rule["state"] == "GA"  # the screen still names the rule whose clock is stopped
    clock.move_to(MONDAY + days(4))
    pa = answer(provider_staff, asked)
    assert pa.due_at == MONDAY + days(11) and pa.due_rule["source"] == "O.C.G.A. 33-46-26, -27, -29"
    # Three quarters of the restarted 7 days, not of the 11 days since receipt.
    assert pa.at_risk_at == MONDAY + days(4) + days(5.25)


def test_it_keeps_a_pended_georgia_expedited_request_under_georgia_law(clock, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "GA", **EXPEDITED))
    assert pa.due_at == MONDAY + days(3) and pa.due_rule["state"] == "GA"  # ties the federal 72 hours
    clock.move_to(MONDAY + days(1))
    asked = pend(nurse, pa)
    clock.move_to(MONDAY + days(2))
    pa = answer(provider_staff, asked)
    # The federal 72 hours from receipt would now be earlier, but Georgia won at receipt and governs.
    assert pa.due_at == MONDAY + days(5) and pa.due_rule["state"] == "GA"
    assert pa.due_rule["missed"] == "deemed_approved"
    assert pa.at_risk_at == MONDAY + days(2) + datetime.timedelta(hours=54)
    assert deemed_approvals_record(now=MONDAY + days(5)) == 1
    pa.refresh_from_db()
    assert pa.status == Status.APPROVED and pa.determination.by_operation_of_law


@pytest.mark.parametrize(
    ("urgency", "due_after_answer", "at_risk_after_answer"),
    [
        pytest.param({}, days(15 + 6), days(11.25 + 6), id="standard-pauses-for-the-six-days-pended"),
        pytest.param(EXPEDITED, days(3), days(2.25), id="expedited-runs-on-from-receipt"),
    ],
)
def test_it_times_a_federal_only_request_by_the_federal_rule_through_a_pend(
    clock, provider_staff, nurse, urgency, due_after_answer, at_risk_after_answer
):
    TimeframeRule.objects.filter(state="OH").delete()  # Ohio without its own law: federal rules only
    pa = claimed(nurse, submitted(provider_staff, "OH", **urgency))
    assert [rule["state"] for rule in pa.timeframe_rules] == ["*"]
    clock.move_to(MONDAY + days(1))
    asked = pend(nurse, pa)
    clock.move_to(MONDAY + days(7))
    pa = answer(provider_staff, asked)
    assert (pa.due_at, pa.at_risk_at) == (MONDAY + due_after_answer, MONDAY + at_risk_after_answer)
    assert pa.due_rule["state"] == "*" and pa.due_rule["missed"] == "breach"


def test_it_restarts_the_west_virginia_clock_at_the_answer(clock, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "WV"))
    assert pa.due_at == MONDAY + days(5)
    clock.move_to(MONDAY + days(1))
    asked = pend(nurse, pa)
    clock.move_to(MONDAY + days(3))
    pa = answer(provider_staff, asked)
    assert pa.due_at == MONDAY + days(8) and pa.due_rule["state"] == "WV"


def test_it_keeps_a_missed_deadline_missed_after_a_late_pend(clock, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "WV"))
    clock.move_to(MONDAY + days(6))
    asked = pend(nurse, pa)
    pa.refresh_from_db()
    assert pa.due_at == MONDAY + days(5)
    clock.move_to(MONDAY + days(7))
    pa = answer(provider_staff, asked)
    assert pa.due_at == MONDAY + days(5) and pa.due_rule["state"] == "WV"


def test_it_recomputes_from_the_rules_stored_at_submission(clock, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "GA"))
    TimeframeRule.objects.filter(state="GA").update(amount=30)
    clock.move_to(MONDAY + days(1))
    asked = pend(nurse, pa)
    clock.move_to(MONDAY + days(2))
    pa = answer(provider_staff, asked)
    assert pa.due_at == MONDAY + days(9)


STANDARD_TOO_SOON = (
    "The provider must be given at least 45 days to respond (29 CFR 2560.503-1(f)(4)): "
    "please choose July 16, 2026, 10:00 AM Eastern or later."
)
EXPEDITED_TOO_SOON = (
    "The provider must be given at least 48 hours to respond (29 CFR 2560.503-1(f)(2)(i)): "
    "please choose June 3, 2026, 10:00 AM Eastern or later."
)
A_YEAR = "The respond-by time can be at most a year from now."


@pytest.mark.parametrize(
    ("urgency", "needed", "respond_by", "message"),
    [
        pytest.param({}, "", MONDAY + days(50), "Please give what information is needed.", id="no-what"),
        pytest.param(
            {}, "PET-CT", None, "Please give the date and time the provider should respond by.", id="no-when"
        ),
        pytest.param(
            {},
            "PET-CT",
            datetime.datetime(2026, 8, 1, 12, 0),
            "Please give the respond-by time with its time zone.",
            id="no-time-zone",
        ),
        pytest.param({}, "PET-CT", MONDAY - days(1), "The respond-by time must be in the future.", id="past"),
        pytest.param(
            {},
            "PET-CT",
            MONDAY + days(45) - datetime.timedelta(minutes=1),
            STANDARD_TOO_SOON,
            id="under-45-days",
        ),
        pytest.param(
            EXPEDITED,
            "PET-CT",
            MONDAY + datetime.timedelta(hours=47),
            EXPEDITED_TOO_SOON,
            id="expedited-under-48-hours",
        ),
        pytest.param({}, "PET-CT", MONDAY + days(366), A_YEAR, id="over-a-year"),
        pytest.param(
            EXPEDITED,
            "PET-CT",
            datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC),
            A_YEAR,
            id="far",
        ),
    ],
)
def test_it_refuses_a_pend_without_what_or_a_respond_by_within_the_minimum_and_a_year(
    clock, provider_staff, nurse, urgency, needed, respond_by, message
):
    # The service itself refuses, as a REST or FHIR call that never sees the form will meet it.
    pa = claimed(nurse, submitted(provider_staff, "OH", **urgency))
    with pytest.raises(ReviewError) as refused:
        review_pend(user=nurse, request_id=pa.pk, needed=needed, respond_by=respond_by)
    assert refused.value.message == message
    pa.refresh_from_db()
    assert pa.status == Status.IN_REVIEW and not pa.information_requests.exists()
    assert not pa.events.filter(kind=EventKind.PENDED).exists()


@pytest.mark.parametrize(
    ("urgency", "respond_by"),
    [
        pytest.param({}, MONDAY + days(45), id="standard-at-45-days"),
        pytest.param(EXPEDITED, MONDAY + datetime.timedelta(hours=48), id="expedited-at-48-hours"),
        pytest.param(EXPEDITED, MONDAY + days(365), id="a-year"),
    ],
)
def test_it_pends_with_a_respond_by_from_the_minimum_to_a_year(
    clock, provider_staff, nurse, urgency, respond_by
):
    pa = claimed(nurse, submitted(provider_staff, "OH", **urgency))
    asked = review_pend(user=nurse, request_id=pa.pk, needed="PET-CT", respond_by=respond_by)
    assert asked.respond_by == respond_by


def test_it_pends_only_a_request_in_review(clock, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    pend(nurse, pa)
    with pytest.raises(ReviewError, match="only a request in review"):
        pend(nurse, pa, needed="And the echo report.")


def local(moment: datetime.datetime) -> str:
    """Return a moment as the browser's datetime-local field sends it (Eastern time)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def pend_form(urgency: str, respond_by: str) -> PendForm:
    return PendForm({"pend-needed": "PET-CT", "pend-respond_by": respond_by}, urgency=urgency)


@pytest.mark.parametrize(
    ("urgency", "minimum"),
    [("standard", days(45)), ("expedited", datetime.timedelta(hours=48))],
)
def test_it_offers_the_federal_minimum_as_the_respond_by_time(clock, urgency, minimum):
    clock.move_to(MONDAY + datetime.timedelta(minutes=10))
    field = PendForm(urgency=urgency)["respond_by"]
    # The first whole hour at least an hour past the minimum: still valid when sent a bit later.
    assert field.initial == MONDAY + minimum + datetime.timedelta(hours=2)
    assert f'value="{local(field.initial)}"' in str(field)
    assert pend_form(urgency, local(field.initial)).is_valid()


@pytest.mark.parametrize(
    ("urgency", "respond_by", "message"),
    [
        pytest.param(
            "standard",
            local(MONDAY + days(45) - datetime.timedelta(minutes=1)),
            STANDARD_TOO_SOON,
            id="standard-under-45-days",
        ),
        pytest.param(
            "expedited",
            local(MONDAY + datetime.timedelta(hours=47)),
            EXPEDITED_TOO_SOON,
            id="expedited-under-48-hours",
        ),
        pytest.param("standard", local(MONDAY + days(366)), A_YEAR, id="year"),
        pytest.param("expedited", "9999-12-31T23:59", A_YEAR, id="far"),
        pytest.param(
            "standard", local(MONDAY - days(1)), "The respond-by time must be in the future.", id="past"
        ),
    ],
)
def test_it_refuses_a_respond_by_outside_the_minimum_and_a_year(clock, urgency, respond_by, message):
    assert pend_form(urgency, respond_by).errors == {"respond_by": [message]}


@pytest.mark.parametrize(
    ("urgency", "respond_by"),
    [
        ("standard", MONDAY + days(45)),
        ("expedited", MONDAY + datetime.timedelta(hours=48)),
        ("expedited", MONDAY + days(365)),
    ],
)
def test_it_accepts_a_respond_by_from_the_minimum_to_a_year(clock, urgency, respond_by):
    assert pend_form(urgency, local(respond_by)).is_valid()


def test_it_answers_a_far_future_respond_by_with_a_form_error_not_a_500(clock, client, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    client.force_login(nurse)
    response = client.post(
        reverse("review:act", args=[pa.pk, "pend"]),
        {"pend-needed": "PET-CT report.", "pend-respond_by": "9999-12-31T23:59"},
    )
    assert response.status_code == 200
    assert "The respond-by time can be at most a year from now." in response.content.decode()
    pa.refresh_from_db()
    assert pa.status == Status.IN_REVIEW and not pa.information_requests.exists()


def test_it_bounds_the_respond_by_by_the_requests_own_urgency(clock, client, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "OH", **EXPEDITED))
    client.force_login(nurse)
    respond_by = local(MONDAY + datetime.timedelta(hours=49))  # too soon for a standard request
    response = client.post(
        reverse("review:act", args=[pa.pk, "pend"]), {"pend-needed": "PET-CT.", "pend-respond_by": respond_by}
    )
    assert response.status_code == 302
    assert pa.information_requests.get().respond_by == MONDAY + datetime.timedelta(hours=49)
