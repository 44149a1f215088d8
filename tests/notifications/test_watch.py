"""The due-time watch and the digests, with the clock under the test's control (time-machine)."""

from __future__ import annotations

import datetime

from django.core import mail

from priorauth.members.models import Role
from priorauth.notifications.models import Event, Notification
from priorauth.notifications.tasks import send_daily_digests, watch_due_times
from tests.conftest import make_user
from tests.notifications.conftest import PHI, days, rows
from tests.review.world import MONDAY, approval, assign, claimed, submitted

MINUTE = datetime.timedelta(minutes=1)


def watch(django_capture_on_commit_callbacks) -> dict[str, int]:
    with django_capture_on_commit_callbacks(execute=True):
        return watch_due_times.delay().get()


def test_it_warns_the_supervisors_once_when_three_quarters_of_the_time_is_used(
    clock, provider_staff, supervisor, django_capture_on_commit_callbacks
):
    pa = submitted(provider_staff, "OH")
    assert pa.at_risk_at == MONDAY + days(7.5)
    clock.move_to(pa.at_risk_at - MINUTE)
    assert watch(django_capture_on_commit_callbacks) == {"at_risk": 0, "overdue": 0}
    clock.move_to(pa.at_risk_at)
    assert watch(django_capture_on_commit_callbacks) == {"at_risk": 1, "overdue": 0}
    clock.shift(datetime.timedelta(minutes=5))
    assert watch(django_capture_on_commit_callbacks) == {"at_risk": 0, "overdue": 0}
    assert rows(event=Event.AT_RISK) == [("at_risk", "sam", "email"), ("at_risk", "sam", "in_app")]
    (message,) = [m for m in mail.outbox if m.to == [supervisor.email]]
    assert message.subject == f"Request {pa.number}: due time at risk"
    assert "2 days 12 hours left" in message.body
    assert not any(word in message.body for word in PHI)


def test_it_warns_once_more_when_an_answer_restarts_the_clock(clock, provider_staff, nurse, supervisor):
    from priorauth.requests import services
    from priorauth.review import services as review

    pa = claimed(nurse, submitted(provider_staff, "GA"))
    clock.move_to(pa.at_risk_at)
    assert watch_due_times.delay().get() == {"at_risk": 1, "overdue": 0}
    asked = review.review_pend(user=nurse, request_id=pa.pk, needed="PET-CT.", respond_by=MONDAY + days(60))
    clock.shift(days(1))
    pa = services.request_answer_information(
        user=provider_staff, request_id=pa.pk, information_request_id=asked.pk, answer="Attached."
    )
    # Georgia restarts its 7 days at the answer: on track again, at risk 5.25 days later.
    assert pa.at_risk_at == MONDAY + days(6.25) + days(5.25)
    assert watch_due_times.delay().get() == {"at_risk": 0, "overdue": 0}
    clock.move_to(pa.at_risk_at - MINUTE)
    assert watch_due_times.delay().get() == {"at_risk": 0, "overdue": 0}
    clock.move_to(pa.at_risk_at)
    assert watch_due_times.delay().get() == {"at_risk": 1, "overdue": 0}
    clock.shift(days(1))
    assert watch_due_times.delay().get() == {"at_risk": 0, "overdue": 0}
    warned = Notification.objects.filter(event=Event.AT_RISK, channel="email")
    assert sorted(warned.values_list("occurrence", flat=True)) == [
        "2026-06-06T20:00:00Z",
        "2026-06-13T02:00:00Z",
    ]


def test_it_warns_the_queues_own_supervisors_when_it_has_some(clock, provider_staff, supervisor):
    pa = submitted(provider_staff, "OH")
    own = make_user("sue", Role.SUPERVISOR)
    assign(own, pa)
    clock.move_to(pa.at_risk_at)
    watch_due_times.delay()
    assert {name for _, name, _ in rows(event=Event.AT_RISK)} == {"sue"}


def test_it_warns_of_an_overdue_request_once_a_day_until_it_is_decided(
    clock, provider_staff, nurse, supervisor
):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    clock.move_to(pa.due_at)
    assert watch_due_times.delay().get() == {"at_risk": 0, "overdue": 1}  # past at-risk: overdue
    clock.shift(datetime.timedelta(hours=2))
    assert watch_due_times.delay().get() == {"at_risk": 0, "overdue": 0}
    clock.shift(days(1))
    assert watch_due_times.delay().get() == {"at_risk": 0, "overdue": 1}
    assert Notification.objects.filter(event=Event.OVERDUE, channel="email").count() == 2
    from priorauth.review import services as review

    review.determination_record(user=nurse, request_id=pa.pk, **approval())
    clock.shift(days(1))
    assert watch_due_times.delay().get() == {"at_risk": 0, "overdue": 0}


def test_it_does_not_warn_while_a_pend_stops_every_clock(clock, provider_staff, nurse, supervisor):
    from priorauth.review import services as review

    pa = claimed(nurse, submitted(provider_staff, "GA"))
    review.review_pend(user=nurse, request_id=pa.pk, needed="PET-CT.", respond_by=MONDAY + days(60))
    pa.refresh_from_db()
    assert pa.due_at is None  # Georgia: the clock stops while the information is awaited
    clock.move_to(MONDAY + days(40))
    assert watch_due_times.delay().get() == {"at_risk": 0, "overdue": 0}


def test_it_emails_each_reviewer_a_digest_of_their_queues_once_a_day(
    clock, provider_staff, nurse, physician, django_capture_on_commit_callbacks
):
    first = submitted(provider_staff, "OH")
    assign(nurse, first)
    clock.move_to(MONDAY + days(1))
    second = submitted(provider_staff, "OH")
    clock.move_to(first.at_risk_at)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        send_daily_digests.delay()
    (message,) = mail.outbox
    assert message.to == [nurse.email]
    assert message.subject == "Your review queues on 2026-06-08"
    queue = first.queue.name
    assert f"- {queue}: 2 / 1 / 0" in message.body
    assert message.body.index(first.number) < message.body.index(second.number)
    assert not any(word in message.body + message.alternatives[0][0] for word in PHI)
