"""Member lookup limits: misses lock a member ID for the user, lookups per user are capped,
supervisors hear of a burst once, and nothing logged names the member."""

from __future__ import annotations

import datetime
import logging

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from priorauth.audit.models import Kind, PhiAccess
from priorauth.lookup import services
from priorauth.lookup.models import LookupAttempt, LookupLock
from priorauth.lookup.services import LookupRefused, lookup_member, lookups_prune
from priorauth.members.models import CoveragePeriod, Member, Plan
from priorauth.notifications.models import Channel, Event, Notification

BIRTH = datetime.date(1961, 4, 21)
START = datetime.datetime(2026, 6, 1, 14, 0, tzinfo=datetime.UTC)


@pytest.fixture
def member(db) -> Member:
    plan = Plan.objects.create(code="OH-MKT", name="Ohio Silver", line_of_business="marketplace", state="OH")
    member = Member.objects.create(
        member_id="OH1000001", first_name="Ada", last_name="Lovelace", date_of_birth=BIRTH, plan=plan
    )
    CoveragePeriod.objects.create(
        member=member, start=datetime.date(2026, 1, 1), end=datetime.date(2027, 12, 31)
    )
    return member


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def guess(user, day: int, member_id: str = "OH1000001"):
    return lookup_member(user=user, member_id=member_id, date_of_birth=datetime.date(1961, 1, day))


def miss_until_locked(user) -> None:
    for day in range(1, services.MISSES_BEFORE_LOCK):
        assert guess(user, day) is None
    with pytest.raises(LookupRefused, match="paused for you until"):
        guess(user, services.MISSES_BEFORE_LOCK)


def test_it_finds_the_member_with_the_right_birth_date(provider_staff, member, clock):
    assert lookup_member(user=provider_staff, member_id=" oh1000001 ", date_of_birth=BIRTH) == member


def test_it_locks_the_member_id_after_five_misses_even_for_the_right_birth_date(
    provider_staff, member, clock
):
    miss_until_locked(provider_staff)
    with pytest.raises(LookupRefused):
        lookup_member(user=provider_staff, member_id="OH1000001", date_of_birth=BIRTH)


def test_it_locks_only_that_member_id_for_only_that_user(provider_staff, other_staff, member, clock):
    miss_until_locked(provider_staff)
    assert lookup_member(user=other_staff, member_id="OH1000001", date_of_birth=BIRTH) == member
    assert guess(provider_staff, 1, member_id="OH1000002") is None  # another member ID: not locked


def test_it_unlocks_after_thirty_minutes(provider_staff, member, clock):
    miss_until_locked(provider_staff)
    clock.shift(services.LOCK_FOR - datetime.timedelta(seconds=1))
    with pytest.raises(LookupRefused):
        lookup_member(user=provider_staff, member_id="OH1000001", date_of_birth=BIRTH)
    clock.shift(datetime.timedelta(seconds=2))
    assert lookup_member(user=provider_staff, member_id="OH1000001", date_of_birth=BIRTH) == member


def test_it_counts_only_the_misses_of_the_last_fifteen_minutes(provider_staff, member, clock):
    for day in range(1, services.MISSES_BEFORE_LOCK):
        guess(provider_staff, day)
    clock.shift(services.MISS_WINDOW + datetime.timedelta(seconds=1))
    assert guess(provider_staff, 9) is None  # a fifth miss, but the first four are too old


def test_it_caps_a_users_lookups_in_ten_minutes(provider_staff, member, clock):
    for n in range(services.LOOKUPS_PER_WINDOW):
        assert guess(provider_staff, 1, member_id=f"OH9{n:06d}") is None
    with pytest.raises(LookupRefused, match="30 member lookups in the last 10 minutes"):
        lookup_member(user=provider_staff, member_id="OH1000001", date_of_birth=BIRTH)
    clock.shift(services.LOOKUP_WINDOW + datetime.timedelta(seconds=1))
    assert lookup_member(user=provider_staff, member_id="OH1000001", date_of_birth=BIRTH) == member


def burst_notices() -> list[Notification]:
    return list(Notification.objects.filter(event=Event.LOOKUP_BURST).order_by("recipient_id"))


def test_a_lock_tells_the_supervisors_once_in_the_app(provider_staff, supervisor, nurse, member, clock):
    miss_until_locked(provider_staff)
    for day in range(10, 15):
        with pytest.raises(LookupRefused):
            guess(provider_staff, day)
    notices = burst_notices()
    assert [(n.recipient, n.channel) for n in notices] == [(supervisor, Channel.IN_APP)]
    assert notices[0].subject == "Member lookups paused for olivia"
    assert "OH1000001" not in str(notices[0].context)


def test_a_throttle_tells_the_supervisors_once(provider_staff, supervisor, member, clock):
    for n in range(services.LOOKUPS_PER_WINDOW):
        guess(provider_staff, 1, member_id=f"OH9{n:06d}")
    for _ in range(3):
        with pytest.raises(LookupRefused):
            guess(provider_staff, 1)
    assert [n.context["reason"] for n in burst_notices()] == ["throttled"]


def test_its_log_records_never_name_the_member(provider_staff, member, clock, caplog):
    caplog.set_level(logging.INFO)
    miss_until_locked(provider_staff)
    with pytest.raises(LookupRefused):
        lookup_member(user=provider_staff, member_id="OH1000001", date_of_birth=BIRTH)
    messages = [record.getMessage() for record in caplog.records if record.name.startswith("priorauth")]
    assert any("member lookup miss" in message for message in messages)
    assert any("member lookup locked" in message for message in messages)
    for message in messages:
        for phi in ("OH1000001", "oh1000001", "1961", "Lovelace", "Ada"):
            assert phi not in message


def test_a_hit_is_an_access_log_read_and_a_miss_is_not(provider_staff, member, clock):
    guess(provider_staff, 1)
    lookup_member(user=provider_staff, member_id="OH1000001", date_of_birth=BIRTH)
    (row,) = PhiAccess.objects.all()
    assert (row.kind, row.action, row.member_id) == (Kind.MEMBER_LOOKUP, "search", member.pk)


def post_lookup(client, birth: str):
    data = {"member_id": "OH1000001", "date_of_birth": birth, "date_of_service": "2026-07-01"}
    return client.post(reverse("members:lookup"), data).content.decode()


def test_the_lookup_page_says_the_member_id_is_paused(client, provider_staff, member, clock):
    client.force_login(provider_staff)
    for day in range(1, services.MISSES_BEFORE_LOCK):
        assert "No member matches" in post_lookup(client, f"1961-01-{day:02d}")
    page = post_lookup(client, "1961-01-05")
    assert "lookups of this member ID are paused for you until 10:30 AM EDT" in page
    page = post_lookup(client, "1961-04-21")
    assert "paused for you" in page and "Lovelace" not in page
    assert not PhiAccess.objects.exists()


def test_the_periodic_prune_keeps_the_tables_small(provider_staff, member, clock):
    miss_until_locked(provider_staff)
    assert lookups_prune(now=timezone.now()) == 0  # the misses and the lock still count
    clock.shift(datetime.timedelta(minutes=31))
    assert lookup_member(user=provider_staff, member_id="OH1000001", date_of_birth=BIRTH) == member
    # The five misses and the ended lock go; the lookup just made stays (it counts for ten minutes).
    assert lookups_prune(now=timezone.now()) == services.MISSES_BEFORE_LOCK + 1
    assert list(LookupAttempt.objects.values_list("at", flat=True)) == [timezone.now()]
    assert not LookupLock.objects.exists()


def test_the_prune_runs_on_beats_schedule():
    from priorauth.celery import app

    app.loader.import_default_modules()  # the tasks modules, as beat and the worker load them
    entry = app.conf.beat_schedule["lookup-prune"]
    assert app.tasks[entry["task"]].name == "lookup.prune"


def test_the_supervisor_reads_the_notice_without_the_member(
    client, provider_staff, supervisor, member, clock
):
    miss_until_locked(provider_staff)
    client.force_login(supervisor)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Member lookups paused for olivia" in page
    assert "olivia missed 5 times within 15 minutes on one member ID" in page
    assert "locked for them for 30 minutes" in page
    for phi in ("OH1000001", "Lovelace", "1961"):
        assert phi not in page


def test_an_api_client_may_make_more_lookups_than_office_staff(provider_staff, member, clock):
    for _ in range(services.LOOKUPS_PER_WINDOW + 10):
        found = lookup_member(
            user=provider_staff, member_id="OH1000001", date_of_birth=BIRTH, lookups_per_window=100
        )
        assert found == member


def test_an_api_clients_higher_limit_still_caps_it(provider_staff, member, clock):
    for _ in range(40):
        lookup_member(user=provider_staff, member_id="OH1000001", date_of_birth=BIRTH, lookups_per_window=40)
    with pytest.raises(LookupRefused, match="40 member lookups in the last 10 minutes"):
        lookup_member(user=provider_staff, member_id="OH1000001", date_of_birth=BIRTH, lookups_per_window=40)


def test_misses_over_many_member_ids_are_capped_whatever_the_lookup_limit(
    provider_staff, supervisor, member, clock
):
    for n in range(services.MISSES_PER_WINDOW):
        found = lookup_member(
            user=provider_staff, member_id=f"OH9{n:06d}", date_of_birth=BIRTH, lookups_per_window=600
        )
        assert found is None
    for _ in range(2):
        with pytest.raises(LookupRefused, match="30 unsuccessful member lookups in the last 10 minutes"):
            lookup_member(
                user=provider_staff, member_id="OH1000001", date_of_birth=BIRTH, lookups_per_window=600
            )
    assert [n.context["reason"] for n in burst_notices()] == ["probing"]
    clock.shift(services.LOOKUP_WINDOW + datetime.timedelta(seconds=1))
    assert (
        lookup_member(user=provider_staff, member_id="OH1000001", date_of_birth=BIRTH, lookups_per_window=600)
        == member
    )
