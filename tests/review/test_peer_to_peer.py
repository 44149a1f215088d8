"""Peer-to-peer talks: when staff may ask, who schedules, what the outcome does to the decision."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail

from priorauth.letters.content import build_letter
from priorauth.notifications.models import Event, Notification
from priorauth.notifications.watch import peer_to_peer_reminders_record
from priorauth.requests.models import EventKind, Status
from priorauth.review.models import Determination, TalkOutcome, TalkStatus
from priorauth.review.peer_to_peer.services import (
    peer_to_peer_record_outcome,
    peer_to_peer_request,
    peer_to_peer_schedule,
)
from priorauth.review.services import ReviewError, determination_record, review_escalate
from tests.review.world import (  # noqa: F401 (fixtures)
    MONDAY,
    approval,
    assign,
    claimed,
    denial,
    other_physician,
    seed,
    submitted,
)

pytestmark = pytest.mark.usefixtures("seed")
PHONE = "317-555-0142 ext. 12"
TIMES = "Weekdays 12:00 to 1:00 PM Eastern"
SLOT = MONDAY + datetime.timedelta(days=2, hours=4)


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def denied(staff, physician):
    pa = claimed(physician, submitted(staff, "OH"))
    determination_record(user=physician, request_id=pa.pk, **denial())
    pa.refresh_from_db()
    return pa


def ask(staff, pa, phone=PHONE):
    return peer_to_peer_request(user=staff, request_id=pa.pk, phone=phone, availability=TIMES)


def test_staff_may_ask_within_the_window_after_a_denial(clock, provider_staff, physician):
    pa = denied(provider_staff, physician)
    clock.move_to(MONDAY + datetime.timedelta(days=14) - datetime.timedelta(minutes=1))
    talk = ask(provider_staff, pa)
    assert talk.status == TalkStatus.REQUESTED and talk.determination == pa.determination
    line = pa.events.get(kind=EventKind.PEER_TO_PEER_REQUESTED)
    assert line.actor == provider_staff and PHONE not in line.reason


def test_staff_may_not_ask_after_the_window(clock, provider_staff, physician):
    pa = denied(provider_staff, physician)
    clock.move_to(MONDAY + datetime.timedelta(days=14))
    with pytest.raises(
        ReviewError, match="14-day window for a peer-to-peer talk after the decision has closed"
    ):
        ask(provider_staff, pa)


def test_the_window_is_the_plans(clock, provider_staff, physician):
    pa = denied(provider_staff, physician)
    pa.member.plan.peer_to_peer_days = 30
    pa.member.plan.save()
    clock.move_to(MONDAY + datetime.timedelta(days=20))
    assert ask(provider_staff, pa).status == TalkStatus.REQUESTED


def test_there_is_no_talk_after_an_approval(clock, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    determination_record(user=nurse, request_id=pa.pk, **approval())
    with pytest.raises(ReviewError, match="only before or after an adverse decision"):
        ask(provider_staff, pa)


def test_before_a_decision_only_an_escalated_request_may_have_a_talk(clock, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    with pytest.raises(ReviewError, match="once the request is with a physician reviewer"):
        ask(provider_staff, pa)
    review_escalate(user=nurse, request_id=pa.pk, reason="ECOG unclear.")
    talk = ask(provider_staff, pa)
    assert talk.determination is None


def test_one_talk_at_a_time(clock, provider_staff, physician):
    pa = denied(provider_staff, physician)
    ask(provider_staff, pa)
    with pytest.raises(ReviewError, match="already requested or scheduled"):
        ask(provider_staff, pa)


@pytest.mark.parametrize("phone", ["555-0142", "call me", "117-555-0142", "317-555-0142 x1a"])
def test_the_phone_must_be_a_us_number(clock, provider_staff, physician, phone):
    pa = denied(provider_staff, physician)
    with pytest.raises(ReviewError):
        ask(provider_staff, pa, phone=phone)
    assert not pa.peer_to_peer_talks.exists()


def test_another_organization_cannot_ask(clock, provider_staff, other_staff, physician):
    pa = denied(provider_staff, physician)
    with pytest.raises(ReviewError, match="No such request"):
        ask(other_staff, pa)


def test_a_physician_schedules_and_both_sides_are_told_without_health_information(
    clock, provider_staff, physician, other_physician, django_capture_on_commit_callbacks
):
    pa = denied(provider_staff, physician)
    assign(other_physician, pa)
    talk = ask(provider_staff, pa)
    asked = Notification.objects.filter(event=Event.PEER_TO_PEER_REQUESTED, request=pa)
    assert {row.recipient for row in asked} >= {physician, other_physician}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        talk = peer_to_peer_schedule(user=other_physician, request_id=pa.pk, talk_id=talk.pk, slot_at=SLOT)
    assert talk.status == TalkStatus.SCHEDULED and talk.physician == other_physician
    told = Notification.objects.filter(event=Event.PEER_TO_PEER_SCHEDULED, request=pa)
    assert {row.recipient for row in told} == {provider_staff}
    for email in mail.outbox:
        body = email.body + email.alternatives[0][0]
        assert "Wednesday, June 3, 2026, 2:00 PM EDT" in body
        for secret in ("317-555-0142", TIMES, "Ada", "Lovelace", "Yescarta", "ECOG"):
            assert secret not in body and secret not in email.subject


def test_a_nurse_cannot_schedule_and_a_supervisor_names_the_physician(
    clock, provider_staff, physician, nurse, supervisor
):
    pa = denied(provider_staff, physician)
    assign(nurse, pa)
    talk = ask(provider_staff, pa)
    with pytest.raises(ReviewError, match="Only a physician reviewer, or a supervisor for one"):
        peer_to_peer_schedule(user=nurse, request_id=pa.pk, talk_id=talk.pk, slot_at=SLOT)
    with pytest.raises(ReviewError, match="choose the physician reviewer"):
        peer_to_peer_schedule(user=supervisor, request_id=pa.pk, talk_id=talk.pk, slot_at=SLOT)
    talk = peer_to_peer_schedule(
        user=supervisor, request_id=pa.pk, talk_id=talk.pk, slot_at=SLOT, physician=physician
    )
    assert talk.physician == physician and talk.scheduled_by == supervisor


def test_a_slot_must_be_ahead(clock, provider_staff, physician):
    pa = denied(provider_staff, physician)
    talk = ask(provider_staff, pa)
    with pytest.raises(ReviewError, match="must be in the future"):
        peer_to_peer_schedule(user=physician, request_id=pa.pk, talk_id=talk.pk, slot_at=MONDAY)


def test_reminders_go_a_day_and_an_hour_before_once_each(clock, provider_staff, physician):
    pa = denied(provider_staff, physician)
    talk = ask(provider_staff, pa)
    peer_to_peer_schedule(user=physician, request_id=pa.pk, talk_id=talk.pk, slot_at=SLOT)
    assert peer_to_peer_reminders_record(now=SLOT - datetime.timedelta(days=1, minutes=1)) == 0
    assert peer_to_peer_reminders_record(now=SLOT - datetime.timedelta(days=1)) == 1
    assert peer_to_peer_reminders_record(now=SLOT - datetime.timedelta(hours=2)) == 0
    assert peer_to_peer_reminders_record(now=SLOT - datetime.timedelta(minutes=55)) == 1
    assert peer_to_peer_reminders_record(now=SLOT - datetime.timedelta(minutes=50)) == 0
    assert peer_to_peer_reminders_record(now=SLOT) == 0
    reminded = Notification.objects.filter(event=Event.PEER_TO_PEER_REMINDER, request=pa)
    # Two reminders, each to the staff and the physician, by e-mail and in the app (physician has no e-mail).
    assert {row.recipient for row in reminded} == {provider_staff, physician}
    assert len({row.occurrence for row in reminded}) == 2


def scheduled(staff, physician):
    pa = denied(staff, physician)
    talk = ask(staff, pa)
    return pa, peer_to_peer_schedule(user=physician, request_id=pa.pk, talk_id=talk.pk, slot_at=SLOT)


def test_an_upheld_decision_stands(clock, provider_staff, physician):
    pa, talk = scheduled(provider_staff, physician)
    clock.move_to(SLOT + datetime.timedelta(minutes=20))
    talk = peer_to_peer_record_outcome(
        user=physician,
        request_id=pa.pk,
        talk_id=talk.pk,
        outcome=TalkOutcome.UPHELD,
        note="ECOG 3 confirmed.",
    )
    pa.refresh_from_db()
    assert talk.status == TalkStatus.HELD and talk.outcome == TalkOutcome.UPHELD
    assert pa.status == Status.DENIED and pa.determinations.count() == 1
    assert pa.events.get(kind=EventKind.PEER_TO_PEER_HELD).reason == "Decision upheld: ECOG 3 confirmed."


def test_a_changed_decision_supersedes_the_old_one_which_stays_in_the_history(
    clock, provider_staff, physician
):
    pa, talk = scheduled(provider_staff, physician)
    old = pa.determination
    clock.move_to(SLOT + datetime.timedelta(minutes=20))
    why = "The ordering physician sent a new ECOG assessment of 1."
    peer_to_peer_record_outcome(
        user=physician,
        request_id=pa.pk,
        talk_id=talk.pk,
        outcome=TalkOutcome.CHANGED,
        note=why,
        decision=approval(),
    )
    pa.refresh_from_db()
    new = pa.determination
    assert new.pk != old.pk and new.supersedes == old and new.change_reason == why
    assert pa.status == Status.APPROVED and pa.decided_at == SLOT + datetime.timedelta(minutes=20)
    assert list(Determination.objects.filter(request=pa).order_by("pk")) == [old, new]
    old.refresh_from_db()
    assert old.outcome == "denied"
    line = pa.events.get(kind=EventKind.REDETERMINED)
    assert line.from_status == Status.DENIED and line.to_status == Status.APPROVED
    assert Notification.objects.filter(
        event=Event.REDETERMINED, request=pa, recipient=provider_staff
    ).exists()
    text = build_letter(pa, new).text()
    assert "This letter replaces our letter of June 1, 2026, which told you the request was denied." in text
    assert why in text


def test_only_a_physician_changes_a_decision_and_not_one_who_escalated_it(
    clock, provider_staff, physician, other_physician, nurse, supervisor
):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    review_escalate(user=nurse, request_id=pa.pk, reason="ECOG unclear.")
    pa = claimed(physician, pa)
    determination_record(user=physician, request_id=pa.pk, **denial())
    talk = ask(provider_staff, pa)
    peer_to_peer_schedule(
        user=supervisor, request_id=pa.pk, talk_id=talk.pk, slot_at=SLOT, physician=physician
    )
    with pytest.raises(ReviewError, match="Only a physician reviewer can change a decision"):
        peer_to_peer_record_outcome(
            user=supervisor,
            request_id=pa.pk,
            talk_id=talk.pk,
            outcome="changed",
            note="x",
            decision=approval(),
        )
    # The adverse part of a changed decision needs what any adverse notice needs.
    with pytest.raises(ReviewError, match="the specific reason"):
        peer_to_peer_record_outcome(
            user=physician,
            request_id=pa.pk,
            talk_id=talk.pk,
            outcome="changed",
            note="Partly convinced.",
            decision={**approval(), "outcome": "partially_approved"},
        )
    assert pa.determinations.count() == 1


def test_a_physician_who_escalated_cannot_change_the_decision(
    clock, provider_staff, physician, other_physician
):
    pa = claimed(physician, submitted(provider_staff, "OH"))
    review_escalate(user=physician, request_id=pa.pk, reason="A second opinion, please.")
    pa = claimed(other_physician, pa)
    determination_record(user=other_physician, request_id=pa.pk, **denial())
    talk = ask(provider_staff, pa)
    with pytest.raises(ReviewError, match="submitted or escalated this request"):
        peer_to_peer_schedule(user=physician, request_id=pa.pk, talk_id=talk.pk, slot_at=SLOT)
