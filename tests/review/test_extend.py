"""Extending a standard request's timeframe: once, before the due time, as the governing rule allows."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail

from priorauth.notifications.models import Channel, Event, Notification
from priorauth.policies.models import TimeframeRule
from priorauth.requests.models import EventKind, Status
from priorauth.review.services import ReviewError, determination_record, review_extend, review_pend
from tests.review.world import MONDAY, approval, assign, claimed, seed, submitted  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("seed")
REASON = "The independent oncology consultant's report is not back yet."


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def allow(state: str, unit: str, amount: int) -> None:
    """Give the state's standard rule an extension (the seed's state rules have none)."""
    TimeframeRule.objects.filter(urgency="standard", state=state).update(
        extension_unit=unit, extension_amount=amount
    )


def test_it_extends_an_indiana_request_by_business_hours_on_the_indiana_calendar(
    clock, provider_staff, nurse
):
    allow("IN", "business_hours", 48)
    pa = claimed(nurse, submitted(provider_staff, "IN"))
    # 48 business hours from Monday 10:00 in Indianapolis: Wednesday 10:00 (14:00 UTC).
    assert pa.due_at == datetime.datetime(2026, 6, 3, 14, 0, tzinfo=datetime.UTC)
    clock.move_to(MONDAY + datetime.timedelta(hours=3))
    pa = review_extend(user=nurse, request_id=pa.pk, reason=REASON)
    # 96 business hours: Friday 06/05 10:00 in Indianapolis.
    assert pa.due_at == datetime.datetime(2026, 6, 5, 14, 0, tzinfo=datetime.UTC)
    assert pa.at_risk_at == datetime.datetime(2026, 6, 4, 14, 0, tzinfo=datetime.UTC)
    assert pa.extended_by == nurse and pa.extension_reason == REASON
    line = pa.events.get(kind=EventKind.EXTENDED)
    assert line.actor == nurse and not line.internal and line.reason.endswith(REASON)
    assert "48 business hours" in line.reason


def test_it_extends_a_georgia_request_by_calendar_days(clock, provider_staff, physician):
    allow("GA", "calendar_days", 7)
    pa = claimed(physician, submitted(provider_staff, "GA"))
    pa = review_extend(user=physician, request_id=pa.pk, reason=REASON)
    assert pa.due_at == MONDAY + datetime.timedelta(days=14)
    # The deemed-approval deadline follows the extended due time, not the first one.
    assert pa.due_rule["missed"] == "deemed_approved"


def test_it_extends_only_once(clock, provider_staff, nurse):
    allow("GA", "calendar_days", 7)
    pa = claimed(nurse, submitted(provider_staff, "GA"))
    review_extend(user=nurse, request_id=pa.pk, reason=REASON)
    with pytest.raises(ReviewError, match="already extended once"):
        review_extend(user=nurse, request_id=pa.pk, reason=REASON)
    assert pa.events.filter(kind=EventKind.EXTENDED).count() == 1


def test_it_never_extends_an_expedited_request(clock, provider_staff, nurse):
    allow("GA", "calendar_days", 7)
    pa = claimed(
        nurse, submitted(provider_staff, "GA", urgency="expedited", expedited_statement="Rapid relapse.")
    )
    with pytest.raises(ReviewError, match="expedited request's timeframe cannot be extended"):
        review_extend(user=nurse, request_id=pa.pk, reason=REASON)


def test_it_refuses_once_the_due_time_has_passed(clock, provider_staff, nurse):
    allow("OH", "calendar_days", 10)
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    clock.move_to(pa.due_at)
    with pytest.raises(ReviewError, match="due time has passed"):
        review_extend(user=nurse, request_id=pa.pk, reason=REASON)
    pa.refresh_from_db()
    assert pa.extended_at is None and pa.due_at == MONDAY + datetime.timedelta(days=10)


def test_it_refuses_when_the_state_rule_that_governs_allows_no_extension(clock, provider_staff, nurse):
    # The seed gives the federal rule its 15 days, but Ohio's 10 days win and allow none.
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    with pytest.raises(
        ReviewError, match=r"set by the OH standard rule \(ORC 1751.72, 3923.041\), which allows no"
    ):
        review_extend(user=nurse, request_id=pa.pk, reason=REASON)


def test_it_needs_a_reason_and_the_claim(clock, provider_staff, nurse, physician):
    allow("GA", "calendar_days", 7)
    pa = claimed(nurse, submitted(provider_staff, "GA"))
    with pytest.raises(ReviewError, match="the reason for the extension"):
        review_extend(user=nurse, request_id=pa.pk, reason="  ")
    assign(physician, pa)
    with pytest.raises(ReviewError, match="Please claim request"):
        review_extend(user=physician, request_id=pa.pk, reason=REASON)


def test_a_later_pend_keeps_the_extension(clock, provider_staff, nurse):
    allow("GA", "calendar_days", 7)
    pa = claimed(nurse, submitted(provider_staff, "GA"))
    review_extend(user=nurse, request_id=pa.pk, reason=REASON)
    review_pend(
        user=nurse,
        request_id=pa.pk,
        needed="The PET-CT report.",
        respond_by=MONDAY + datetime.timedelta(days=50),
    )
    pa.refresh_from_db()
    # Georgia's clock stops while pended (it runs from the complete request).
    assert pa.status == Status.PENDED and pa.due_at is None


def test_it_tells_the_provider_without_health_information(
    clock, provider_staff, nurse, django_capture_on_commit_callbacks
):
    allow("GA", "calendar_days", 7)
    pa = claimed(nurse, submitted(provider_staff, "GA"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_extend(user=nurse, request_id=pa.pk, reason=REASON)
    rows = Notification.objects.filter(event=Event.EXTENDED, request=pa)
    assert {row.recipient for row in rows} == {provider_staff}
    assert {row.channel for row in rows} == {Channel.EMAIL, Channel.IN_APP}
    [email] = [m for m in mail.outbox if "extended" in m.subject]
    assert email.subject == f"Request {pa.number}: decision timeframe extended"
    body = email.body + email.alternatives[0][0]
    assert "June 15, 2026" in body
    for secret in (REASON, "Ada", "Lovelace", "Yescarta", "C83.30"):
        assert secret not in body and secret not in email.subject


def test_a_decision_after_an_extension_says_so_in_the_letter(clock, provider_staff, nurse):
    from priorauth.letters.content import build_letter

    allow("GA", "calendar_days", 7)
    pa = claimed(nurse, submitted(provider_staff, "GA"))
    review_extend(user=nurse, request_id=pa.pk, reason=REASON)
    determination = determination_record(user=nurse, request_id=pa.pk, **approval())
    pa.refresh_from_db()
    text = build_letter(pa, determination).text()
    assert "We extended the time to decide this request on June 1, 2026 at 10:00 AM ET" in text
    assert REASON in text and "due by June 15, 2026" in text


def test_a_georgia_request_extended_is_deemed_approved_only_at_the_extended_due_time(
    clock, provider_staff, nurse
):
    from priorauth.review.services import deemed_approvals_record

    allow("GA", "calendar_days", 7)
    pa = claimed(nurse, submitted(provider_staff, "GA"))
    review_extend(user=nurse, request_id=pa.pk, reason=REASON)
    assert deemed_approvals_record(now=MONDAY + datetime.timedelta(days=8)) == 0
    clock.move_to(MONDAY + datetime.timedelta(days=14))
    assert deemed_approvals_record(now=MONDAY + datetime.timedelta(days=14)) == 1
    pa.refresh_from_db()
    assert pa.status == Status.APPROVED and pa.decided_at == MONDAY + datetime.timedelta(days=14)
    assert pa.determination.reason == (
        "Approved by operation of law: no decision within 7 calendar days, extended once by 7 calendar "
        "days, as O.C.G.A. 33-46-26, -27, -29 requires."
    )
