"""The digest: once per reviewer and day; a day whose run fell in an outage is caught up by the next run."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from priorauth.notifications import watch
from priorauth.notifications.models import Event, Notification
from priorauth.notifications.tasks import send_daily_digests
from tests.notifications.conftest import days
from tests.review.world import MONDAY, assign, submitted

# Beat's tick: 11:00 UTC, 7 am Eastern in June.
TICK = MONDAY.replace(hour=11)
DAY = datetime.date(2026, 6, 1)


@pytest.fixture
def reviewing(clock, provider_staff, nurse) -> None:
    assign(nurse, submitted(provider_staff, "OH"))
    clock.move_to(TICK)


def run(django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return send_daily_digests.delay().get()


def digest_days() -> list[str]:
    return sorted(Notification.objects.filter(event=Event.DIGEST).values_list("occurrence", flat=True))


def test_it_catches_up_a_digest_missed_in_an_outage_and_sends_none_twice(
    reviewing, clock, django_capture_on_commit_callbacks
):
    assert run(django_capture_on_commit_callbacks) == 1  # Monday
    clock.move_to(TICK + days(2))  # Tuesday's tick fell in an outage: the next run is Wednesday's
    assert run(django_capture_on_commit_callbacks) == 2
    assert run(django_capture_on_commit_callbacks) == 0  # beat's tick and a restart's: one digest
    clock.move_to(TICK + days(3))
    assert run(django_capture_on_commit_callbacks) == 1
    assert digest_days() == ["2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04"]
    assert sorted(m.subject for m in mail.outbox if "review queues" in m.subject) == [
        f"Your review queues on 2026-06-0{n}" for n in (1, 2, 3, 4)
    ]


def test_it_catches_up_no_further_back_than_a_few_days(reviewing, clock, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks)
    clock.move_to(TICK + days(10))
    assert run(django_capture_on_commit_callbacks) == watch.DIGEST_CATCH_UP_DAYS + 1
    assert digest_days() == ["2026-06-01", "2026-06-09", "2026-06-10", "2026-06-11"]


@pytest.mark.parametrize(
    ("last", "owed"),
    [
        (None, ["2026-06-01"]),  # never had one: today's only
        ("2026-06-01", []),  # today's was given
        ("2026-05-31", ["2026-06-01"]),  # yesterday's too: the usual day
        ("2026-05-30", ["2026-05-31", "2026-06-01"]),  # one missed day
        ("2026-05-01", ["2026-05-30", "2026-05-31", "2026-06-01"]),  # long gone: the last few only
    ],
)
def test_it_owes_the_days_since_the_last_digest_within_the_catch_up_window(last, owed):
    assert watch.DIGEST_CATCH_UP_DAYS == 2
    assert watch.digest_days(today=DAY, last=last) == owed
