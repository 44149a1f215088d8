"""The impact-preview benchmark: 10,000 open requests, and the preview of three policy changes.

The database holds 10,000 open requests (the queue benchmark's fill) and 9,000 decided ones
received over the last 90 days (about a hundred a day). The preview re-decides the open ones and
those of the last 90 days: 19,000 requests. Each change is timed end to end as the admin runs
it (`impact_preview`: the snapshot, the one query for the requests' facts, the decisions), and
as the policy administrator's "Preview impact" post of the change form, page rendered.
"""

from __future__ import annotations

import datetime
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench import queue_page
from priorauth.members.models import Plan, Role, User
from priorauth.members.roles import assign_role
from priorauth.policies import selectors
from priorauth.policies.impact.selectors import RECENT, impact_preview, request_rows
from priorauth.policies.models import ReviewQueue, RoutingEntry, TimeframeRule
from priorauth.requests.models import PriorAuthRequest, Status

OPEN = 10_000
DECIDED_PER_STEP, STEPS = 1_000, 9
TARGET_S = 2.0


@dataclass(frozen=True)
class Timing:
    change: str
    how: str
    decided: int
    median_s: float
    worst_s: float


def fill(
    world: queue_page.World, *, open_requests: int = OPEN, decided_per_step: int = DECIDED_PER_STEP
) -> None:
    """Add the decided requests of the last 90 days (9 steps, 10 days apart), then the open ones."""
    now = timezone.now()
    for step in range(STEPS):
        first = PriorAuthRequest.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        queue_page.requests_add(world, decided_per_step, now=now - datetime.timedelta(days=10 * step))
        PriorAuthRequest.objects.filter(pk__gt=first).update(status=Status.APPROVED)
    queue_page.requests_add(world, open_requests)


def _changes() -> dict[str, tuple[Any, dict[str, str], list[Any]]]:
    """Return each change as (record, the form fields it changes, the service's record pairs)."""
    entry = RoutingEntry.objects.select_related("queue").get(key="medical-necessity", category="car_t")
    general = ReviewQueue.objects.get(code="mn-general")
    old_entry = selectors.routing_record(entry, queue=entry.queue.code)
    rule = TimeframeRule.objects.get(urgency="standard", state="IN")
    old_rule = selectors.timeframe_record(rule)
    plan = Plan.objects.get(code="GA-MKT-SILVER-2026")
    old_plan = selectors.plan_record(plan, excluded_products=(), no_auth_products=())
    return {
        "routing entry: CAR-T to mn-general": (
            entry,
            {"queue": str(general.pk)},
            [(old_entry, replace(old_entry, queue="mn-general"))],
        ),
        "timeframe rule: IN standard 48 -> 72 business hours": (
            rule,
            {"amount": "72"},
            [(old_rule, replace(old_rule, amount=72))],
        ),
        "plan exclusion: GA excludes CAR-T": (
            plan,
            {"excluded_categories": ["car_t"]},
            [(old_plan, replace(old_plan, excluded_categories=frozenset({"car_t"})))],
        ),
    }


def _timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    action()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


def measure(*, runs: int) -> list[Timing]:
    """Return each change's preview times: the service alone, and the admin's post."""
    admin = User.objects.create_user(username="bench-policy-admin")
    assign_role(admin, Role.POLICY_ADMIN)
    client = Client()
    client.force_login(admin)
    decided = len(request_rows(since=timezone.now() - RECENT))
    timings = []
    for name, (record, fields, pairs) in _changes().items():
        median, worst = _timed(lambda pairs=pairs: impact_preview(pairs), runs)
        timings.append(Timing(name, "service", decided, median, worst))
        url = reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])
        data = {**_form_data(record), **fields, "_preview_impact": "Preview impact"}
        median, worst = _timed(lambda url=url, data=data: _post(client, url, data), runs)
        timings.append(Timing(name, "admin page", decided, median, worst))
    return timings


def _form_data(record: Any) -> dict[str, Any]:
    """Return the fields an unchanged save of the record's change form would post (no inlines)."""
    data: dict[str, Any] = {}
    for name, value in model_to_dict(record).items():
        if isinstance(value, list):
            data[name] = [str(getattr(item, "pk", item)) for item in value]
        elif value is not None and value is not False:
            data[name] = str(value)
    return data


def _post(client: Client, url: str, data: dict[str, Any]) -> None:
    response = client.post(url, data, secure=True)
    if response.status_code != 200 or b"Impact of this change" not in response.content:
        raise RuntimeError(f"the preview of {url} answered {response.status_code} without a preview")


def report(timings: list[Timing]) -> list[str]:
    """Return the results as lines, each with PASS or MISS against the 2-second target."""
    width = max(len(t.change) for t in timings)
    lines = [f"{'change':<{width}}  {'measured':<10} {'requests':>9} {'median':>8} {'worst':>8}"]
    for t in timings:
        verdict = "PASS" if t.worst_s < TARGET_S else "MISS"
        lines.append(
            f"{t.change:<{width}}  {t.how:<10} {t.decided:>9,} {t.median_s:>7.2f}s {t.worst_s:>7.2f}s  "
            f"target < {TARGET_S:.0f} s: {verdict}"
        )
    return lines
