"""Determinations: who may decide what, what each needs, and what a decision leaves behind."""

from __future__ import annotations

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from priorauth.requests.models import EventKind, PriorAuthRequest, Status
from priorauth.review.determinations import MAX_APPROVED_UNITS, years_after
from priorauth.review.models import Determination
from priorauth.review.services import ReviewError, determination_record, review_escalate, review_pend
from tests.review.world import (  # noqa: F401 (fixtures)
    DATE_OF_SERVICE,
    approval,
    assign,
    claimed,
    denial,
    other_nurse,
    other_physician,
    seed,
    submitted,
)

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def pa(provider_staff):
    return submitted(provider_staff, "OH")


def test_it_lets_a_nurse_approve_with_service_units_and_dates(nurse, pa):
    claimed(nurse, pa)
    determination = determination_record(user=nurse, request_id=pa.pk, **approval())
    pa.refresh_from_db()
    assert pa.status == Status.APPROVED
    assert pa.decided_at == determination.decided_at
    assert pa.claimed_by is None
    assert determination.decided_by == nurse and not determination.by_operation_of_law
    line = pa.events.get(kind=EventKind.DETERMINED)
    assert (line.actor, line.from_status, line.to_status) == (nurse, Status.IN_REVIEW, Status.APPROVED)
    assert "Yescarta (Q2041), 1 unit(s)" in line.reason and not line.internal


@pytest.mark.parametrize("outcome", ["denied", "partially_approved", "modified"])
def test_it_refuses_an_adverse_determination_by_a_nurse(nurse, pa, outcome):
    claimed(nurse, pa)
    with pytest.raises(ReviewError, match="Only a physician reviewer"):
        determination_record(user=nurse, request_id=pa.pk, **approval(**denial(outcome=outcome)))
    pa.refresh_from_db()
    assert pa.status == Status.IN_REVIEW and not pa.events.filter(kind=EventKind.DETERMINED).exists()


@pytest.mark.parametrize("outcome", ["partially_approved", "modified"])
def test_it_lets_a_physician_approve_in_part_or_modify(physician, pa, outcome):
    claimed(physician, pa)
    determination_record(user=physician, request_id=pa.pk, **approval(**denial(outcome=outcome)))
    pa.refresh_from_db()
    assert pa.status == outcome


def test_it_lets_a_physician_deny_with_everything_the_notice_needs(physician, pa):
    claimed(physician, pa)
    determination = determination_record(user=physician, request_id=pa.pk, **denial())
    pa.refresh_from_db()
    assert pa.status == Status.DENIED and pa.x12_review_action == "A3"
    assert determination.is_adverse and determination.denial_code == "MN01"
    assert determination.approved_units is None
    assert pa.events.get(kind=EventKind.DETERMINED).reason.startswith("Your records show an ECOG score of 3")


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"reason": "  "}, "the specific reason"),
        ({"criteria_policy": ""}, "the criteria policy applied"),
        ({"criteria_section": ""}, "the section of the criteria policy"),
        ({"denial_code": ""}, "a denial code"),
        ({"denial_code": "ZZ99"}, "a denial code"),
        ({"peer_to_peer_offered": False}, "peer-to-peer"),
        ({"peer_to_peer_instructions": ""}, "peer-to-peer"),
    ],
)
def test_it_refuses_a_denial_missing_part_of_its_notice(physician, pa, missing, message):
    claimed(physician, pa)
    with pytest.raises(ReviewError, match=message):
        determination_record(user=physician, request_id=pa.pk, **denial(**missing))
    pa.refresh_from_db()
    assert pa.status == Status.IN_REVIEW


def test_it_refuses_an_indiana_denial_without_alternatives(provider_staff, physician):
    pa = submitted(provider_staff, "IN")
    claimed(physician, pa)
    with pytest.raises(ReviewError, match="suggested alternatives"):
        determination_record(user=physician, request_id=pa.pk, **denial())
    determination = determination_record(
        user=physician, request_id=pa.pk, **denial(alternatives="Tisagenlecleucel under MP-MM-2001.")
    )
    assert determination.alternatives == "Tisagenlecleucel under MP-MM-2001."


def test_it_does_not_ask_alternatives_outside_indiana(physician, pa):
    claimed(physician, pa)
    assert determination_record(user=physician, request_id=pa.pk, **denial()).alternatives == ""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"approved_service": ""}, "the approved service"),
        ({"approved_units": None}, "the approved units"),
        ({"approved_units": 0}, "the approved units"),
        ({"approved_start": None}, "the approved date range"),
        ({"approved_end": DATE_OF_SERVICE - datetime.timedelta(days=1)}, "ends on or after"),
    ],
)
def test_it_refuses_an_approval_without_what_is_approved(nurse, pa, changes, message):
    claimed(nurse, pa)
    with pytest.raises(ReviewError, match=message):
        determination_record(user=nurse, request_id=pa.pk, **approval(**changes))


def test_it_refuses_a_decision_without_a_claim(nurse, other_nurse, pa):
    claimed(other_nurse, pa)
    assign(nurse, pa)
    with pytest.raises(ReviewError, match="Please claim"):
        determination_record(user=nurse, request_id=pa.pk, **approval())


def test_it_refuses_a_decision_by_a_supervisor(supervisor, pa):
    # Even holding a claim taken before supervisors stopped claiming.
    PriorAuthRequest.objects.filter(pk=pa.pk).update(claimed_by=supervisor)
    with pytest.raises(ReviewError, match="Only a nurse or physician"):
        determination_record(user=supervisor, request_id=pa.pk, **approval())


def test_it_refuses_a_reviewer_deciding_their_own_escalation(physician, other_physician, pa):
    claimed(physician, pa)
    review_escalate(user=physician, request_id=pa.pk, reason="Needs a haematologist's eye.")
    claimed(physician, pa)
    with pytest.raises(ReviewError, match="You escalated"):
        determination_record(user=physician, request_id=pa.pk, **denial())
    with pytest.raises(ReviewError, match="You escalated"):
        review_pend(
            user=physician,
            request_id=pa.pk,
            needed="PET-CT",
            respond_by=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
        )


def test_it_refuses_a_reviewer_deciding_a_request_they_submitted(physician, pa):
    type(pa).objects.filter(pk=pa.pk).update(submitted_by=physician)
    claimed(physician, pa)
    with pytest.raises(ReviewError, match="You submitted"):
        determination_record(user=physician, request_id=pa.pk, **approval())


def test_it_sends_an_escalated_request_to_a_physician(nurse, other_nurse, physician, pa):
    claimed(nurse, pa)
    review_escalate(user=nurse, request_id=pa.pk, reason="Prior CAR-T elsewhere is unclear.")
    pa.refresh_from_db()
    assert pa.needs_physician and pa.escalated_by == nurse and pa.claimed_by is None
    assert pa.events.get(kind=EventKind.ESCALATED).reason == "Prior CAR-T elsewhere is unclear."
    claimed(other_nurse, pa)
    with pytest.raises(ReviewError, match="a physician reviewer must decide"):
        determination_record(user=other_nurse, request_id=pa.pk, **approval())
    type(pa).objects.filter(pk=pa.pk).update(claimed_by=None)
    claimed(physician, pa)
    assert determination_record(user=physician, request_id=pa.pk, **denial()).decided_by == physician


def test_it_refuses_an_escalation_without_a_reason(nurse, pa):
    claimed(nurse, pa)
    with pytest.raises(ReviewError, match="reason for physician review"):
        review_escalate(user=nurse, request_id=pa.pk, reason=" ")


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDED, Status.WITHDRAWN, Status.DENIED])
def test_it_decides_only_requests_in_review(physician, pa, status):
    claimed(physician, pa)
    type(pa).objects.filter(pk=pa.pk).update(status=status)
    with pytest.raises(ReviewError):
        determination_record(user=physician, request_id=pa.pk, **denial())


def test_it_decides_a_request_once(nurse, physician, pa):
    claimed(nurse, pa)
    determination_record(user=nurse, request_id=pa.pk, **approval())
    with pytest.raises(ReviewError, match="no longer open for review"):
        claimed(physician, pa)
    with pytest.raises(ReviewError):
        determination_record(user=physician, request_id=pa.pk, **denial())


def test_it_never_edits_a_determination(nurse, pa):
    claimed(nurse, pa)
    determination = determination_record(user=nurse, request_id=pa.pk, **approval())
    determination.reason = "changed"
    with pytest.raises(ValidationError):
        determination.save()


def test_it_refuses_an_unknown_outcome(nurse, pa):
    claimed(nurse, pa)
    with pytest.raises(ReviewError, match="choose a decision"):
        determination_record(user=nurse, request_id=pa.pk, **approval(outcome="maybe"))


def d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


# The date of service is January 15, 2027: a period may start from January 15, 2026 to January 15, 2028.
STARTS_TOO_FAR = (
    "The approved period must start (“From”) within a year of the date of service, January 15, 2027: "
    "please choose a start from January 15, 2026 to January 15, 2028."
)


@pytest.mark.parametrize("outcome", ["approved", "modified", "partially_approved"])
@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        pytest.param(d(1, 1, 1), d(9999, 12, 31), STARTS_TOO_FAR, id="year-1-to-9999"),
        pytest.param(d(2026, 1, 14), d(2026, 2, 14), STARTS_TOO_FAR, id="starts-a-year-and-a-day-before"),
        pytest.param(d(2028, 1, 16), d(2028, 1, 16), STARTS_TOO_FAR, id="starts-a-year-and-a-day-after"),
        pytest.param(
            d(2027, 1, 15),
            d(2028, 1, 16),
            "The approved period can be at most a year long: please end it (“To”) on or before "
            "January 15, 2028.",
            id="a-year-and-a-day-long",
        ),
        pytest.param(
            d(2027, 1, 15),
            d(9999, 12, 31),
            "The approved period can be at most a year long: please end it (“To”) on or before "
            "January 15, 2028.",
            id="ends-in-9999",
        ),
    ],
)
def test_it_refuses_an_approved_period_far_from_the_date_of_service_or_over_a_year(
    physician, pa, outcome, start, end, message
):
    claimed(physician, pa)
    arguments = approval(approved_start=start, approved_end=end)
    if outcome != "approved":
        arguments = {**denial(outcome=outcome), **arguments, "outcome": outcome}
    with pytest.raises(ReviewError) as refused:
        determination_record(user=physician, request_id=pa.pk, **arguments)
    assert refused.value.message == message
    pa.refresh_from_db()
    assert pa.status == Status.IN_REVIEW and not Determination.objects.exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(d(2026, 1, 15), d(2027, 1, 15), id="a-year-from-a-year-before"),
        pytest.param(d(2028, 1, 15), d(2029, 1, 15), id="a-year-from-a-year-after"),
        pytest.param(d(2027, 1, 15), d(2027, 1, 15), id="the-day-of-service"),
    ],
)
def test_it_approves_a_period_of_up_to_a_year_starting_within_a_year_of_the_date_of_service(
    nurse, pa, start, end
):
    claimed(nurse, pa)
    determination = determination_record(
        user=nurse, request_id=pa.pk, **approval(approved_start=start, approved_end=end)
    )
    assert (determination.approved_start, determination.approved_end) == (start, end)


def test_it_refuses_more_approved_units_than_the_form_allows(nurse, pa):
    claimed(nurse, pa)
    with pytest.raises(ReviewError, match="at most 20,000 approved units"):
        determination_record(user=nurse, request_id=pa.pk, **approval(approved_units=MAX_APPROVED_UNITS + 1))
    assert not Determination.objects.exists()


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (d(2027, 1, 15), 1, d(2028, 1, 15)),
        (d(2027, 1, 15), -1, d(2026, 1, 15)),
        (d(2028, 2, 29), 1, d(2029, 2, 28)),
        (d(9999, 6, 1), 1, datetime.date.max),
        (d(1, 6, 1), -1, datetime.date.min),
    ],
)
def test_it_counts_a_year_to_the_same_day_within_the_calendar(day, years, expected):
    assert years_after(day, years) == expected


def test_it_shows_an_absurd_approved_period_on_the_review_screen_not_a_500(client, nurse, pa):
    claimed(nurse, pa)
    client.force_login(nurse)
    fields = {"approved_service": "Yescarta (Q2041)", "approved_units": "1"}
    fields |= {"approved_start": "0001-01-01", "approved_end": "9999-12-31"}
    response = client.post(
        reverse("review:act", args=[pa.pk, "approve"]), {f"approve-{k}": v for k, v in fields.items()}
    )
    assert response.status_code == 200
    assert html.escape(STARTS_TOO_FAR) in response.content.decode()
    pa.refresh_from_db()
    assert pa.status == Status.IN_REVIEW and not Determination.objects.exists()
