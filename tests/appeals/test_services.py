"""Appeals: who may file, when, how long the plan has, who may decide, and what each outcome does."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from priorauth.appeals import services
from priorauth.appeals.models import AppealStatus
from priorauth.appeals.services import AppealError, PeerMismatch, appeal_decide
from priorauth.members.models import Role
from priorauth.notifications.models import Event as NotificationEvent
from priorauth.notifications.models import Notification
from priorauth.policies.models import TimeframeRule
from priorauth.requests.models import EASTERN, EventKind, Status
from priorauth.review.services import determination_record, review_escalate, review_release
from tests.appeals.world import appeal_physician, decided, filed, overturn, works_appeals  # noqa: F401
from tests.conftest import make_user
from tests.review.world import approval, claimed, denial, seed, submitted  # noqa: F401

pytestmark = pytest.mark.usefixtures("seed")
DAY = datetime.timedelta(days=1)


def test_it_files_an_appeal_after_a_denial(provider_staff, physician, appeal_physician):
    pa = decided(provider_staff, physician, "OH")
    appeal = filed(provider_staff, pa)
    assert appeal.status == AppealStatus.OPEN and appeal.queue.code == "appeals"
    assert appeal.determination == pa.determination
    event = pa.events.get(kind=EventKind.APPEAL_FILED)
    assert event.actor == provider_staff and event.from_status == event.to_status == Status.DENIED
    told = Notification.objects.filter(request=pa, event=NotificationEvent.APPEAL_FILED)
    assert {n.recipient for n in told} == {provider_staff, appeal_physician}


def test_it_refuses_an_appeal_of_an_approval(provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    determination_record(user=nurse, request_id=pa.pk, **approval())
    with pytest.raises(AppealError, match="only a denial"):
        filed(provider_staff, pa)
    assert not pa.appeals.exists()


def test_it_refuses_an_appeal_before_any_decision(provider_staff):
    pa = submitted(provider_staff, "OH")
    with pytest.raises(AppealError, match="no decision"):
        filed(provider_staff, pa)


@pytest.mark.parametrize("outcome", ["partially_approved", "modified"])
def test_it_files_an_appeal_of_a_partial_or_modified_approval(provider_staff, physician, outcome):
    pa = decided(provider_staff, physician, "OH", **approval(outcome=outcome))
    assert filed(provider_staff, pa).determination.outcome == outcome


def test_the_filing_window_is_180_days_to_the_end_of_the_last_day(provider_staff, physician):
    pa = decided(provider_staff, physician, "OH")
    # The last minute of day 180 (Eastern: Ohio's calendar) is in time; the first of day 181 is not.
    last = pa.determination.decided_at.astimezone(EASTERN).date() + 180 * DAY
    end_of_last = datetime.datetime.combine(last, datetime.time(23, 59), tzinfo=EASTERN)
    with pytest.raises(AppealError, match="within 180 days"):
        filed(provider_staff, pa, now=end_of_last + datetime.timedelta(minutes=1))
    assert filed(provider_staff, pa, now=end_of_last).received_at == end_of_last


def test_it_allows_one_open_appeal_at_a_time(provider_staff, physician):
    pa = decided(provider_staff, physician, "OH")
    filed(provider_staff, pa)
    with pytest.raises(AppealError, match="already has an open appeal"):
        filed(provider_staff, pa)
    assert pa.appeals.count() == 1


def test_another_organization_cannot_file(provider_staff, other_staff, physician):
    pa = decided(provider_staff, physician, "OH")
    with pytest.raises(AppealError, match="No such request"):
        filed(other_staff, pa)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"member_consents": False}, "member agrees"),
        ({"reason": "  "}, "reason for the appeal"),
        ({"urgency": "expedited", "expedited_statement": ""}, "jeopardize"),
        ({"ordering_specialty": "astrology"}, "specialty"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(provider_staff, physician, changes, message):
    pa = decided(provider_staff, physician, "OH")
    with pytest.raises(AppealError, match=message):
        filed(provider_staff, pa, **changes)
    assert not pa.appeals.exists()
    assert not pa.events.filter(kind=EventKind.APPEAL_FILED).exists()


def test_a_standard_appeal_is_due_in_30_days_and_an_expedited_one_in_72_hours(provider_staff, physician):
    now = timezone.now()
    standard = filed(provider_staff, decided(provider_staff, physician, "OH"), now=now)
    assert standard.due_at == now + 30 * DAY
    urgent = filed(
        provider_staff,
        decided(provider_staff, physician, "GA"),
        urgency="expedited",
        expedited_statement="Relapsing lymphoma: weeks matter.",
        now=now,
    )
    assert urgent.due_at == now + datetime.timedelta(hours=72)
    assert "2560.503-1(i)(2)(i)" in urgent.due_rule["source"]


def test_a_shorter_appeal_rule_wins_and_a_longer_one_does_not(provider_staff, physician):
    TimeframeRule.objects.create(
        applies_to="appeal", urgency="standard", state="OH", unit="calendar_days", amount=10, source="test"
    )
    TimeframeRule.objects.create(
        applies_to="appeal", urgency="standard", state="GA", unit="calendar_days", amount=45, source="test"
    )
    now = timezone.now()
    assert filed(provider_staff, decided(provider_staff, physician, "OH"), now=now).due_at == now + 10 * DAY
    assert filed(provider_staff, decided(provider_staff, physician, "GA"), now=now).due_at == now + 30 * DAY


def test_an_appeal_rule_does_not_time_requests(provider_staff):
    TimeframeRule.objects.create(
        applies_to="appeal", urgency="standard", state="OH", unit="hours", amount=1, source="test"
    )
    pa = submitted(provider_staff, "OH")
    assert pa.due_at - pa.received_at == 10 * DAY


def test_overturned_approves_the_request(provider_staff, physician, appeal_physician):
    pa = decided(provider_staff, physician, "OH")
    appeal = appeal_decide(user=appeal_physician, appeal_id=filed(provider_staff, pa).pk, **overturn())
    pa.refresh_from_db()
    assert appeal.status == AppealStatus.DECIDED and appeal.decided_by == appeal_physician
    assert pa.status == Status.APPROVED and pa.x12_review_action == "A1"
    event = pa.events.get(kind=EventKind.APPEAL_DECIDED)
    assert (event.from_status, event.to_status) == (Status.DENIED, Status.APPROVED)
    assert Notification.objects.filter(
        request=pa, event=NotificationEvent.APPEAL_DECIDED, recipient=provider_staff
    )


def test_partly_overturned_partially_approves_the_request(provider_staff, physician, appeal_physician):
    pa = decided(provider_staff, physician, "OH")
    appeal = filed(provider_staff, pa)
    appeal_decide(user=appeal_physician, appeal_id=appeal.pk, **overturn(outcome="partly_overturned"))
    pa.refresh_from_db()
    assert pa.status == Status.PARTIALLY_APPROVED and pa.x12_review_action == "A2"


def test_upheld_leaves_the_request_denied_and_allows_no_second_decision(
    provider_staff, physician, appeal_physician
):
    pa = decided(provider_staff, physician, "OH")
    appeal = filed(provider_staff, pa)
    appeal_decide(user=appeal_physician, appeal_id=appeal.pk, outcome="upheld", rationale="ECOG is still 3.")
    pa.refresh_from_db()
    assert pa.status == Status.DENIED
    event = pa.events.get(kind=EventKind.APPEAL_DECIDED)
    assert event.from_status == event.to_status == Status.DENIED
    with pytest.raises(AppealError, match="already been decided"):
        appeal_decide(user=appeal_physician, appeal_id=appeal.pk, **overturn())


def test_an_overturn_needs_what_it_approves(provider_staff, physician, appeal_physician):
    pa = decided(provider_staff, physician, "OH")
    appeal = filed(provider_staff, pa)
    with pytest.raises(AppealError, match="approved units"):
        appeal_decide(
            user=appeal_physician,
            appeal_id=appeal.pk,
            **overturn(approval=services.Approval("Yescarta", None, None, None)),
        )
    pa.refresh_from_db()
    assert pa.status == Status.DENIED and not pa.events.filter(kind=EventKind.APPEAL_DECIDED).exists()


def test_the_original_decider_cannot_decide_the_appeal(provider_staff, physician):
    pa = decided(provider_staff, physician, "OH")
    appeal = filed(provider_staff, pa)
    works_appeals(physician)
    with pytest.raises(AppealError, match="made the original decision"):
        appeal_decide(user=physician, appeal_id=appeal.pk, **overturn())


def test_the_escalating_reviewer_and_the_one_escalated_to_cannot_decide(provider_staff, physician):
    escalating = make_user("dr_escalates", Role.PHYSICIAN_REVIEWER)
    pa = claimed(escalating, submitted(provider_staff, "OH"))
    review_escalate(user=escalating, request_id=pa.pk, reason="Needs a second look.")
    escalated_to = make_user("dr_gets_it", Role.PHYSICIAN_REVIEWER)
    claimed(escalated_to, pa)
    # A third physician decides; the one it was escalated to only claimed and released it.
    review_release(user=escalated_to, request_id=pa.pk)
    claimed(physician, pa)
    determination_record(user=physician, request_id=pa.pk, **denial())
    pa.refresh_from_db()
    appeal = filed(provider_staff, pa)
    for who, message in ((escalating, "escalated"), (escalated_to, "reviewed the request")):
        works_appeals(who)
        with pytest.raises(AppealError, match=message):
            appeal_decide(user=who, appeal_id=appeal.pk, **overturn())


def test_a_subordinate_of_the_original_decider_cannot_decide(provider_staff, physician, appeal_physician):
    pa = decided(provider_staff, physician, "OH")
    appeal = filed(provider_staff, pa)
    appeal_physician.reports_to = physician
    appeal_physician.save()
    with pytest.raises(AppealError, match="You report to"):
        appeal_decide(user=appeal_physician, appeal_id=appeal.pk, **overturn())
    # Up the line too: reporting to someone who reports to the decider.
    lead = make_user("dr_lead", Role.PHYSICIAN_REVIEWER)
    lead.reports_to = physician
    lead.save()
    appeal_physician.reports_to = lead
    appeal_physician.save()
    with pytest.raises(AppealError, match="You report to"):
        appeal_decide(user=appeal_physician, appeal_id=appeal.pk, **overturn())


def test_a_nurse_or_a_physician_outside_the_queue_cannot_decide(provider_staff, physician, nurse):
    appeal = filed(provider_staff, decided(provider_staff, physician, "OH"))
    works_appeals(nurse)
    with pytest.raises(AppealError, match="Only a physician reviewer"):
        appeal_decide(user=nurse, appeal_id=appeal.pk, **overturn())
    outsider = make_user("dr_elsewhere", Role.PHYSICIAN_REVIEWER)
    with pytest.raises(AppealError, match="works the Appeals queue"):
        appeal_decide(user=outsider, appeal_id=appeal.pk, **overturn())


def test_indiana_warns_before_a_specialty_mismatch(provider_staff, physician, appeal_physician):
    pa = decided(provider_staff, physician, "IN")
    appeal = filed(provider_staff, pa, ordering_specialty="neurology")
    with pytest.raises(PeerMismatch, match=r"IC 27-1-37\.5"):
        appeal_decide(user=appeal_physician, appeal_id=appeal.pk, **overturn())
    pa.refresh_from_db()
    assert pa.status == Status.DENIED
    decided_appeal = appeal_decide(
        user=appeal_physician, appeal_id=appeal.pk, mismatch_confirmed=True, **overturn()
    )
    assert decided_appeal.mismatch_confirmed and decided_appeal.peer_match == "different"


def test_indiana_accepts_a_same_specialty_peer(provider_staff, physician, appeal_physician):
    appeal = filed(provider_staff, decided(provider_staff, physician, "IN"))
    decided_appeal = appeal_decide(user=appeal_physician, appeal_id=appeal.pk, **overturn())
    assert decided_appeal.peer_match == "same" and not decided_appeal.mismatch_confirmed
