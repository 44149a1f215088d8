"""A product's FDA-labeled indications as data: read, checked and written back.

Pure: no Django. The same reader serves the model's validator, the admin form and the policy
bundle, so an indication refused in one front door is refused, in the same words, in the
others. A stored indication is a JSON object:

    {"condition": "relapsed or refractory large B-cell lymphoma after two or more lines",
     "icd10": ["C83.3", "C85.2"],          # codes, their families (a prefix) or ranges "C81-C96"
     "age_at_least": "18 years",           # optional, "N years" or "N months", inclusive
     "age_under": "26 years",              # optional, exclusive: "up to 25 years" is under 26
     "min_prior_lines": 2,                 # optional: prior lines of therapy the label asks for
     "to_verify": ["..."],                 # label facts the intake does not record
     "clinical_signoff": {"status": "pending", "by": "", "on": null, "note": ""}}

Every mapping from label text to codes is a clinical judgement: it carries its sign-off, and
until a clinician signs it off the screens say "pending clinical sign-off".
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

import simple_icd_10_cm as icd10

SIGNOFF_STATUSES = {"pending": "pending clinical sign-off", "signed_off": "clinically signed off"}
KEYS = frozenset(
    {"condition", "icd10", "age_at_least", "age_under", "min_prior_lines", "to_verify", "clinical_signoff"}
)
MAX_CONDITION = 300
MAX_TEXT = 500
MAX_INDICATIONS = 20
MAX_CODES = 40
_AGE = re.compile(r"(\d{1,3}) (year|month)s?")


@dataclass(frozen=True)
class Age:
    """An age limit in whole months, as the label gives it (in years or months)."""

    months: int
    words: str

    @classmethod
    def parse(cls, text: str) -> Age | None:
        match = _AGE.fullmatch(text.strip())
        if not match:
            return None
        amount, unit = int(match.group(1)), match.group(2)
        return cls(amount * 12 if unit == "year" else amount, f"{amount} {unit}{'s' if amount != 1 else ''}")


@dataclass(frozen=True)
class SignOff:
    status: str = "pending"
    by: str = ""
    on: datetime.date | None = None
    note: str = ""

    @property
    def words(self) -> str:
        return SIGNOFF_STATUSES[self.status]

    @property
    def pending(self) -> bool:
        return self.status != "signed_off"


@dataclass(frozen=True)
class Indication:
    condition: str
    icd10: tuple[str, ...]
    age_at_least: Age | None = None
    age_under: Age | None = None
    min_prior_lines: int | None = None
    to_verify: tuple[str, ...] = ()
    signoff: SignOff = field(default_factory=SignOff)

    def matching_code(self, codes: list[str] | tuple[str, ...]) -> str | None:
        """Return the first of the codes this indication's ICD-10-CM codes cover, or None."""
        return next((code for code in codes if any(code_in(code, p) for p in self.icd10)), None)


def _bare(code: str) -> str:
    return code.replace(".", "").strip().upper()


def code_in(code: str, pattern: str) -> bool:
    """Return whether a diagnosis code falls under a pattern: a code, its family, or a range.

    A family is a prefix ("C83.3" covers C83.30 ... C83.39); a range "C81-C96" covers every
    code whose first characters fall between its bounds, both included.
    """
    bare = _bare(code)
    if "-" in pattern:
        low, high = (_bare(part) for part in pattern.split("-", 1))
        return low <= bare[: len(low)] <= high
    return bare.startswith(_bare(pattern))


class Problems(list[tuple[str, str]]):
    """(path, message) pairs; the path is relative to the list of indications ("[0].icd10[1]")."""

    def add(self, path: str, message: str) -> None:
        self.append((path, message))


def read_indications(raw: Any) -> tuple[tuple[Indication, ...], Problems]:
    """Return the indications a JSON value holds and every problem found; use them only if none."""
    problems = Problems()
    if raw is None:
        return (), problems
    if not isinstance(raw, list):
        problems.add("", "not a list of indications")
        return (), problems
    if len(raw) > MAX_INDICATIONS:
        problems.add("", f"more than {MAX_INDICATIONS} indications")
        return (), problems
    found = []
    for index, item in enumerate(raw):
        indication = _indication(item, f"[{index}]", problems)
        if indication is not None:
            found.append(indication)
    return tuple(found), problems


def _indication(raw: Any, path: str, problems: Problems) -> Indication | None:
    if not isinstance(raw, dict):
        problems.add(path, "not an object with a condition and its ICD-10-CM codes")
        return None
    for key in sorted(set(raw) - KEYS):
        problems.add(f"{path}.{key}", f"unknown key (use {', '.join(sorted(KEYS))})")
    condition = _text(raw.get("condition"), f"{path}.condition", problems, MAX_CONDITION, required=True)
    codes = _codes(raw.get("icd10"), f"{path}.icd10", problems)
    at_least = _age(raw.get("age_at_least"), f"{path}.age_at_least", problems)
    under = _age(raw.get("age_under"), f"{path}.age_under", problems)
    if at_least and under and under.months <= at_least.months:
        problems.add(f"{path}.age_under", f"not above age_at_least ({at_least.words}): no age would fit")
    return Indication(
        condition=condition,
        icd10=codes,
        age_at_least=at_least,
        age_under=under,
        min_prior_lines=_lines(raw.get("min_prior_lines"), f"{path}.min_prior_lines", problems),
        to_verify=_texts(raw.get("to_verify"), f"{path}.to_verify", problems),
        signoff=_signoff(raw.get("clinical_signoff"), f"{path}.clinical_signoff", problems),
    )


def _text(value: Any, path: str, problems: Problems, limit: int, *, required: bool = False) -> str:
    if value is None or value == "":
        if required:
            problems.add(path, "missing")
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.add(path, "not a text")
        return ""
    if "\x00" in value:
        problems.add(path, "contains a NUL character (\\u0000), which cannot be stored")
        return ""
    if len(value) > limit:
        problems.add(path, f"longer than {limit} characters")
    return value.strip()


def _texts(value: Any, path: str, problems: Problems) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.add(path, "not a list of texts")
        return ()
    texts = (_text(v, f"{path}[{i}]", problems, MAX_TEXT, required=True) for i, v in enumerate(value))
    return tuple(text for text in texts if text)


def _codes(value: Any, path: str, problems: Problems) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        problems.add(path, 'missing: give the condition\'s ICD-10-CM codes, e.g. ["C83.3"]')
        return ()
    if len(value) > MAX_CODES:
        problems.add(path, f"more than {MAX_CODES} codes: use families or ranges")
        return ()
    codes = []
    for index, pattern in enumerate(value):
        message = pattern_problem(pattern)
        if message:
            problems.add(f"{path}[{index}]", message)
        else:
            codes.append(pattern.strip().upper())
    return tuple(codes)


def pattern_problem(pattern: Any) -> str:
    """Return why a code pattern is unusable, or "" for a code, a family or a range of them."""
    if not isinstance(pattern, str):
        return "not a text"
    parts = pattern.strip().upper().split("-")
    if len(parts) > 2:
        return f'"{pattern}" is not a code, a family ("C83.3") or a range ("C81-C96")'
    for part in parts:
        # A category (C83), a subcategory or a code; a chapter or a block is not a code family.
        if not icd10.is_valid_item(part) or not (icd10.is_category(part) or icd10.is_subcategory(part)):
            return f'"{part}" is not an ICD-10-CM code or family of codes (write it with its dot: C83.3)'
    if len(parts) == 2:
        low, high = (_bare(p) for p in parts)
        if len(low) != len(high) or low > high:
            return f'"{pattern}" is not a range: give two codes of the same length, the lower first'
    return ""


def _age(value: Any, path: str, problems: Problems) -> Age | None:
    if value is None:
        return None
    age = Age.parse(value) if isinstance(value, str) else None
    if age is None:
        problems.add(path, f'not an age: {value!r} (write "18 years" or "6 months")')
    return age


def _lines(value: Any, path: str, problems: Problems) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 20:
        problems.add(path, f"not a number of prior lines from 0 to 20: {value!r}")
        return None
    return value


def _signoff(value: Any, path: str, problems: Problems) -> SignOff:
    if value is None:
        problems.add(path, 'missing: every mapping carries its sign-off, e.g. {"status": "pending"}')
        return SignOff()
    if not isinstance(value, dict):
        problems.add(path, "not an object with a status")
        return SignOff()
    status = value.get("status")
    if status not in SIGNOFF_STATUSES:
        problems.add(f"{path}.status", f"unknown sign-off status {status!r} (use pending or signed_off)")
        status = "pending"
    by = _text(value.get("by"), f"{path}.by", problems, 200, required=status == "signed_off")
    on = _date(value.get("on"), f"{path}.on", problems, required=status == "signed_off")
    note = _text(value.get("note"), f"{path}.note", problems, MAX_TEXT)
    return SignOff(status=status, by=by, on=on, note=note)


def _date(value: Any, path: str, problems: Problems, *, required: bool) -> datetime.date | None:
    if value is None or value == "":
        if required:
            problems.add(path, "missing: a signed-off mapping says when (YYYY-MM-DD)")
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        problems.add(path, f"not a date: {value!r} (use YYYY-MM-DD)")
        return None


def problem_lines(problems: Problems, prefix: str = "indications") -> list[str]:
    """Return the problems as lines a person reads: "indications[0].icd10[1]: ..."."""
    return [f"{prefix}{path}: {message}" for path, message in problems]


def indications_json(indications: tuple[Indication, ...]) -> list[dict[str, Any]]:
    """Return indications as they are stored and exported: one form, so a round trip is exact."""
    return [_indication_json(indication) for indication in indications]


def _indication_json(indication: Indication) -> dict[str, Any]:
    data: dict[str, Any] = {"condition": indication.condition, "icd10": list(indication.icd10)}
    if indication.age_at_least:
        data["age_at_least"] = indication.age_at_least.words
    if indication.age_under:
        data["age_under"] = indication.age_under.words
    if indication.min_prior_lines is not None:
        data["min_prior_lines"] = indication.min_prior_lines
    if indication.to_verify:
        data["to_verify"] = list(indication.to_verify)
    signoff = indication.signoff
    data["clinical_signoff"] = {
        "status": signoff.status,
        "by": signoff.by,
        "on": signoff.on.isoformat() if signoff.on else None,
        "note": signoff.note,
    }
    return data
