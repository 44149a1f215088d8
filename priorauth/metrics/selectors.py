"""Reads for the figures: the requests' events grouped in SQL, handed to the pure modules as rows.

A handful of aggregate queries whatever the number of requests: the initial decisions grouped by
everything the figures split by, their durations (average, median and distribution), the pends,
the weekly counts and the at-risk and overdue marks. No request row comes to Python.

At 100,000 decided requests those queries take about a second on a busy machine, so the pages
keep what they computed for CACHE_SECONDS (`cached_cms_report`, `cached_dashboard`) and say
when it was computed; the command always computes afresh (bench/README.md, "The metrics").
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, Lead, TruncWeek

from priorauth.members.models import Plan
from priorauth.metrics import figures, series
from priorauth.metrics.aggregates import Median
from priorauth.metrics.periods import EASTERN, Period
from priorauth.policies import vocab
from priorauth.policies.models import DRUG_CODE_PREFIXES, Product, ReviewQueue
from priorauth.requests.models import EventKind, PriorAuthRequest, RequestEvent, Status

T = TypeVar("T")
DECISION_KINDS = (EventKind.DETERMINED, EventKind.DEEMED_APPROVED)
APPEAL_APPROVED = (Status.APPROVED, Status.PARTIALLY_APPROVED)


def _outside_cms() -> Case:
    """Return whether the CMS figures leave the request out: not a Marketplace plan's (not a QHP),
    or its product is a drug (as Product.excluded_from_cms_metrics)."""
    by_code = Q()
    for prefix in DRUG_CODE_PREFIXES:
        by_code |= Q(request__product__hcpcs__startswith=prefix) | Q(
            request__product__hcpcs__startswith=prefix.lower()
        )
    return Case(
        When(~Q(request__member__plan__line_of_business="marketplace"), then=Value(True)),
        When(request__product__isnull=True, then=Value(False)),
        When(
            request__product__cms_counts_as_drug__isnull=False, then=F("request__product__cms_counts_as_drug")
        ),
        When(by_code, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _duration(start: str, end: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _decisions(period: Period) -> QuerySet[RequestEvent]:
    """Return the period's initial decisions (one event per request) with urgency, scope and duration."""
    return RequestEvent.objects.filter(
        kind__in=DECISION_KINDS, at__gte=period.start, at__lt=period.end
    ).annotate(
        urgency=F("request__urgency"),
        outside_cms=_outside_cms(),
        duration=_duration("request__received_at", "at"),
    )


def decision_groups(period: Period) -> list[figures.DecisionGroup]:
    """Return the period's initial decisions by urgency, scope, queue, category and state, tallied."""
    approved = Q(kind=EventKind.DEEMED_APPROVED) | Q(to_status=Status.APPROVED)
    partly = Q(kind=EventKind.DETERMINED, to_status__in=PARTLY)
    # Uncorrelated subqueries: the database hashes each once, not once per decision.
    extended = RequestEvent.objects.filter(kind=EventKind.EXTENDED).values("request_id")
    overturned = RequestEvent.objects.filter(kind=EventKind.APPEAL_DECIDED, to_status__in=APPEAL_APPROVED)
    rows = (
        _decisions(period)
        .annotate(category=Coalesce(F("request__product__category"), F("request__category")))
        .values("urgency", "outside_cms", "request__queue__code", "category", "request__plan_state")
        .annotate(
            count=Count("id"),
            approved=Count("id", filter=approved),
            partly=Count("id", filter=partly),
            deemed=Count("id", filter=Q(kind=EventKind.DEEMED_APPROVED)),
            approved_after_extension=Count("id", filter=approved & Q(request_id__in=extended)),
            approved_after_appeal=Count("id", filter=Q(request_id__in=overturned.values("request_id"))),
            with_due_time=Count("id", filter=Q(request__due_at__isnull=False)),
            on_time=Count("id", filter=Q(at__lte=F("request__due_at"))),
        )
        .order_by()
    )
    return [
        figures.DecisionGroup(
            urgency=row["urgency"],
            outside_cms=row["outside_cms"],
            queue=row["request__queue__code"] or "",
            category=row["category"] or "",
            state=row["request__plan_state"] or "",
            **{name: row[name] for name in TALLIES},
        )
        for row in rows
    ]


TALLIES = (
    "count",
    "approved",
    "partly",
    "deemed",
    "approved_after_extension",
    "approved_after_appeal",
    "with_due_time",
    "on_time",
)
PARTLY = (Status.PARTIALLY_APPROVED, Status.MODIFIED)


@dataclass(frozen=True)
class DecisionTimes:
    """The CMS durations by urgency (drugs and other plans left out), and every decision's by bucket."""

    cms: dict[str, figures.Durations]
    distribution: dict[str, dict[str, int]]


def decision_times(period: Period) -> DecisionTimes:
    """Return the durations from receipt to decision: average, median and the buckets' counts."""
    buckets = {}
    lower = datetime.timedelta(0)
    for index, (_, upper_hours) in enumerate(series.BUCKETS):
        condition = Q(duration__gte=lower)
        if upper_hours != float("inf"):
            lower = datetime.timedelta(hours=upper_hours)
            condition &= Q(duration__lt=lower)
        buckets[f"bucket{index}"] = Count("id", filter=condition)
    rows = (
        _decisions(period)
        .values("urgency", "outside_cms")
        .annotate(count=Count("id"), mean=Avg("duration"), median=Median("duration"), **buckets)
        .order_by()
    )
    cms: dict[str, figures.Durations] = {}
    distribution: dict[str, dict[str, int]] = {
        u: dict.fromkeys(_bucket_labels(), 0) for u in figures.URGENCIES
    }
    for row in rows:
        if not row["outside_cms"] and row["urgency"] in figures.URGENCIES:
            cms[row["urgency"]] = figures.Durations(
                row["count"], _seconds(row["mean"]), _seconds(row["median"])
            )
        for index, label in enumerate(_bucket_labels()):
            distribution.setdefault(row["urgency"], dict.fromkeys(_bucket_labels(), 0))[label] += row[
                f"bucket{index}"
            ]
    return DecisionTimes(cms, distribution)


def _bucket_labels() -> list[str]:
    return [label for label, _ in series.BUCKETS]


def _seconds(value: datetime.timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


def pends(period: Period) -> figures.Pends:
    """Return the requests for information made in the period, and the time to their answers.

    A pend's answer is the request's next event among pends and answers, when it is an answer:
    one ordered pass over those events (a window), not a lookup per pend.
    """
    order = [F("at").asc(), F("pk").asc()]
    following = {
        name: Window(Lead(field), partition_by=[F("request_id")], order_by=order)
        for name, field in (("next_kind", "kind"), ("next_at", "at"))
    }
    # A filter on the kind would drop the answers before the window sees them: the pends are
    # picked in the conditions instead, over the window's rows.
    pend = Q(kind=EventKind.PENDED, at__lt=period.end)
    answered_at = Case(
        When(pend & Q(next_kind=EventKind.INFORMATION_RECEIVED), then=F("next_at")),
        default=Value(None),
        output_field=DateTimeField(),
    )
    found = (
        RequestEvent.objects.filter(
            kind__in=[EventKind.PENDED, EventKind.INFORMATION_RECEIVED], at__gte=period.start
        )
        .annotate(**following)
        .annotate(answered_at=answered_at)
        .annotate(turnaround=_duration("at", "answered_at"))
        .aggregate(
            count=Count("id", filter=pend),
            answered=Count("answered_at"),
            mean=Avg("turnaround"),
            median=Median("turnaround"),
        )
    )
    durations = figures.Durations(found["answered"], _seconds(found["mean"]), _seconds(found["median"]))
    return figures.Pends(
        found["count"], found["answered"], durations if found["answered"] else figures.Durations()
    )


def _week(expression: object) -> TruncWeek:
    return TruncWeek(expression, output_field=DateTimeField(), tzinfo=EASTERN)


def _day(value: datetime.datetime | None) -> datetime.date | None:
    return None if value is None else value.astimezone(EASTERN).date()


def weekly_volume(period: Period) -> list[series.WeekVolume]:
    """Return the period's weeks with the requests received and the initial decisions made in each."""
    received = (
        PriorAuthRequest.objects.filter(received_at__gte=period.start, received_at__lt=period.end)
        .annotate(week=_week("received_at"))
        .values_list("week")
        .annotate(count=Count("id"))
        .order_by()
    )
    decided = (
        RequestEvent.objects.filter(kind__in=DECISION_KINDS, at__gte=period.start, at__lt=period.end)
        .annotate(week=_week("at"))
        .values_list("week")
        .annotate(count=Count("id"))
        .order_by()
    )
    return series.weekly_volume(
        _weeks(period),
        {_day(week): count for week, count in received},
        {_day(week): count for week, count in decided},
    )


def _weeks(period: Period) -> list[datetime.date]:
    return series.weeks_of(
        _day(period.start), _day(period.end - datetime.timedelta(microseconds=1)) + datetime.timedelta(days=1)
    )


def at_risk_and_overdue(period: Period) -> list[series.OpenAtWeekEnd]:
    """Return the open requests at risk and overdue at the end of each week of the period.

    Read from the requests' at-risk and due times (as they stand, extensions included) and
    when they were closed (decided or withdrawn); see `series.at_risk_and_overdue`.
    """
    closed = Coalesce(F("decided_at"), F("withdrawn_at"))

    def later_of(mark: str) -> Case:
        return Case(
            When(Q(decided_at__isnull=True, withdrawn_at__isnull=True), then=Value(None)),
            default=Greatest(F(mark), closed),
            output_field=DateTimeField(),
        )

    rows = (
        PriorAuthRequest.objects.filter(received_at__lt=period.end, due_at__isnull=False)
        .filter(
            Q(decided_at__isnull=True, withdrawn_at__isnull=True)
            | Q(decided_at__gte=period.start)
            | Q(withdrawn_at__gte=period.start)
        )
        .annotate(
            risk_week=_week("at_risk_at"),
            risk_closed_week=_week(later_of("at_risk_at")),
            due_week=_week("due_at"),
            due_closed_week=_week(later_of("due_at")),
        )
        .values_list("risk_week", "risk_closed_week", "due_week", "due_closed_week")
        .annotate(count=Count("id"))
        .order_by()
    )
    marks = [series.Marks(_day(a), _day(b), _day(c), _day(d), count) for a, b, c, d, count in rows]
    return series.at_risk_and_overdue(_weeks(period), marks)


@dataclass(frozen=True)
class Service:
    """An item or service that requires prior authorization, and the states whose plans require it."""

    code: str
    name: str
    category: str
    drug: bool
    states: tuple[str, ...]


# A service with no product record: the intake names it by category (DOMAIN.md, "Scope").
TRANSPLANT = "Stem cell transplant (with or without genetic manipulation of the donor cells)"


def services_requiring_prior_auth() -> list[Service]:
    """Return the products that require prior authorization, each with the states whose plans ask for it.

    A product requires it where its record says so and a plan does not list it among its
    products that need no authorization. The stem cell transplant, a service with no product
    record, always does.
    """
    # CMS-0057-F's list is the QHPs': the Marketplace plans (vocab.LINES_OF_BUSINESS).
    plans = list(Plan.objects.filter(line_of_business="marketplace").prefetch_related("no_auth_products"))
    all_states = tuple(sorted({plan.state for plan in plans}))
    waived: dict[int, set[str]] = defaultdict(set)
    for plan in plans:
        for product in plan.no_auth_products.all():
            waived[product.pk].add(plan.code)
    services = []
    for product in Product.objects.filter(requires_prior_auth=True).order_by("brand"):
        states = tuple(sorted({plan.state for plan in plans if plan.code not in waived[product.pk]}))
        if states:
            name = f"{product.brand} ({product.generic})"
            services.append(
                Service(
                    product.hcpcs,
                    name,
                    vocab.CATEGORIES.get(product.category, product.category),
                    product.excluded_from_cms_metrics,
                    states,
                )
            )
    transplant = Service("", TRANSPLANT, vocab.CATEGORIES["stem_cell_transplant"], False, all_states)
    return [*services, transplant]


@dataclass(frozen=True)
class CmsReport:
    period: Period
    figures: dict[str, figures.CmsFigures]


def cms_report(period: Period) -> CmsReport:
    """Return the period's CMS-0057-F figures by urgency, drugs left out."""
    times = decision_times(period)
    return CmsReport(period, figures.cms_figures(decision_groups(period), times.cms))


@dataclass(frozen=True)
class Dashboard:
    """Everything the supervisor's dashboard shows for a period."""

    period: Period
    cms: dict[str, figures.CmsFigures]
    ours: figures.OurFigures
    pends: figures.Pends
    distribution: dict[str, dict[str, int]]
    weekly: list[series.WeekVolume]
    open_marks: list[series.OpenAtWeekEnd]
    queue_names: dict[str, str]


def dashboard(period: Period) -> Dashboard:
    groups = decision_groups(period)
    times = decision_times(period)
    return Dashboard(
        period=period,
        cms=figures.cms_figures(groups, times.cms),
        ours=figures.our_figures(groups),
        pends=pends(period),
        distribution=times.distribution,
        weekly=weekly_volume(period),
        open_marks=at_risk_and_overdue(period),
        queue_names=dict(ReviewQueue.objects.values_list("code", "name")),
    )


# How long the pages may show figures already computed: the figures are about a year.
CACHE_SECONDS = 300
CACHE_VERSION = 1


def _cached(kind: str, period: Period, compute: Callable[[Period], T]) -> T:
    key = f"metrics:{kind}:{period.slug}"
    found = cache.get(key, version=CACHE_VERSION)
    if found is None:
        found = compute(period)
        cache.set(key, found, CACHE_SECONDS, version=CACHE_VERSION)
    return found


def cached_cms_report(period: Period) -> CmsReport:
    """Return `cms_report`, computed at most CACHE_SECONDS ago (its `period` says up to when)."""
    return _cached("cms", period, cms_report)


def cached_dashboard(period: Period) -> Dashboard:
    """Return `dashboard`, computed at most CACHE_SECONDS ago (its `period` says up to when)."""
    return _cached("dashboard", period, dashboard)
