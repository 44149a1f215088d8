"""`seed_demo`: the demo logins, organizations and members, idempotent and demo-only."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.utils import timezone
from stdnum import luhn
from stdnum.us import ein

from priorauth.members.demo import LOGINS, MEMBERS, ORGANIZATIONS, demo_seed
from priorauth.members.models import CoveragePeriod, Member, Plan, ProviderOrganization, Role, User
from priorauth.members.roles import ADMIN_PERMISSIONS
from priorauth.policies.models import ReviewQueue
from priorauth.review.models import QueueAssignment

STATES = ("GA", "IN", "OH", "WV")


@pytest.fixture
def plans(db) -> list[Plan]:
    return [
        Plan.objects.create(code=f"{state}-MKT-SILVER-2026", line_of_business="marketplace", state=state)
        for state in STATES
    ]


def seed(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_creates_a_login_for_every_role_and_a_superuser(plans):
    seed()
    for role in Role:
        assert User.objects.filter(role=role).exists(), role
    assert User.objects.filter(role=Role.PROVIDER_STAFF).values("organization").distinct().count() == 2
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


def test_it_gives_each_demo_user_its_role_group_and_admin_access_only_where_due(plans):
    seed()
    for login in LOGINS:
        user = User.objects.get(username=login.username)
        if login.role is None:
            continue
        assert list(user.groups.values_list("name", flat=True)) == [login.role.label]
        assert user.is_staff == (login.role in ADMIN_PERMISSIONS)


def test_it_prints_every_login_with_its_password_and_role(plans):
    out, _ = seed()
    assert "DEMO ONLY" in out
    for login in LOGINS:
        row = next(line for line in out.splitlines() if line.startswith(login.username + " "))
        assert login.password in row
        assert login.role_label in row


def test_it_lets_every_printed_login_log_in(plans):
    seed()
    for login in LOGINS:
        assert Client().login(username=login.username, password=login.password), login.username


def test_it_uses_passwords_that_pass_the_validators(plans):
    seed()
    for login in LOGINS:
        validate_password(login.password, User.objects.get(username=login.username))


def test_it_seeds_organizations_with_valid_npis_and_tins(plans):
    seed()
    assert ProviderOrganization.objects.count() == len(ORGANIZATIONS) >= 2
    for organization in ProviderOrganization.objects.all():
        assert organization.npi[0] in "12" and len(organization.npi) == 10
        assert luhn.is_valid("80840" + organization.npi), organization.npi
        assert ein.is_valid(organization.tin), organization.tin


def test_it_seeds_members_in_each_state_on_its_plan(plans):
    seed()
    for state in STATES:
        members = Member.objects.filter(plan__state=state)
        assert members.count() >= 2, state
        assert all(m.plan.code == f"{state}-MKT-SILVER-2026" for m in members)


def test_it_gives_one_member_lapsed_coverage_and_one_two_periods(plans):
    seed()
    today = datetime.date(timezone.localdate().year, 6, 15)
    lapsed = [m for m in Member.objects.all() if m.coverage_on(today) is None]
    assert lapsed, "a member whose coverage is not active on a date of service"
    counts = {m.member_id: m.coverage_periods.count() for m in Member.objects.all()}
    assert 2 in counts.values()


D = datetime.date
LAPSED, WITH_GAP = "OH-DEMO-0002", "GA-DEMO-0002"


def periods() -> dict[str, list[tuple[datetime.date, datetime.date]]]:
    """Return each member's coverage periods as (start, end), in order."""
    found: dict[str, list[tuple[datetime.date, datetime.date]]] = {}
    for period in CoveragePeriod.objects.order_by("member__member_id", "start"):
        found.setdefault(period.member.member_id, []).append((period.start, period.end))
    return found


@pytest.mark.parametrize("today", [D(2026, 12, 2), D(2027, 1, 15)])
def test_it_covers_the_demo_members_for_this_year_and_the_next(plans, today):
    result = demo_seed(today=today)
    year = today.year
    assert result.coverage_years == (year, year + 1)
    for member in Member.objects.exclude(member_id__in=(LAPSED, WITH_GAP)):
        for day in (D(year, 1, 1), today, D(year + 1, 6, 15), D(year + 1, 12, 31)):
            assert member.coverage_on(day) is not None, (member.member_id, day)
        assert member.coverage_on(D(year - 1, 12, 31)) is None
        assert member.coverage_on(D(year + 2, 1, 1)) is None


@pytest.mark.parametrize("today", [D(2026, 12, 2), D(2027, 1, 15)])
def test_it_keeps_the_lapse_and_the_gap_in_this_year(plans, today):
    demo_seed(today=today)
    year = today.year
    found = periods()
    assert found[LAPSED] == [(D(year, 1, 1), D(year, 3, 31))]
    assert found[WITH_GAP] == [(D(year, 1, 1), D(year, 4, 30)), (D(year, 7, 1), D(year + 1, 12, 31))]


def test_it_moves_coverage_forward_when_run_in_a_later_year(plans):
    demo_seed(today=D(2026, 12, 2))
    before = periods()
    demo_seed(today=D(2027, 1, 15))
    after = periods()
    assert after.keys() == before.keys() and len(after) == len(MEMBERS)
    for member_id, spans in before.items():
        assert after[member_id] == [
            (start.replace(year=start.year + 1), end.replace(year=end.year + 1)) for start, end in spans
        ]
    assert CoveragePeriod.objects.count() == sum(len(spans) for spans in before.values())


def test_it_drops_a_stray_period_of_a_demo_member(plans):
    demo_seed(today=D(2026, 12, 2))
    member = Member.objects.get(member_id="WV-DEMO-0001")
    CoveragePeriod.objects.create(member=member, start=D(2025, 1, 1), end=D(2025, 12, 31))
    demo_seed(today=D(2026, 12, 2))
    assert periods()["WV-DEMO-0001"] == [(D(2026, 1, 1), D(2027, 12, 31))]


def test_it_changes_nothing_when_run_twice_on_the_same_day(plans):
    demo_seed(today=D(2027, 1, 15))
    first = list(CoveragePeriod.objects.order_by("pk").values_list("pk", "member_id", "start", "end"))
    history = CoveragePeriod.history.count()
    demo_seed(today=D(2027, 1, 15))
    assert list(CoveragePeriod.objects.order_by("pk").values_list("pk", "member_id", "start", "end")) == first
    assert CoveragePeriod.history.count() == history


def test_it_prints_the_years_of_coverage(plans):
    out, _ = seed()
    year = timezone.localdate().year
    assert f"{len(MEMBERS)} members seeded (covered for {year} and {year + 1})" in out


def row_counts() -> tuple[int, ...]:
    models = (User, ProviderOrganization, Member, CoveragePeriod, QueueAssignment)
    return tuple(model.objects.count() for model in models)


def test_it_is_idempotent(plans, queues):
    seed()
    first = row_counts()
    seed()
    assert row_counts() == first
    assert Member.objects.count() == len(MEMBERS)


def test_it_restores_a_changed_demo_password(plans):
    seed()
    nurse = User.objects.get(username="nurse")
    nurse.set_password("something-else-entirely-42")
    nurse.save()
    seed()
    password = next(login.password for login in LOGINS if login.username == "nurse")
    assert Client().login(username="nurse", password=password)


def test_it_skips_a_missing_plan_with_a_warning(db):
    Plan.objects.create(code="OH-MKT-SILVER-2026", line_of_business="marketplace", state="OH")
    _, err = seed()
    assert "GA-MKT-SILVER-2026 does not exist" in err
    assert set(Member.objects.values_list("plan__state", flat=True)) == {"OH"}
    assert User.objects.filter(username="admin").exists()


def test_it_refuses_to_run_with_debug_off(db):
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()


def test_it_runs_with_debug_off_when_forced(plans):
    with override_settings(DEBUG=False):
        call_command("seed_demo", "--force", stdout=io.StringIO())
    assert User.objects.filter(username="admin").exists()


@pytest.fixture
def queues(db) -> list[ReviewQueue]:
    return [
        ReviewQueue.objects.create(code="mn-car-t", name="Medical necessity: CAR-T"),
        ReviewQueue.objects.create(code="mn-gene", name="Medical necessity: gene therapy"),
    ]


def test_it_assigns_the_demo_nurse_and_physician_to_every_queue_once(plans, queues):
    seed()
    seed()
    assigned = set(QueueAssignment.objects.values_list("reviewer__username", "queue__code"))
    assert assigned == {(user, q.code) for user in ("nurse", "physician", "physician2") for q in queues}
    assert QueueAssignment.objects.count() == 6


def test_only_the_demo_physicians_work_the_appeals_queue(plans, queues):
    ReviewQueue.objects.create(code="appeals", name="Appeals")
    seed()
    working = QueueAssignment.objects.filter(queue__code="appeals").values_list(
        "reviewer__username", flat=True
    )
    assert set(working) == {"physician", "physician2"}


def test_it_says_how_many_queues_the_reviewers_work(plans, queues):
    out, err = seed()
    assert "the demo nurse and physician work all 2 review queues" in out
    assert "no review queues" not in err


def test_it_warns_when_there_is_no_queue_to_work(plans):
    _, err = seed()
    assert "There are no review queues" in err
    assert not QueueAssignment.objects.exists()
