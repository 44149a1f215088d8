"""Routing preview (DOMAIN.md): request facts as JSON lines in, one decision line out per line.

Each line is read on its own: a line that cannot be decided becomes an error line naming the
problem, and the lines after it are still decided.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import simple_icd_10_cm as icd10

from priorauth.policies import deferral, vocab
from priorauth.policies.bundle_fields import quote
from priorauth.policies.diagnoses import diagnosis_error
from priorauth.policies.json_text import UnreadableJson, json_read


class BadRequestLine(ValueError):
    """A request line that cannot be read into request facts."""


@dataclass(frozen=True)
class PreviewLine:
    """The JSON object written for one input line, and whether it is an error."""

    output: dict[str, Any]

    @property
    def is_error(self) -> bool:
        return "error" in self.output

    def as_json(self) -> str:
        text = json.dumps(self.output, ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate read from the input ("\ud800") can only be written escaped.
            return json.dumps(self.output)
        return text


def preview_lines(lines: Iterable[str], snapshot: deferral.Snapshot) -> Iterator[PreviewLine]:
    """Return one output line per non-blank input line, in the same order."""
    for line in lines:
        if line.strip():
            yield preview_line(line, snapshot)


def preview_line(line: str, snapshot: deferral.Snapshot) -> PreviewLine:
    """Return the decision line for one request line, or its error line ({"id", "error"})."""
    try:
        raw = json_read(line)
    except UnreadableJson as error:
        return PreviewLine({"id": None, "error": str(error)})
    if not isinstance(raw, dict):
        return PreviewLine({"id": None, "error": "not a JSON object"})
    request_id = raw.get("id")
    try:
        facts = request_facts(raw, snapshot)
        decision = deferral.decide(facts, snapshot)
    except (BadRequestLine, deferral.UndecidableRequest) as error:
        return PreviewLine({"id": request_id, "error": str(error)})
    return PreviewLine({"id": request_id, **deferral.decision_as_json(decision)})


def request_facts(raw: dict[str, Any], snapshot: deferral.Snapshot) -> deferral.RequestFacts:
    """Return the request facts of one request line; raise BadRequestLine naming the bad field."""
    plan = _text(raw, "plan")
    if plan not in snapshot.plans:
        raise BadRequestLine(f'plan: unknown plan "{plan}"')
    hcpcs, category = _service(raw, snapshot)
    coverage = deferral.Coverage(_date(raw, "coverage_start"), _date(raw, "coverage_end"))
    if coverage.end < coverage.start:
        raise BadRequestLine("coverage_end: before coverage_start")
    return deferral.RequestFacts(
        plan=plan,
        coverage=(coverage,),
        hcpcs=hcpcs,
        category=category,
        genetically_modified=_optional_flag(raw, "genetically_modified"),
        diagnoses=_diagnoses(raw),
        urgency=_choice(raw, "urgency", vocab.URGENCIES),
        date_of_service=_date(raw, "date_of_service"),
        received_at=_moment(raw, "received_at"),
    )


def _required(raw: dict[str, Any], key: str) -> Any:
    value = raw.get(key)
    if value is None:
        raise BadRequestLine(f"{key}: missing")
    return value


def _text(raw: dict[str, Any], key: str) -> str:
    value = _required(raw, key)
    if not isinstance(value, str) or not value.strip():
        raise BadRequestLine(f"{key}: not a non-empty string")
    return value.strip()


def _choice(raw: dict[str, Any], key: str, vocabulary: dict[str, str]) -> str:
    value = _text(raw, key)
    if value not in vocabulary:
        raise BadRequestLine(f'{key}: unknown {key} "{value}" (use one of {", ".join(vocabulary)})')
    return value


def _service(raw: dict[str, Any], snapshot: deferral.Snapshot) -> tuple[str | None, str | None]:
    """Return (hcpcs, category): a product record, else a category for a service without one."""
    if raw.get("hcpcs") is not None:
        hcpcs = _text(raw, "hcpcs")
        if hcpcs not in snapshot.products:
            raise BadRequestLine(f'hcpcs: unknown product "{hcpcs}"')
        # The product's category comes from its record; a category given alongside is ignored.
        return hcpcs, None
    if raw.get("category") is None:
        raise BadRequestLine("hcpcs: missing (or give category for a service with no product record)")
    return None, _choice(raw, "category", vocab.CATEGORIES)


def _date(raw: dict[str, Any], key: str) -> datetime.date:
    value = _required(raw, key)
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadRequestLine(f"{key}: not a date (use YYYY-MM-DD)") from None


def _moment(raw: dict[str, Any], key: str) -> datetime.datetime:
    value = _required(raw, key)
    try:
        moment = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadRequestLine(f"{key}: not an ISO 8601 date and time") from None
    if moment.utcoffset() is None:
        raise BadRequestLine(f"{key}: no UTC offset (add one, e.g. 2026-05-04T09:30:00-04:00 or Z)")
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        # 0001-01-01T00:00:00+14:00 is a valid ISO 8601 moment, but before the first UTC instant.
        raise BadRequestLine(f"{key}: out of range (before 0001-01-01 or after 9999-12-31 in UTC)") from None


def _optional_flag(raw: dict[str, Any], key: str) -> bool | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, bool):
        raise BadRequestLine(f"{key}: not true, false or absent")
    return value


def _diagnoses(raw: dict[str, Any]) -> tuple[str, ...]:
    value = _required(raw, "diagnoses")
    if not isinstance(value, list):
        raise BadRequestLine("diagnoses: not a list of ICD-10-CM codes")
    return tuple(_diagnosis(code, index) for index, code in enumerate(value))


def _diagnosis(code: Any, index: int) -> str:
    """Return the code in its dotted form; a request names billable codes, as on the intake form."""
    text = code.strip().upper() if isinstance(code, str) else ""
    if not text:
        raise BadRequestLine(f"diagnoses[{index}]: {quote(code)} is not an ICD-10-CM code")
    problem = diagnosis_error(text)
    if problem:
        raise BadRequestLine(f"diagnoses[{index}]: {problem.rstrip('.')}")
    return icd10.add_dot(text)
