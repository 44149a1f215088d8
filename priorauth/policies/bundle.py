"""The policy bundle as data: validate a bundle document and parse it into plain records.

Pure: no database. The caller passes the product and queue codes the database already holds,
because a bundle may refer to records it does not carry itself. Every problem is collected with
its path (`policies[2].effective: not a date`), so one pass tells the author everything to fix.
Keys the contract does not name are ignored: DOMAIN.md says more keys may be added.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from priorauth.policies import vocab
from priorauth.policies.bundle_criteria import CriterionData, read_criteria
from priorauth.policies.bundle_fields import NUL_PROBLEM, FieldReader, Problem, quote
from priorauth.policies.bundle_indications import product_indications

__all__ = ["Bundle", "Problem", "parse_bundle"]


@dataclass(frozen=True)
class Revision:
    date: datetime.date
    action: str


@dataclass(frozen=True)
class PolicyData:
    number: str
    title: str
    type: str
    lines_of_business: tuple[str, ...]
    states: tuple[str, ...]
    effective: datetime.date
    archived: datetime.date | None
    products: tuple[str, ...]
    categories: tuple[str, ...]
    sections: Mapping[str, str]
    related: tuple[str, ...]
    history: tuple[Revision, ...]
    criteria: tuple[CriterionData, ...] | None = None  # None: the bundle leaves them as they are


@dataclass(frozen=True)
class ProductData:
    hcpcs: str
    brand: str
    generic: str
    category: str
    genetically_modified: bool
    benefit: str
    requires_prior_auth: bool
    manufacturer: str
    indication: str
    indications: list[dict[str, Any]] | None = None  # None: not in the bundle, left as stored
    # None (absent or null): the CMS metrics read it from the code (Product.excluded_from_cms_metrics).
    cms_counts_as_drug: bool | None = None


@dataclass(frozen=True)
class PlanData:
    code: str
    name: str
    line_of_business: str
    state: str
    excluded_products: tuple[str, ...]
    excluded_categories: tuple[str, ...]
    no_auth_products: tuple[str, ...]
    peer_to_peer_days: int = 14


@dataclass(frozen=True)
class QueueData:
    code: str
    name: str


@dataclass(frozen=True)
class RoutingData:
    key: str
    category: str  # "" is the key's default entry (null in the bundle)
    queue: str


@dataclass(frozen=True)
class TimeframeData:
    urgency: str
    state: str
    unit: str
    amount: int
    clock: str
    pauses_when_pended: bool
    missed: str
    source: str
    applies_to: str = "request"
    extension_unit: str = ""
    extension_amount: int | None = None


@dataclass(frozen=True)
class HolidayData:
    date: datetime.date
    name: str


@dataclass(frozen=True)
class Bundle:
    policies: tuple[PolicyData, ...] = ()
    products: tuple[ProductData, ...] = ()
    plans: tuple[PlanData, ...] = ()
    queues: tuple[QueueData, ...] = ()
    routing: tuple[RoutingData, ...] = ()
    timeframes: tuple[TimeframeData, ...] = ()
    holidays: tuple[HolidayData, ...] = ()


def _unknown_product(known: Collection[str]) -> Callable[[str], str]:
    return lambda hcpcs: "" if hcpcs in known else f'no product "{hcpcs}" in this bundle or the database'


@dataclass
class _Context:
    products: Collection[str]
    queues: Collection[str]


def _policy(item: FieldReader, context: _Context) -> PolicyData:
    number, title = item.text("number"), item.text("title")
    effective = item.date("effective")
    archived = item.date("archived", required=False)
    if effective and archived and archived < effective:
        item.problem("archived", f"before the effective date {effective.isoformat()}")
    elif effective and archived == effective:
        item.problem("archived", "on the effective date: the version would never be in effect")
    return PolicyData(
        number=number,
        title=title,
        type=item.choice("type", vocab.POLICY_TYPES, "policy type"),
        lines_of_business=item.codes("lines_of_business", vocab.LINES_OF_BUSINESS, "line of business"),
        states=item.codes("states", vocab.US_STATES, "state"),
        effective=effective or datetime.date.min,
        archived=archived,
        products=item.strings("products", check=_unknown_product(context.products)),
        categories=item.codes("categories", vocab.CATEGORIES, "category"),
        sections={key: item.text(key, required=False) for key in vocab.TEXT_SECTIONS},
        related=_related(item),
        history=_revisions(item),
        criteria=read_criteria(item),
    )


def _related(item: FieldReader) -> tuple[str, ...]:
    # Section G is a list of policy names; a single text is accepted as a list of one.
    value = item.raw.get("related")
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    return item.strings("related")


def _revisions(item: FieldReader) -> tuple[Revision, ...]:
    value = item.raw.get("history")
    if value is None:
        return ()
    if not isinstance(value, list):
        item.problem("history", "not a list of {date, action} entries")
        return ()
    revisions = []
    for index, raw in enumerate(value):
        entry = _object(raw, f"{item.path}.history[{index}]", item.problems)
        if entry is not None:
            day = entry.date("date")
            revisions.append(Revision(day or datetime.date.min, entry.text("action")))
    return tuple(revisions)


def _product(item: FieldReader, context: _Context) -> ProductData:
    return ProductData(
        hcpcs=item.text("hcpcs"),
        brand=item.text("brand"),
        generic=item.text("generic"),
        category=item.choice("category", vocab.CATEGORIES, "category"),
        genetically_modified=item.flag("genetically_modified"),
        benefit=item.choice("benefit", vocab.BENEFITS, "benefit"),
        requires_prior_auth=item.flag("requires_prior_auth"),
        manufacturer=item.text("manufacturer", required=False),
        indication=item.text("indication", required=False),
        indications=product_indications(item),
        cms_counts_as_drug=None
        if item.raw.get("cms_counts_as_drug") is None
        else item.flag("cms_counts_as_drug"),
    )


def _plan(item: FieldReader, context: _Context) -> PlanData:
    return PlanData(
        code=item.text("code", size="plan"),
        name=item.text("name", required=False),
        line_of_business=item.choice("line_of_business", vocab.LINES_OF_BUSINESS, "line of business"),
        state=item.choice("state", vocab.US_STATES, "state"),
        excluded_products=item.strings("excluded_products", check=_unknown_product(context.products)),
        excluded_categories=item.codes("excluded_categories", vocab.CATEGORIES, "category"),
        no_auth_products=item.strings("no_auth_products", check=_unknown_product(context.products)),
        peer_to_peer_days=_peer_to_peer_days(item),
    )


# How long after an adverse determination a peer-to-peer talk may be asked for, unless a plan says.
PEER_TO_PEER_DAYS = 14


def _peer_to_peer_days(item: FieldReader) -> int:
    raw = item.raw.get("peer_to_peer_days")
    if raw is None:
        return PEER_TO_PEER_DAYS
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 365:
        item.problem("peer_to_peer_days", f"not a whole number of days from 1 to 365: {quote(raw)}")
        return PEER_TO_PEER_DAYS
    return raw


def _queue(item: FieldReader, context: _Context) -> QueueData:
    code = item.text("code", size="queue")
    if code and not re.fullmatch(r"[-a-zA-Z0-9_]+", code):
        item.problem("code", f"{quote(code)} is not a slug (letters, digits, - and _ only)")
    return QueueData(code=code, name=item.text("name"))


def _routing(item: FieldReader, context: _Context) -> RoutingData:
    queue = item.text("queue")
    if queue and queue not in context.queues:
        item.problem("queue", f'no queue "{queue}" in this bundle or the database')
    return RoutingData(
        key=item.choice("key", vocab.ROUTING_KEYS, "routing key"),
        category=_routing_category(item),
        queue=queue,
    )


def _routing_category(item: FieldReader) -> str:
    raw = item.raw.get("category")
    if raw is None:
        return ""
    # A bad category is kept as written, so it is not also reported as a duplicate default entry.
    return item.choice("category", vocab.CATEGORIES, "category") or str(raw)


def _timeframe(item: FieldReader, context: _Context) -> TimeframeData:
    units = [unit for unit in vocab.TIMEFRAME_UNITS if item.raw.get(unit) is not None]
    amount = 0
    if len(units) != 1:
        item.problem("", f"give exactly one of {', '.join(vocab.TIMEFRAME_UNITS)}")
    else:
        amount = item.raw[units[0]]
        problem = vocab.timeframe_amount_problem(units[0], amount)
        if problem:
            item.problem(units[0], f"{problem}: {quote(amount)}")
    return TimeframeData(
        urgency=item.choice("urgency", vocab.URGENCIES, "urgency"),
        state=item.choice("state", [vocab.ANY_STATE, *vocab.US_STATES], "state"),
        unit=units[0] if units else "",
        amount=amount if isinstance(amount, int) else 0,
        clock=item.choice("clock", vocab.CLOCKS, "clock", default="receipt"),
        pauses_when_pended=item.flag("pauses_when_pended", default=False),
        missed=item.choice("missed", vocab.MISSED, "missed-deadline meaning", default="breach"),
        source=item.text("source", required=False),
        applies_to=item.choice(
            "applies_to", vocab.TIMEFRAME_APPLIES_TO, "what it applies to", default="request"
        ),
        **_extension(item),
    )


def _extension(item: FieldReader) -> dict[str, Any]:
    """Return a timeframe's `extension` ({"calendar_days": 15}: one unit, as the timeframe gives
    its own), as the record's fields; absent or null is no extension."""
    raw = item.raw.get("extension")
    if raw is None:
        return {}
    units = [unit for unit in vocab.TIMEFRAME_UNITS if isinstance(raw, dict) and raw.get(unit) is not None]
    if not isinstance(raw, dict) or len(units) != 1 or len(raw) != 1:
        item.problem("extension", f"give an object with exactly one of {', '.join(vocab.TIMEFRAME_UNITS)}")
        return {}
    unit, amount = units[0], raw[units[0]]
    urgency = item.raw.get("urgency")
    rule_unit = next((key for key in vocab.TIMEFRAME_UNITS if item.raw.get(key) is not None), "")
    if problem := vocab.extension_problem(str(urgency), unit, amount, rule_unit):
        item.problem(f"extension.{unit}", problem)
        return {}
    return {"extension_unit": unit, "extension_amount": amount}


def _holiday(raw: Any, path: str, problems: list[Problem]) -> HolidayData | None:
    # A holiday is a date, or {date, name}.
    item = FieldReader({"date": raw} if not isinstance(raw, dict) else raw, path, [])
    day = item.date("date")
    name = item.text("name", required=False)
    for problem in item.problems:
        problems.append(Problem(path if not isinstance(raw, dict) else problem.path, problem.message))
    return HolidayData(day, name) if day else None


def _object(raw: Any, path: str, problems: list[Problem]) -> FieldReader | None:
    if not isinstance(raw, dict):
        problems.append(Problem(path, "not an object"))
        return None
    return FieldReader(raw, path, problems)


_PARSERS: dict[str, Callable[[FieldReader, _Context], Any]] = {
    "policies": _policy,
    "products": _product,
    "plans": _plan,
    "queues": _queue,
    "routing": _routing,
    "timeframes": _timeframe,
}

# What identifies a record of each kind, and how a duplicate is described.
_IDENTITIES: dict[str, tuple[str, Callable[[Any], tuple[Any, ...]]]] = {
    "policies": ("", lambda p: (p.number, p.effective)),
    "products": ("hcpcs", lambda p: (p.hcpcs,)),
    "plans": ("code", lambda p: (p.code,)),
    "queues": ("code", lambda q: (q.code,)),
    "routing": ("", lambda r: (r.key, r.category or None)),
    # A request rule reads as before appeals existed ("standard OH"); an appeal rule says so.
    "timeframes": (
        "",
        lambda t: (t.urgency, t.state) + (() if t.applies_to == "request" else (t.applies_to,)),
    ),
    "holidays": ("", lambda h: (h.date,)),
}


def parse_bundle(
    data: Any, *, known_products: Collection[str] = (), known_queues: Collection[str] = ()
) -> tuple[Bundle, list[Problem]]:
    """Return the bundle's records and every problem found; use the records only if there is none.

    `known_products` and `known_queues` are the codes already in the database: a policy, plan or
    routing entry may name those as well as the bundle's own.
    """
    if not isinstance(data, dict):
        return Bundle(), [Problem("bundle", "not a JSON object with policies, products, plans, ...")]
    problems: list[Problem] = []
    lists = {kind: _list(data, kind, problems) for kind in [*_PARSERS, "holidays"]}
    context = _Context(
        products={*known_products, *_codes(lists["products"], "hcpcs")},
        queues={*known_queues, *_codes(lists["queues"], "code")},
    )
    records: dict[str, tuple[Any, ...]] = {}
    for kind, parser in _PARSERS.items():
        records[kind] = _parse_list(
            kind, lists[kind], lambda raw, path, p=parser: _parse_object(raw, path, problems, p, context)
        )
    records["holidays"] = _parse_list(
        "holidays", lists["holidays"], lambda raw, path: _holiday(raw, path, problems)
    )
    records["holidays"] = _named_holidays(data.get("holiday_names"), records["holidays"], problems)
    for kind, (key, identity) in _IDENTITIES.items():
        _check_duplicates(kind, key, records[kind], identity, problems)
    bundle = Bundle(**{kind: tuple(record for _, record in pairs) for kind, pairs in records.items()})
    return bundle, sorted(problems, key=_document_order)


_ORDER = ["bundle", *_PARSERS, "holidays", "holiday_names"]


def _named_holidays(
    raw: Any, holidays: tuple[tuple[int, HolidayData], ...], problems: list[Problem]
) -> tuple[tuple[int, HolidayData], ...]:
    """Return the holidays with the names of `holiday_names` ({date: name}), checked against them.

    DOMAIN.md's `holidays[]` are plain dates; the names an administrator sees in the admin travel
    beside them, so a reader that knows only the contract still reads the dates.
    """
    if raw is None:
        return holidays
    if not isinstance(raw, dict):
        problems.append(Problem("holiday_names", "not an object of date: name"))
        return holidays
    dates = {holiday.date.isoformat() for _, holiday in holidays}
    names: dict[str, str] = {}
    for day, name in raw.items():
        path = f"holiday_names.{day}"
        if day not in dates:
            problems.append(Problem(path, "not one of the dates in holidays"))
        elif not isinstance(name, str) or not name.strip():
            problems.append(Problem(path, "not a name (text)"))
        elif "\x00" in name:
            problems.append(Problem(path, NUL_PROBLEM))
        else:
            names[day] = name.strip()
    return tuple((index, HolidayData(h.date, names.get(h.date.isoformat(), h.name))) for index, h in holidays)


def _document_order(problem: Problem) -> tuple[int, int]:
    # Duplicates are found last; sorting puts each problem back where it is in the file.
    match = re.match(r"(\w+)(?:\[(\d+)\])?", problem.path)
    kind, index = (match.group(1), match.group(2)) if match else ("bundle", None)
    return (_ORDER.index(kind) if kind in _ORDER else 0, int(index) if index else -1)


def _list(data: Mapping[str, Any], kind: str, problems: list[Problem]) -> list[Any]:
    value = data.get(kind)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(Problem(kind, "not a list"))
        return []
    return value


def _codes(raw_items: list[Any], key: str) -> set[str]:
    return {raw[key] for raw in raw_items if isinstance(raw, dict) and isinstance(raw.get(key), str)}


def _parse_object(
    raw: Any,
    path: str,
    problems: list[Problem],
    parser: Callable[[FieldReader, _Context], Any],
    context: _Context,
) -> Any:
    item = _object(raw, path, problems)
    return None if item is None else parser(item, context)


def _parse_list(kind: str, raw_items: list[Any], parse: Callable[[Any, str], Any]) -> tuple[Any, ...]:
    """Return (index, record) pairs for the items that could be read at all."""
    pairs = ((index, parse(raw, f"{kind}[{index}]")) for index, raw in enumerate(raw_items))
    return tuple((index, record) for index, record in pairs if record is not None)


def _check_duplicates(
    kind: str,
    key: str,
    pairs: tuple[Any, ...],
    identity: Callable[[Any], tuple[Any, ...]],
    problems: list[Problem],
) -> None:
    seen: dict[tuple[Any, ...], int] = {}
    for index, record in pairs:
        ident = identity(record)
        if any(part in ("", 0, datetime.date.min) for part in ident):
            continue  # already reported as missing or malformed
        if ident in seen:
            path = f"{kind}[{index}].{key}" if key else f"{kind}[{index}]"
            shown = " ".join("null" if part is None else str(part) for part in ident)
            problems.append(Problem(path, f"duplicate of {kind}[{seen[ident]}] ({shown})"))
        else:
            seen[ident] = index
