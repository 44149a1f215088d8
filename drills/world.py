"""The drill's world: its own database, the environment its processes share, the seed, submissions.

A submission goes through the request services the web form calls (start, save, submit), with
Django's connection handling around it as for a web request (`close_old_connections` before
and after), so a connection cut by the database drill fails a submission exactly when it
would fail a page.
"""

from __future__ import annotations

import datetime
import io
import os
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

SEED_BUNDLE = "policies/mp-ad-1623.bundle.json"
# Demo members covered this year and next (not the one with a gap, not the lapsed one).
MEMBER_IDS = (
    "GA-DEMO-0001",
    "GA-DEMO-0003",
    "IN-DEMO-0001",
    "IN-DEMO-0002",
    "OH-DEMO-0001",
    "OH-DEMO-0003",
    "WV-DEMO-0001",
    "WV-DEMO-0002",
)
STAFF = ("staff_buckeye", "staff_peach")


def admin_url(url: str) -> str:
    """Return the URL of the server's `postgres` database, for creating and dropping another."""
    return urlsplit(url)._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)


def database_name(url: str) -> str:
    return urlsplit(url).path.strip("/")


def database_recreate(url: str, *, create: bool = True, template: str = "") -> None:
    """Drop the drill's database (its name only) and, if asked, create it afresh (from a template)."""
    import psycopg
    from psycopg import sql

    name = sql.Identifier(database_name(url))
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if create and template:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(name, sql.Identifier(template)))
        elif create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def seeded_name(url: str) -> str:
    """Return the name of the seeded copy each drill starts from (the drill's name + _seeded)."""
    return database_name(url) + "_seeded"


def seeded_copy(url: str, *, keep: bool = True) -> None:
    """Keep a copy of the freshly seeded database as a template (or drop it, keep=False)."""
    copy = urlsplit(url)._replace(path="/" + seeded_name(url)).geturl()
    database_recreate(copy, create=False)
    if keep:
        database_recreate(copy, template=database_name(url))


def connections_terminate(url: str) -> int:
    """Return how many connections to the drill's database were terminated (never another database's)."""
    import psycopg

    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (database_name(url),),
        ).fetchall()
    return sum(1 for (done,) in rows if done)


def environment(*, database_url: str, redis_url: str, smtp_port: int, **extra: str) -> dict[str, str]:
    """Return the environment of the drill's processes: production settings, its own services."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="priorauth.settings",
        DEBUG="false",
        SECRET_KEY=env.get("DRILL_SECRET_KEY", "drill-only-not-secret"),
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def django_setup(env: dict[str, str]) -> None:
    """Set up Django in this process against the drill's database and broker."""
    os.environ.update(env)
    import django

    django.setup()


def seed() -> None:
    """Migrate the drill's database and load the seed policies and the demo logins and members."""
    from django.core.management import call_command

    quiet = io.StringIO()
    call_command("migrate", "--noinput", verbosity=0, stdout=quiet)
    call_command("import_policies", SEED_BUNDLE, verbosity=0, stdout=quiet)
    call_command("seed_demo", "--force", verbosity=0, stdout=quiet)


def car_t_details(date_of_service: datetime.date) -> dict[str, object]:
    """Return a complete Yescarta request's intake details (routed to review in every demo state)."""
    from priorauth.policies.models import Product

    return {
        "product": Product.objects.get(hcpcs="Q2041"),
        "diagnoses": ["C83.30"],
        "date_of_service": date_of_service,
        "ordering_name": "Dr. Grace Hopper",
        "ordering_npi": "1234567893",
        "rendering_npi": "1245319599",
        "facility_name": "Buckeye Cancer Center",
        "facility_npi": "1234567893",
        "facility_accreditation": "fact",
        "urgency": "standard",
        "clinical_summary": "DLBCL, relapsed after 2 lines.",
        "prior_lines_of_therapy": 2,
        "ecog": 1,
        "active_cns_disease": False,
        "active_infection": False,
        "prior_car_t_or_gene_therapy": False,
    }


@dataclass(frozen=True)
class Submission:
    ok: bool
    seconds: float
    request_id: int | None = None
    error: str = ""


def submit(index: int) -> Submission:
    """Return how one submission went: office staff start, fill and submit a request for a demo member.

    Two pages, as the intake's: "Start request" (the staff member, the member, the draft) and
    the intake form's "Submit" (the staff member, the saved draft, the submission). Each runs
    under the same one-more-try as those views (`retry_when_connection_lost`); an exception that
    comes through is a failed submission (the page would have answered 500).
    """
    from django.db import close_old_connections
    from django.utils import timezone

    from priorauth.db import retry_when_connection_lost
    from priorauth.members.models import Member, User
    from priorauth.requests import services

    @retry_when_connection_lost
    def start_page() -> int:
        staff = User.objects.get(username=STAFF[index % len(STAFF)])
        member = Member.objects.get(member_id=MEMBER_IDS[index % len(MEMBER_IDS)])
        return services.request_start(user=staff, member=member, token=token).pk

    @retry_when_connection_lost
    def submit_page(request_id: int) -> int:
        staff = User.objects.get(username=STAFF[index % len(STAFF)])
        day = timezone.localdate() + datetime.timedelta(days=30)
        services.request_save_draft(user=staff, request_id=request_id, details=car_t_details(day))
        return services.request_submit(user=staff, request_id=request_id, attested=True).pk

    token = uuid.uuid4()
    started = time.perf_counter()
    try:
        close_old_connections()
        request_id = start_page()
        close_old_connections()  # between the two pages, as at a request's end and the next's start
        request_id = submit_page(request_id)
    except Exception as error:
        return Submission(False, time.perf_counter() - started, error=type(error).__name__)
    finally:
        close_old_connections()
    return Submission(True, time.perf_counter() - started, request_id)
