"""The demo data: role groups, one login per role, provider organizations, members and coverage.

The demo nurse and physician work every review queue the policy bundle defines, so that a
request submitted in `make run` can be claimed and decided at once.

Everything here is fictional and the passwords are published (README, `seed_demo` output):
it exists so that `make run` shows a working product, never for a real installation.
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from priorauth.members.models import CoveragePeriod, Member, Plan, ProviderOrganization, Role, User
from priorauth.members.roles import DECIDING_ROLES, assign_role, ensure_role_groups, second_factor_required
from priorauth.policies.models import ReviewQueue
from priorauth.review.models import QueueAssignment


@dataclass(frozen=True)
class DemoOrganization:
    key: str
    name: str
    npi: str  # valid: Luhn check digit over "80840" + the first nine digits
    tin: str  # valid EIN prefix


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    first_name: str
    last_name: str
    role: Role | None  # None: the superuser, who has no working role
    organization: str = ""  # a DemoOrganization key, for provider office staff only
    specialty: str = ""  # a physician's Specialty value

    @property
    def role_label(self) -> str:
        return self.role.label if self.role else "Superuser (site administration)"


# A day of a demo coverage period: (years after the year the demo is seeded in, month, day).
DemoDay = tuple[int, int, int]


@dataclass(frozen=True)
class DemoMember:
    member_id: str
    first_name: str
    last_name: str
    date_of_birth: datetime.date
    plan: str
    coverage: tuple[tuple[DemoDay, DemoDay], ...]  # (start, end) of each period, relative to the year

    def coverage_in(self, year: int) -> list[tuple[datetime.date, datetime.date]]:
        """Return the member's coverage periods, in order, when the demo is seeded in a year."""
        return sorted((_day_in(year, start), _day_in(year, end)) for start, end in self.coverage)


@dataclass
class DemoResult:
    logins: list[DemoLogin] = field(default_factory=list)
    organizations: int = 0
    members: int = 0
    coverage_years: tuple[int, int] = (0, 0)  # the calendar years the demo members are covered for
    queues: int = 0  # the review queues the demo reviewers work
    warnings: list[str] = field(default_factory=list)


def _d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _day_in(year: int, day: DemoDay) -> datetime.date:
    years_after, month, day_of_month = day
    return datetime.date(year + years_after, month, day_of_month)


ORGANIZATIONS = [
    DemoOrganization("buckeye", "Buckeye Cellular Oncology (demo)", "1642789139", "314827365"),
    DemoOrganization("peach", "Peach State Gene Therapy Center (demo)", "2458902733", "582049173"),
    DemoOrganization("hoosier", "Hoosier Hematology Partners (demo)", "1774026599", "352918406"),
]

LOGINS = [
    DemoLogin("staff_buckeye", "orchid-lantern-47-ridge", "Olivia", "Marsh", Role.PROVIDER_STAFF, "buckeye"),
    DemoLogin("staff_peach", "copper-meadow-83-sail", "Theo", "Vance", Role.PROVIDER_STAFF, "peach"),
    DemoLogin("nurse", "quiet-harbor-29-fern", "Nina", "Okafor", Role.CLINICAL_REVIEWER),
    DemoLogin(
        "physician",
        "amber-summit-61-wren",
        "Raj",
        "Patel",
        Role.PHYSICIAN_REVIEWER,
        specialty="hematology_oncology",
    ),
    # A second medical director, so that an appeal of the first one's decision has someone
    # independent to decide it (priorauth.appeals).
    DemoLogin(
        "physician2",
        "cobalt-ember-58-heron",
        "Maya",
        "Lindqvist",
        Role.PHYSICIAN_REVIEWER,
        specialty="medical_oncology",
    ),
    DemoLogin("supervisor", "velvet-canyon-15-pine", "Sam", "Delgado", Role.SUPERVISOR),
    DemoLogin("policy_admin", "silver-orchard-38-tide", "Paula", "Brennan", Role.POLICY_ADMIN),
    DemoLogin("enrollment", "linen-prairie-54-brook", "Eli", "Navarro", Role.ENROLLMENT_ADMIN),
    DemoLogin("privacy", "maple-lattice-72-cove", "Priya", "Lund", Role.PRIVACY_OFFICER),
    DemoLogin("admin", "granite-willow-92-dawn", "Ada", "Kessler", None),
]

# The one published authenticator key of every demo login whose role requires two-factor
# sign-in (base32, as an authenticator app takes it). `manage.py demo_code USERNAME` prints the
# current code; so does any authenticator app given this key.
DEMO_TOTP_SECRET = "DEMOTOTPSECRETFORMAKERUNONLY2345"
DEMO_DEVICE_NAME = "Demo authenticator (published key)"

# Coverage for the year the demo is seeded in and the next, so that the demo never goes stale.
_TWO_YEARS = ((0, 1, 1), (1, 12, 31))

MEMBERS = [
    DemoMember("GA-DEMO-0001", "Marisol", "Quenby", _d("1978-03-14"), "GA-MKT-SILVER-2026", (_TWO_YEARS,)),
    DemoMember(
        "GA-DEMO-0002",
        "Dorian",
        "Ashgrove",
        _d("1990-11-02"),
        "GA-MKT-SILVER-2026",
        # Two periods with a gap in May and June of this year: a date of service there is not covered.
        (((0, 1, 1), (0, 4, 30)), ((0, 7, 1), (1, 12, 31))),
    ),
    DemoMember("GA-DEMO-0003", "Imani", "Follett", _d("2009-06-21"), "GA-MKT-SILVER-2026", (_TWO_YEARS,)),
    DemoMember("IN-DEMO-0001", "Caspian", "Wendell", _d("1965-08-09"), "IN-MKT-SILVER-2026", (_TWO_YEARS,)),
    DemoMember("IN-DEMO-0002", "Linnea", "Prowse", _d("1983-01-27"), "IN-MKT-SILVER-2026", (_TWO_YEARS,)),
    DemoMember("IN-DEMO-0003", "Obadiah", "Sterne", _d("1972-12-05"), "IN-MKT-SILVER-2026", (_TWO_YEARS,)),
    DemoMember("OH-DEMO-0001", "Juniper", "Halloway", _d("1958-04-30"), "OH-MKT-SILVER-2026", (_TWO_YEARS,)),
    DemoMember(
        "OH-DEMO-0002",
        "Emrys",
        "Talbot",
        _d("1995-09-18"),
        "OH-MKT-SILVER-2026",
        # Lapsed: coverage ended on 03/31 of this year, so a later date of service is not covered.
        (((0, 1, 1), (0, 3, 31)),),
    ),
    DemoMember(
        "OH-DEMO-0003", "Rosalind", "Achterberg", _d("1987-07-07"), "OH-MKT-SILVER-2026", (_TWO_YEARS,)
    ),
    DemoMember("WV-DEMO-0001", "Thaddeus", "Crane", _d("1969-02-11"), "WV-MKT-SILVER-2026", (_TWO_YEARS,)),
    DemoMember("WV-DEMO-0002", "Beatrix", "Lowell", _d("2001-10-23"), "WV-MKT-SILVER-2026", (_TWO_YEARS,)),
    DemoMember("WV-DEMO-0003", "Silas", "Moorcroft", _d("1976-05-16"), "WV-MKT-SILVER-2026", (_TWO_YEARS,)),
]


@transaction.atomic
def demo_seed(today: datetime.date | None = None) -> DemoResult:
    """Return what was seeded after creating or updating the demo data; safe to run again.

    The demo members are covered for the year of `today` (default: the local date) and the next,
    lapse and gap included; a run in a later year moves their coverage periods forward.
    Passwords are reset to the published ones on each run so that the printed table is true.
    Members of a plan that does not exist (the policy bundle was not imported) are skipped
    with a warning rather than failing the whole seed.
    """
    year = (today or timezone.localdate()).year
    ensure_role_groups()
    organizations = {org.key: _organization_upsert(org) for org in ORGANIZATIONS}
    result = DemoResult(organizations=len(organizations), coverage_years=(year, year + 1))
    users = []
    for login in LOGINS:
        users.append(_login_upsert(login, organizations))
        result.logins.append(login)
    result.queues = _reviewers_assign([user for user in users if user.role in DECIDING_ROLES])
    if not result.queues:
        result.warnings.append(
            "There are no review queues (import the policy bundle first): the demo reviewers work none."
        )
    plans = {plan.code: plan for plan in Plan.objects.filter(code__in={m.plan for m in MEMBERS})}
    for missing in sorted({m.plan for m in MEMBERS} - plans.keys()):
        result.warnings.append(
            f"Plan {missing} does not exist (import the policy bundle first): its members are skipped."
        )
    for demo_member in MEMBERS:
        if demo_member.plan in plans:
            _member_upsert(demo_member, plans[demo_member.plan], year)
            result.members += 1
    return result


def _organization_upsert(org: DemoOrganization) -> ProviderOrganization:
    organization, _ = ProviderOrganization.objects.update_or_create(
        npi=org.npi, defaults={"name": org.name, "tin": org.tin}
    )
    return organization


def _login_upsert(login: DemoLogin, organizations: dict[str, ProviderOrganization]) -> User:
    user, _ = User.objects.get_or_create(username=login.username)
    user.first_name = login.first_name
    user.last_name = login.last_name
    user.email = f"{login.username}@demo.example.org"
    user.organization = organizations[login.organization] if login.organization else None
    user.specialty = login.specialty
    validate_password(login.password, user)
    user.set_password(login.password)
    if login.role is None:
        user.role = ""
        user.is_staff = user.is_superuser = True
        user.save()
        user.groups.clear()
    else:
        user.is_superuser = False
        assign_role(user, login.role)
    if second_factor_required(user):
        _demo_device_replace(user)
    return user


def demo_totp_key() -> str:
    """Return the published demo authenticator key as django-otp stores it (hex)."""
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


def _demo_device_replace(user: User) -> None:
    """Make the demo authenticator, with the published key, the user's only one (unthrottled)."""
    TOTPDevice.objects.filter(user=user).exclude(name=DEMO_DEVICE_NAME).delete()
    TOTPDevice.objects.update_or_create(
        user=user,
        name=DEMO_DEVICE_NAME,
        defaults={
            "key": demo_totp_key(),
            "confirmed": True,
            "drift": 0,
            "throttling_failure_count": 0,
            "throttling_failure_timestamp": None,
        },
    )


# The bundle's queue of internal appeals: only physicians decide appeals, so nurses do not work it.
APPEALS_QUEUE = "appeals"


def _reviewers_assign(reviewers: list[User]) -> int:
    """Return how many queues there are, after assigning each reviewer to every one not yet theirs.

    The appeals queue goes to the physicians only.
    """
    queues = list(ReviewQueue.objects.all())
    for reviewer in reviewers:
        for queue in queues:
            if queue.code == APPEALS_QUEUE and reviewer.role != Role.PHYSICIAN_REVIEWER:
                continue
            QueueAssignment.objects.get_or_create(reviewer=reviewer, queue=queue)
    return len(queues)


def _member_upsert(demo_member: DemoMember, plan: Plan, year: int) -> Member:
    member, _ = Member.objects.update_or_create(
        member_id=demo_member.member_id,
        defaults={
            "first_name": demo_member.first_name,
            "last_name": demo_member.last_name,
            "date_of_birth": demo_member.date_of_birth,
            "plan": plan,
        },
    )
    _coverage_replace(member, demo_member.coverage_in(year))
    return member


def _coverage_replace(member: Member, wanted: list[tuple[datetime.date, datetime.date]]) -> None:
    """Make the member's coverage periods exactly the wanted ones, changing only what differs.

    Periods already on file are moved to the wanted dates in order (so a run in a later year
    brings them forward, with their history), extra ones deleted and missing ones created.
    """
    periods = list(member.coverage_periods.order_by("start", "end", "pk"))
    for period, (start, end) in zip(periods, wanted, strict=False):
        if (period.start, period.end) != (start, end):
            period.start, period.end = start, end
            period.full_clean()
            period.save()
    for period in periods[len(wanted) :]:
        period.delete()
    for start, end in wanted[len(periods) :]:
        period = CoveragePeriod(member=member, start=start, end=end)
        period.full_clean()
        period.save()
