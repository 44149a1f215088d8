"""The PAS API benchmark: `Claim/$submit` under concurrent EHR clients against gunicorn and PostgreSQL.

32 API clients (one thread each, keep-alive connections) post CAR-T Bundles to a gunicorn
serving the application (bench.settings), each Bundle a new Claim for its own member, so every
call routes and writes a request. The same clients then post to the bare ceiling view on the
same server (bench/urls.py: one row inserted per call), and to the floor view (the token and
the Bundle checked by `$submit`'s own functions, then one row inserted): the most any `$submit`
could reach here, as it does that work before it finds the member and routes. The runs are
bounded in calls and in time, on 127.0.0.1 only. Then `phases` times the calls in-process to
say where the time goes.

Each client makes 16 calls, its own API client and token: an API client may make
PAS_LOOKUPS_PER_WINDOW member lookups in 10 minutes (600 by default), so one client could make
them all; 32 clients are 32 EHRs' worth of connections.
"""

from __future__ import annotations

import datetime
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from bench import cpu, queue_page
from priorauth.members.models import CoveragePeriod, Member, Plan, ProviderOrganization
from priorauth.pas.models import ApiClient
from priorauth.pas.services import api_client_create
from priorauth.policies.services import bundle_import
from tests.pas.bundles import submit_bundle

CLIENTS = 32
CALLS_PER_CLIENT = 16
TIME_LIMIT_S = 120.0
P99_TARGET_MS = 1000.0
SHARE_OF_CEILING = 0.3
NPI = "1234567893"
PLAN = "OH-MKT-SILVER-2026"
SUBMIT = "/fhir/Claim/$submit"
CEILING = "/bench/ceiling"
FLOOR = "/bench/floor"


@dataclass
class World:
    tokens: list[str]
    # One list of Bundles (as bytes) per client, each a new Claim for its own member.
    bodies: list[list[bytes]]


@dataclass
class Run:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    wall_s: float = 0.0
    # CPU milliseconds per answered call: the server, PostgreSQL and the clients (bench.cpu).
    cpu_ms: dict[str, float] = field(default_factory=dict)

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.wall_s if self.wall_s else 0.0

    def percentile(self, p: float) -> float:
        return queue_page.percentile(self.latencies_ms, p) if self.latencies_ms else 0.0


def world_create(*, clients: int = CLIENTS, calls: int = CALLS_PER_CLIENT, prefix: str = "BENCHAPI") -> World:
    """Return the clients' tokens and Bundles: the seed policy records, members covered now, clients."""
    if not Plan.objects.filter(code=PLAN).exists():
        bundle_import(data=json.loads(queue_page.BUNDLE.read_text()))
    ProviderOrganization.objects.get_or_create(
        npi=NPI, defaults={"name": "Bench EHR Oncology", "tin": "311234567"}
    )
    today = timezone.localdate()
    service_day = today + datetime.timedelta(days=30)
    members = Member.objects.bulk_create(
        Member(
            member_id=f"{prefix}{n:06d}",
            first_name="Bench",
            last_name=f"Member {n}",
            date_of_birth=datetime.date(1960, 1, 1) + datetime.timedelta(days=n),
            plan=Plan.objects.get(code=PLAN),
        )
        for n in range(clients * calls)
    )
    CoveragePeriod.objects.bulk_create(
        CoveragePeriod(member=m, start=today.replace(month=1, day=1), end=today.replace(year=today.year + 1))
        for m in members
    )
    tokens, bodies = [], []
    for index in range(clients):
        client = api_client_create(organization_npi=NPI, name=f"{prefix} EHR {index}").client
        tokens.append(_token(client))
        mine = members[index * calls : (index + 1) * calls]
        bodies.append(
            [_bundle(member, f"{prefix}-{index}-{n}", service_day) for n, member in enumerate(mine)]
        )
    return World(tokens=tokens, bodies=bodies)


def _token(client: ApiClient) -> str:
    from oauth2_provider.models import AccessToken

    token = secrets.token_urlsafe(30)
    AccessToken.objects.create(
        application=client.application,
        token=token,
        expires=timezone.now() + datetime.timedelta(hours=2),
        scope="system/*.*",
    )
    return token


def _bundle(member: Member, claim_id: str, service_day: datetime.date) -> bytes:
    bundle = submit_bundle(
        member_id=member.member_id,
        birth_date=member.date_of_birth.isoformat(),
        npi=NPI,
        claim_id=claim_id,
        date_of_service=service_day.isoformat(),
    )
    return json.dumps(bundle).encode()


def ceiling_table_create() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_ceiling "
            "(id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), body_bytes integer NOT NULL)"
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Server:
    port: int
    group: int  # its process group: the master and its workers


@contextmanager
def gunicorn(*, workers: int, threads: int) -> Iterator[Server]:
    """Yield a gunicorn serving bench.settings on 127.0.0.1; stopped (its group) afterwards."""
    port = _free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        # Without BENCH_REDIS_URL Celery runs in-process: the acknowledgement email goes nowhere.
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    command = [
        os.path.join(os.path.dirname(sys.executable), "gunicorn"),
        "priorauth.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--worker-class=gthread",
        "--keep-alive=30",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, env=environment, start_new_session=True)
    try:
        _wait_healthy(port, server)
        yield Server(port, server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _wait_healthy(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def load(
    server: Server, path: str, world: World, *, name: str, check: Callable[[int, bytes], str] | None = None
) -> Run:
    """Return the run: every client posts its Bundles one after the other, all clients at once."""
    port = server.port
    run = Run(name)
    lock = threading.Lock()
    start = threading.Barrier(len(world.tokens) + 1)
    deadline = [0.0]

    def client(token: str, bodies: list[bytes]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Content-Type": "application/fhir+json", "Authorization": f"Bearer {token}"}
        start.wait()
        for body in bodies:
            if time.monotonic() > deadline[0]:
                break
            began = time.perf_counter()
            try:
                conn.request("POST", path, body, headers)
                answer = conn.getresponse()
                content = answer.read()
                problem = (
                    check(answer.status, content)
                    if check
                    else ("" if answer.status == 200 else str(answer.status))
                )
            except (OSError, http.client.HTTPException) as error:
                problem = type(error).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                if problem:
                    run.errors[problem] = run.errors.get(problem, 0) + 1
                else:
                    run.latencies_ms.append(elapsed)
        conn.close()

    threads = [
        threading.Thread(target=client, args=pair) for pair in zip(world.tokens, world.bodies, strict=True)
    ]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + TIME_LIMIT_S
    before = cpu.sample(server.group)
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    run.wall_s = time.perf_counter() - began
    run.cpu_ms = cpu.per_call_ms(before, cpu.sample(server.group), len(run.latencies_ms))
    return run


def pended_answer(status: int, content: bytes) -> str:
    """Return what is wrong with a `$submit` answer ("" when it is a 200 Bundle answering A4)."""
    if status != 200:
        return f"HTTP {status}"
    return "" if b'"A4"' in content else "no A4"


# Where a `$submit` spends its time: the functions it calls, by the module attribute it calls them through.
PHASES: dict[str, tuple[tuple[str, str], ...]] = {
    "token check": (("priorauth.pas.views", "api_client_of"),),
    "parse and check the Bundle": (("priorauth.pas.submission", "read_claim"),),
    "member lookup (its own transaction)": (("priorauth.pas.submission", "find_member"),),
    "route and write, commit (deferral, events, answer)": (("priorauth.pas.submission", "_create"),),
    "PHI access log (its own transaction)": (("priorauth.audit.middleware", "reads_write"),),
}


@dataclass
class Phases:
    calls: int
    total_ms: float
    queries: float
    spent_ms: dict[str, float]


def phases(world: World) -> Phases:
    """Return where `$submit` spends its time, per call, timed in-process (one client at a time)."""
    import importlib

    from django.db import reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    spent = dict.fromkeys(PHASES, 0.0)
    originals = []
    for phase, targets in PHASES.items():
        for module_name, attribute in targets:
            module = importlib.import_module(module_name)
            original = getattr(module, attribute)
            originals.append((module, attribute, original))
            setattr(module, attribute, _timed(original, phase, spent))
    calls, total, queries = 0, 0.0, 0
    try:
        for token, bodies in zip(world.tokens, world.bodies, strict=True):
            client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
            for body in bodies:
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    began = time.perf_counter()
                    answer = client.post(SUBMIT, body, content_type="application/fhir+json", secure=True)
                    total += (time.perf_counter() - began) * 1000
                assert answer.status_code == 200, answer.content[:300]
                calls += 1
                queries += len(captured)
    finally:
        for module, attribute, original in originals:
            setattr(module, attribute, original)
    return Phases(calls, total / calls, queries / calls, {k: v / calls for k, v in spent.items()})


def _timed(function: Callable[..., Any], phase: str, spent: dict[str, float]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[phase] += (time.perf_counter() - began) * 1000

    return timed


def share_of(run: Run, ceiling: Run) -> float:
    return run.throughput / ceiling.throughput if ceiling.throughput else 0.0


def report(
    submit: Run, ceiling: Run, floor: Run, spent: Phases, *, workers: int, threads: int, cores: int
) -> list[str]:
    """Return the result lines: throughput beside the ceiling, latency, the targets, where the time goes."""
    share = share_of(submit, ceiling)
    p99 = submit.percentile(99)
    calls = len(submit.latencies_ms) + sum(submit.errors.values())
    p99_ok = p99 < P99_TARGET_MS and bool(submit.latencies_ms)
    lines = [
        f"gunicorn {workers} workers x {threads} threads (gthread), {calls} "
        f"$submit calls from {CLIENTS} concurrent clients, 127.0.0.1",
        f"{'':40}{'calls/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}  errors",
    ]
    for run in (submit, ceiling, floor):
        lines.append(
            f"{run.name:40}{run.throughput:9.1f}{run.percentile(50):9.1f}{run.percentile(99):9.1f}"
            f"{max(run.latencies_ms, default=0):9.1f}  {run.errors or 'none'}"
        )
    lines += [
        f"p99 under {P99_TARGET_MS:.0f} ms: {p99:.0f} ms {'ok' if p99_ok else 'MISS'}",
        f"throughput at least {SHARE_OF_CEILING} of the ceiling: {share:.2f} "
        f"{'ok' if share >= SHARE_OF_CEILING else 'MISS'}",
        f"errors: {sum(submit.errors.values())} {'ok' if not submit.errors else 'MISS'}",
        f"the floor (token and Bundle checked, one row; no $submit can do less) reaches "
        f"{share_of(floor, ceiling):.2f} of the ceiling; $submit reaches {share_of(submit, floor):.2f} "
        "of the floor",
        *cpu_lines((submit, ceiling, floor), ceiling=ceiling, cores=cores),
        "",
        f"Where a $submit's time goes (in-process, one call at a time, {spent.calls} calls, "
        f"{spent.queries:.0f} SQL queries per call): {spent.total_ms:.1f} ms per call",
    ]
    accounted = 0.0
    for phase, ms in spent.spent_ms.items():
        accounted += ms
        lines.append(f"  {phase:56}{ms:8.1f} ms {ms / spent.total_ms:6.0%}")
    rest = spent.total_ms - accounted
    rest_name = "the rest (middleware, resend check, JSON in and out)"
    lines.append(f"  {rest_name:56}{rest:8.1f} ms {rest / spent.total_ms:6.0%}")
    return lines


def cpu_lines(runs: tuple[Run, ...], *, ceiling: Run, cores: int) -> list[str]:
    """Return the CPU each run spent per call, by process, and what a call may spend to reach the target."""
    if not all(run.cpu_ms for run in runs):
        return []
    lines = ["", f"{'CPU ms per answered call':40}{'server':>9}{'database':>9}{'clients':>9}{'all':>9}"]
    for run in runs:
        spent = [run.cpu_ms["server"], run.cpu_ms["database"], run.cpu_ms["clients"]]
        lines.append(f"{run.name:40}" + "".join(f"{ms:9.2f}" for ms in [*spent, sum(spent)]))
    target = SHARE_OF_CEILING * ceiling.throughput
    lines.append(
        f"at {SHARE_OF_CEILING} of the ceiling ({target:.0f} calls/s) a call may spend at most "
        f"{cpu.budget_ms(target, cores):.2f} ms of CPU in all on {cores} cores"
    )
    return lines


def run_all(*, workers: int, threads: int) -> list[str]:
    """Return the report of a whole run: the world, gunicorn, both loads, the phases."""
    ceiling_table_create()
    world = world_create()
    profiled = world_create(clients=2, calls=10, prefix="BENCHPHASE")
    connection.close()
    with gunicorn(workers=workers, threads=threads) as server:
        load(server, CEILING, World(world.tokens, [b[:2] for b in world.bodies]), name="warm-up")
        submit = load(server, SUBMIT, world, name="Claim/$submit", check=pended_answer)
        ceiling = load(server, CEILING, world, name="bare view, one row inserted (ceiling)")
        floor = load(server, FLOOR, world, name="token, Bundle checked, one row (floor)")
    return report(
        submit, ceiling, floor, phases(profiled), workers=workers, threads=threads, cores=os.cpu_count() or 1
    )
