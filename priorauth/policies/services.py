"""Services for the policy records: import and export of the policy bundle (DOMAIN.md).

Import is all or nothing and idempotent: the bundle is validated whole first, then every record
is compared with the database and saved only when it differs, so re-importing the same file
writes no new history, and a changed record is updated in place (django-simple-history keeps the
version it replaces). Records absent from the bundle are left alone, unless the caller asks to
replace: then `replace.remove_absent` removes them. A dry run does it all and rolls back, so what
it reports is exactly what the import would do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models, transaction

from priorauth.members.models import Plan
from priorauth.policies import bundle as bundle_data
from priorauth.policies import replace as replacing
from priorauth.policies import vocab
from priorauth.policies.criteria import criteria_export, criteria_replace
from priorauth.policies.models import (
    Holiday,
    Policy,
    PolicyRevision,
    Product,
    ReviewQueue,
    RoutingEntry,
    TimeframeRule,
)

KINDS = ("policies", "products", "plans", "queues", "routing", "timeframes", "holidays")
CHANGE_REASON = "policy bundle import"
M = TypeVar("M", bound=models.Model)


class BundleInvalid(ValueError):
    """The bundle has problems; nothing was written."""

    def __init__(self, problems: list[bundle_data.Problem]) -> None:
        super().__init__(f"the bundle has {len(problems)} problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class Change:
    kind: str
    outcome: str  # "created", "updated" or "removed"
    label: str
    fields: tuple[str, ...] = ()


NOUNS = {
    "policies": "policy",
    "products": "product",
    "plans": "plan",
    "queues": "queue",
    "routing": "routing entry",
    "timeframes": "timeframe rule",
    "holidays": "holiday",
}
VERBS = {"created": "added", "updated": "changed", "removed": "removed"}
DRY_RUN_VERBS = {"created": "would add", "updated": "would change", "removed": "would remove"}


@dataclass
class ImportResult:
    """What the import created, updated, left unchanged, removed, and kept though not in the bundle."""

    replace: bool = False
    counts: dict[str, Counter[str]] = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    changes: list[Change] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def add(self, kind: str, outcome: str, fields: Iterable[str] = (), *, label: str = "") -> None:
        self.counts[kind][outcome] += 1
        if outcome != "unchanged":
            self.changes.append(Change(kind, outcome, label, tuple(fields)))

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] or c["removed"] for c in self.counts.values())

    def lines(self) -> list[str]:
        """Return one human line per kind, e.g. "products: 2 created, 1 updated, 40 unchanged".

        With replace, each line ends with the removals too: "..., 40 unchanged, 1 removed".
        """
        return [
            f"{kind}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            + (f", {c['removed']} removed" if self.replace else "")
            for kind, c in self.counts.items()
        ]

    def change_lines(self, *, dry_run: bool = False) -> list[str]:
        """Return one line per record added, changed or removed, e.g. "removed holiday 2026-07-03"."""
        lines = []
        for change in self.changes:
            verb = (DRY_RUN_VERBS if dry_run else VERBS)[change.outcome]
            what = f": {', '.join(f.replace('_', ' ') for f in change.fields)}" if change.fields else ""
            lines.append(f"  {verb} {NOUNS[change.kind]} {change.label}{what}")
        return lines


def bundle_import(*, data: Any, replace: bool = False, dry_run: bool = False) -> ImportResult:
    """Return what importing a bundle document did (or, in a dry run, would do).

    Raise BundleInvalid, writing nothing, if the bundle has problems; with `replace`, also remove
    what the bundle no longer has (see `replace`), or raise ReplaceRefused, writing nothing.
    """
    with transaction.atomic():
        parsed, problems = bundle_data.parse_bundle(
            data,
            known_products=set(Product.objects.values_list("hcpcs", flat=True)),
            known_queues=set(ReviewQueue.objects.values_list("code", flat=True)),
        )
        if replace:
            problems = [*replacing.missing_lists(data), *problems]
        if problems:
            raise BundleInvalid(problems)
        result = ImportResult(replace=replace)
        _import_records(parsed, result)
        if replace:
            removals = replacing.remove_absent(parsed)
            for kind, label in removals.removed:
                result.add(kind, "removed", label=label)
            result.kept.extend(removals.kept)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _import_records(parsed: bundle_data.Bundle, result: ImportResult) -> None:
    # Order matters: products and queues first, since policies, plans and routing refer to them.
    for product in parsed.products:
        kept = {"hcpcs"} if product.indications is not None else {"hcpcs", "indications"}
        saved = _upsert(Product, {"hcpcs": product.hcpcs}, _fields(product, exclude=kept))
        result.add("products", *saved, label=replacing.label("products", product))
    for queue in parsed.queues:
        saved = _upsert(ReviewQueue, {"code": queue.code}, {"name": queue.name})
        result.add("queues", *saved, label=replacing.label("queues", queue))
    products = {p.hcpcs: p for p in Product.objects.all()}
    for policy in parsed.policies:
        saved = _import_policy(policy, products)
        result.add("policies", *saved, label=replacing.label("policies", policy))
    for plan in parsed.plans:
        result.add("plans", *_import_plan(plan, products), label=replacing.label("plans", plan))
    queues = {q.code: q for q in ReviewQueue.objects.all()}
    for entry in parsed.routing:
        lookup = {"key": entry.key, "category": entry.category}
        saved = _upsert(RoutingEntry, lookup, {"queue": queues[entry.queue]})
        result.add("routing", *saved, label=replacing.label("routing", entry))
    for rule in parsed.timeframes:
        lookup = {"applies_to": rule.applies_to, "urgency": rule.urgency, "state": rule.state}
        saved = _upsert(TimeframeRule, lookup, _fields(rule, exclude=set(lookup)))
        result.add("timeframes", *saved, label=replacing.label("timeframes", rule))
    for holiday in parsed.holidays:
        saved = _upsert(Holiday, {"date": holiday.date}, {"name": holiday.name})
        result.add("holidays", *saved, label=replacing.label("holidays", holiday))


def _fields(record: Any, *, exclude: set[str]) -> dict[str, Any]:
    return {name: value for name, value in vars(record).items() if name not in exclude}


def _import_policy(policy: bundle_data.PolicyData, products: dict[str, Product]) -> Saved:
    values = {
        "title": policy.title,
        "type": policy.type,
        "lines_of_business": list(policy.lines_of_business),
        "states": list(policy.states),
        "archived": policy.archived,
        "categories": list(policy.categories),
        "related": list(policy.related),
        **policy.sections,
    }
    m2m = {"products": [products[code] for code in policy.products]}
    lookup = {"number": policy.number, "effective": policy.effective}
    outcome, changed, instance = _upsert_instance(Policy, lookup, values, m2m)
    if _replace_revisions(instance, policy.history) and outcome != "created":
        outcome, changed = "updated", (*changed, "history")
    if criteria_replace(instance, policy.criteria) and outcome != "created":
        outcome, changed = "updated", (*changed, "criteria")
    return outcome, changed


def _replace_revisions(policy: Policy, history: Iterable[bundle_data.Revision]) -> bool:
    """Return whether section H differed and was replaced by the bundle's entries."""
    wanted = [(r.date, r.action) for r in history]
    if list(policy.revisions.order_by("pk").values_list("date", "action")) == wanted:
        return False
    policy.revisions.all().delete()
    for day, action in wanted:
        PolicyRevision.objects.create(policy=policy, date=day, action=action)
    return True


def _import_plan(plan: bundle_data.PlanData, products: dict[str, Product]) -> Saved:
    values = {
        "name": plan.name,
        "line_of_business": plan.line_of_business,
        "state": plan.state,
        "excluded_categories": list(plan.excluded_categories),
        "peer_to_peer_days": plan.peer_to_peer_days,
    }
    m2m = {
        "excluded_products": [products[code] for code in plan.excluded_products],
        "no_auth_products": [products[code] for code in plan.no_auth_products],
    }
    return _upsert(Plan, {"code": plan.code}, values, m2m)


# An upsert's outcome ("created", "updated" or "unchanged") and, when updated, the fields that differed.
Saved = tuple[str, tuple[str, ...]]


def _upsert(
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    m2m: dict[str, list[models.Model]] | None = None,
) -> Saved:
    """Return the outcome and changed fields, saving only when something differs."""
    outcome, changed, _ = _upsert_instance(model, lookup, values, m2m)
    return outcome, changed


def _upsert_instance(
    model: type[M],
    lookup: dict[str, Any],
    values: dict[str, Any],
    m2m: dict[str, list[models.Model]] | None = None,
) -> tuple[str, tuple[str, ...], M]:
    """Return the outcome, the changed fields and the saved instance (see `_upsert`)."""
    instance = model._default_manager.filter(**lookup).first()
    created = instance is None
    if instance is None:
        instance = model(**lookup)
    changed = [name for name, value in values.items() if created or getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        instance.save()
    for name, targets in (m2m or {}).items():
        manager = getattr(instance, name)
        if {t.pk for t in manager.all()} != {t.pk for t in targets}:
            instance._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
            manager.set(targets)
            changed.append(name)
    if created:
        return "created", (), instance
    return ("updated" if changed else "unchanged"), tuple(changed), instance


def bundle_export() -> dict[str, Any]:
    """Return every policy record as a bundle document, in a stable order, dates in ISO form."""
    holidays = list(Holiday.objects.order_by("date"))
    return {
        "policies": [
            _export_policy(p)
            for p in Policy.objects.prefetch_related("products", "revisions", "criteria").order_by(
                "number", "effective"
            )
        ],
        "products": [_export_product(p) for p in Product.objects.order_by("hcpcs")],
        "plans": [
            _export_plan(p)
            for p in Plan.objects.prefetch_related("excluded_products", "no_auth_products").order_by("code")
        ],
        "queues": [{"code": q.code, "name": q.name} for q in ReviewQueue.objects.order_by("code")],
        "routing": [
            {"key": r.key, "category": r.category or None, "queue": r.queue.code}
            for r in RoutingEntry.objects.select_related("queue").order_by("key", "category")
        ],
        "timeframes": [
            _export_timeframe(t) for t in TimeframeRule.objects.order_by("applies_to", "urgency", "state")
        ],
        "holidays": [h.date.isoformat() for h in holidays],
        "holiday_names": {h.date.isoformat(): h.name for h in holidays if h.name},
    }


def _export_policy(policy: Policy) -> dict[str, Any]:
    return {
        "number": policy.number,
        "title": policy.title,
        "type": policy.type,
        "lines_of_business": policy.lines_of_business,
        "states": policy.states,
        "effective": policy.effective.isoformat(),
        "archived": policy.archived.isoformat() if policy.archived else None,
        "products": sorted(p.hcpcs for p in policy.products.all()),
        "categories": policy.categories,
        **{key: getattr(policy, key) for key in vocab.TEXT_SECTIONS},
        "related": policy.related,
        "history": [
            {"date": r.date.isoformat(), "action": r.action}
            for r in sorted(policy.revisions.all(), key=lambda r: r.pk)
        ],
        "criteria": criteria_export(policy),
    }


def _export_product(product: Product) -> dict[str, Any]:
    return {
        "hcpcs": product.hcpcs,
        "brand": product.brand,
        "generic": product.generic,
        "manufacturer": product.manufacturer,
        "category": product.category,
        "genetically_modified": product.genetically_modified,
        "benefit": product.benefit,
        "requires_prior_auth": product.requires_prior_auth,
        "cms_counts_as_drug": product.cms_counts_as_drug,
        "indication": product.indication,
        "indications": product.indications,
    }


def _export_plan(plan: Plan) -> dict[str, Any]:
    return {
        "code": plan.code,
        "name": plan.name,
        "line_of_business": plan.line_of_business,
        "state": plan.state,
        "excluded_products": sorted(p.hcpcs for p in plan.excluded_products.all()),
        "excluded_categories": plan.excluded_categories,
        "no_auth_products": sorted(p.hcpcs for p in plan.no_auth_products.all()),
        "peer_to_peer_days": plan.peer_to_peer_days,
    }


def _export_timeframe(rule: TimeframeRule) -> dict[str, Any]:
    # A request rule is written as before appeals existed, so older exports still compare equal.
    applies_to = {"applies_to": rule.applies_to} if rule.applies_to != "request" else {}
    exported = {
        **applies_to,
        "urgency": rule.urgency,
        "state": rule.state,
        rule.unit: rule.amount,
        "clock": rule.clock,
        "pauses_when_pended": rule.pauses_when_pended,
        "missed": rule.missed,
        "source": rule.source,
    }
    if rule.extension_unit and rule.extension_amount is not None:
        exported["extension"] = {rule.extension_unit: rule.extension_amount}
    return exported
