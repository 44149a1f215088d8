"""The benchmark's fill and measure work at a tiny size (correctness only: no timings are judged)."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from bench import enrollment, impact, letter, queue_page
from bench.__main__ import refusal
from priorauth.members.enrollment.rows import COLUMNS
from priorauth.members.models import Member
from priorauth.policies.services import bundle_import
from priorauth.requests.models import EventKind, PriorAuthRequest, RequestEvent, Status
from priorauth.review.selectors import OPEN_STATUSES


@pytest.fixture
def world(db) -> queue_page.World:
    world = queue_page.world_create()
    queue_page.requests_add(world, 60)
    return world


def test_it_fills_open_requests_with_due_times_on_both_sides_of_now(world):
    requests = PriorAuthRequest.objects.all()
    assert requests.count() == 60
    assert set(requests.values_list("status", flat=True)) <= set(OPEN_STATUSES)
    assert requests.filter(queue=world.queue).exists()
    assert requests.exclude(queue=world.queue).exists()
    assert all(pa.member.coverage_periods.exists() for pa in requests[:5])
    now = timezone.now()
    assert requests.filter(due_at__lt=now).exists() and requests.filter(due_at__gt=now).exists()


def test_it_adds_to_what_is_there_with_new_numbers(world):
    queue_page.requests_add(world, 10)
    assert PriorAuthRequest.objects.count() == 70
    assert PriorAuthRequest.objects.values("number").distinct().count() == 70


def test_it_measures_the_queue_pages_and_the_supervisors_overview(world):
    timings = queue_page.measure(world, runs=3, warmup=1)
    pages = ["first page", "filtered page", *(f"by {name}" for name in queue_page.SINGLE_FILTERS)]
    assert [t.page for t in timings] == [*pages, "supervisor"]
    first, supervisor = timings[0], timings[-1]
    in_queue = PriorAuthRequest.objects.filter(queue=world.queue, status__in=OPEN_STATUSES).count()
    assert first.shown == min(in_queue, 25)
    assert first.size == 60 and first.queries > 0
    assert 0 < first.median_ms <= first.p95_ms and 0 < first.sql_ms < first.median_ms
    # The overview lists every queue of the seed bundle.
    assert supervisor.shown >= 9 and supervisor.queries > 0


def test_it_reports_pass_or_miss_for_each_target():
    small = queue_page.Timing("first page", 1000, 10.0, 12.0, 6, 25)
    large = queue_page.Timing("first page", 100_000, 11.0, 200.0, 6, 25)
    quick = [queue_page.Timing("by state", n, 10.0, 12.0, 6, 25) for n in (1000, 100_000)]
    lines = queue_page.report([small, large, *quick])
    assert any("ratio" in line and "MISS" in line for line in lines)
    assert any("200.0 ms" in line and "MISS" in line for line in lines)
    assert any("queries per page 6" in line and "same" in line for line in lines)
    assert any(line.startswith("by state") and "MISS" not in line for line in lines)


def test_it_takes_the_95th_percentile_by_nearest_rank():
    assert queue_page.percentile([float(v) for v in range(1, 201)], 95) == 190.0


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("sqlite:///db.sqlite3", "will not run on SQLite"),
        ("mysql://root@localhost/x", "must be a postgres:// URL"),
        ("postgres://postgres@127.0.0.1:5432/", "must name a database"),
    ],
)
def test_it_refuses_anything_but_a_named_postgresql_database(url, refused):
    assert refused in refusal(url)


def test_it_accepts_the_default_postgresql_url():
    assert refusal("postgres://postgres@127.0.0.1:5432/priorauth_bench") is None


def test_it_fills_only_open_statuses():
    assert {s for s, _ in queue_page.STATUSES} == {Status.IN_REVIEW, Status.SUBMITTED, Status.PENDED}


def test_it_renders_the_worst_case_letter_and_reports_it():
    median_ms, worst_ms, size = letter.measure(runs=1)
    assert 0 < median_ms <= worst_ms and size > 1000
    assert "PASS" in letter.report(10.0, 20.0, 2048, runs=1)
    assert "MISS" in letter.report(900.0, 1500.0, 2048, runs=1)


def test_the_enrollment_benchmark_imports_its_file_and_reports_each_row(db, tmp_path):
    bundle_import(data=json.loads(queue_page.BUNDLE.read_text()))

    results = enrollment.measure(tmp_path, 200)

    assert [(m.what, m.rows) for m in results] == [
        ("import, new members", 200),
        ("import again, unchanged", 200),
        ("bare bulk_create", 200),
        ("import, peak memory", 20),
        ("import, peak memory", 200),
    ]
    assert all(m.seconds and m.seconds > 0 for m in results[:3])
    assert all(m.peak_mb and m.peak_mb > 0 for m in results[3:])
    lines = enrollment.report(results)
    assert any(line.startswith("import peak memory at 200 rows / at 20:") for line in lines)
    assert not Member.objects.exists()  # the benchmark leaves the member tables empty


def test_the_enrollment_benchmark_file_has_two_periods_per_member_far_apart(tmp_path):
    path = tmp_path / "e.csv"
    enrollment.file_write(path, 6, ["OH-MKT-SILVER-2026"])

    lines = path.read_text().splitlines()

    assert lines[0] == ",".join(COLUMNS)
    assert [line.split(",")[0] for line in lines[1:]] == [
        "BENCH-0000000",
        "BENCH-0000001",
        "BENCH-0000002",
    ] * 2


def test_it_previews_three_policy_changes_over_open_and_decided_requests(db):
    world = queue_page.world_create()
    impact.fill(world, open_requests=20, decided_per_step=2)

    timings = impact.measure(runs=1)

    assert PriorAuthRequest.objects.filter(status__in=OPEN_STATUSES).count() == 20
    assert len(timings) == 6 and {t.how for t in timings} == {"service", "admin page"}
    assert all(t.decided >= 20 and t.median_s > 0 for t in timings)
    assert all(line.endswith(("PASS", "MISS")) for line in impact.report(timings)[1:])


def test_it_serves_the_bare_ceiling_view_only_under_the_benchmarks_urls(db, client, settings):
    from django.db import connection
    from django.urls import Resolver404, resolve

    from bench import api

    if connection.vendor != "postgresql":
        pytest.skip("the benchmarks run on PostgreSQL only (their ceiling table is PostgreSQL's)")
    with pytest.raises(Resolver404):
        resolve("/bench/ceiling", urlconf="priorauth.urls")
    settings.ROOT_URLCONF = "bench.urls"
    api.ceiling_table_create()
    assert client.post("/bench/ceiling", b"{}", content_type="application/json").json() == {"ok": True}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_ceiling")
        assert cursor.fetchone()[0] == 1


def test_it_times_each_phase_of_a_submit(db, settings, tmp_path):
    from bench import api

    settings.MEDIA_ROOT = tmp_path
    world = api.world_create(clients=1, calls=2, prefix="TESTAPI")
    assert len(world.tokens) == 1 and len(world.bodies[0]) == 2
    spent = api.phases(world)
    assert spent.calls == 2 and spent.queries > 0
    assert set(spent.spent_ms) == set(api.PHASES)
    assert all(ms > 0 for ms in spent.spent_ms.values())
    assert sum(spent.spent_ms.values()) < spent.total_ms


def test_it_reports_the_api_targets():
    from bench import api

    slow = api.Run("Claim/$submit", [100.0] * 98 + [1500.0] * 2, {}, 10.0)
    ceiling = api.Run("ceiling", [5.0] * 100, {}, 1.0)
    floor = api.Run("floor", [20.0] * 50, {}, 1.0)
    for run, server in ((slow, 150.0), (ceiling, 2.0), (floor, 6.0)):
        run.cpu_ms = {"server": server, "database": 1.0, "clients": 0.5}
    spent = api.Phases(2, 200.0, 50, dict.fromkeys(api.PHASES, 10.0))
    lines = api.report(slow, ceiling, floor, spent, workers=4, threads=4, cores=2)
    assert any(line.startswith("p99 under 1000 ms: 1500 ms MISS") for line in lines)
    assert any("of the ceiling: 0.10 MISS" in line for line in lines)
    assert any("reaches 0.50 of the ceiling; $submit reaches 0.20 of the floor" in line for line in lines)
    assert any(line.startswith("floor") and line.split()[-1] == "7.50" for line in lines)
    # 0.3 of 100 calls/s on 2 cores: 2,000 ms of CPU a second over 30 calls.
    assert any(
        "(30 calls/s) a call may spend at most 66.67 ms of CPU in all on 2 cores" in line for line in lines
    )
    rest = 200.0 - 10.0 * len(api.PHASES)
    assert any(line.strip().startswith("the rest") and f"{rest:.1f} ms" in line for line in lines)


def test_it_fills_decided_requests_with_their_events_and_times_the_dashboard(db):
    from bench import metrics

    world = queue_page.world_create()
    now = timezone.now()
    metrics.decided_add(world, 40, now=now)
    decided = PriorAuthRequest.objects.filter(decided_at__isnull=False)
    assert decided.count() == 40 and all(pa.decided_at <= now for pa in decided)
    decisions = RequestEvent.objects.filter(kind__in=[EventKind.DETERMINED, EventKind.DEEMED_APPROVED])
    assert decisions.count() == 40
    timing = metrics.measure(world, runs=2, warmup=1)
    assert timing.size == 40 and timing.queries > 0 and 0 < timing.median_ms <= timing.p95_ms
    assert timing.cold_median_ms > 0 and timing.cold_sql_ms > 0
    lines = metrics.report([timing, metrics.Timing(100_000, 310.0, 320.0, 12, 200.0, 900.0, 800.0)])
    assert "target < 300 ms: MISS" in lines[-1] and "100,000" in lines[-1] and "900.0 ms median" in lines[-1]


def test_the_floor_view_checks_the_token_and_the_bundle_as_submit_does(db, client, settings):
    from django.db import connection
    from django.urls import Resolver404, resolve

    from bench import api

    if connection.vendor != "postgresql":
        pytest.skip("the benchmarks run on PostgreSQL only (their ceiling table is PostgreSQL's)")
    with pytest.raises(Resolver404):
        resolve(api.FLOOR, urlconf="priorauth.urls")
    settings.ROOT_URLCONF = "bench.urls"
    api.ceiling_table_create()
    world = api.world_create(clients=1, calls=1, prefix="TESTFLOOR")
    body = world.bodies[0][0]
    assert client.post(api.FLOOR, body, content_type="application/fhir+json").status_code == 401
    answer = client.post(
        api.FLOOR, body, content_type="application/fhir+json", HTTP_AUTHORIZATION=f"Bearer {world.tokens[0]}"
    )
    assert answer.json() == {"ok": True, "items": 1}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_ceiling")
        assert cursor.fetchone()[0] == 1
