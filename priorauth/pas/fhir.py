"""Reading FHIR R4 JSON: the structure checked by fhirclient, a problem named by its path.

fhirclient 4.4.0 is the model library because its models are generated from FHIR 4.0.1, the
version Da Vinci PAS 2.2.1 is built on; fhir.resources 8 carries R5 and R4B, not R4, and its
last R4 release pins pydantic 1. In strict mode fhirclient refuses a wrong type, an unknown
element or a missing required one, naming where; it checks no profile, so the PAS rules it
does not know are ours (`profile_rules`). Once a Bundle passes, the facts are read from the
JSON it was parsed from (`claim`), which keeps those readers pure and easy to test.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

from fhirclient.models.bundle import Bundle
from fhirclient.models.fhirabstractbase import FHIRValidationError

from priorauth import limits

FHIR_JSON = "application/fhir+json"
MISSING = re.compile(r'Non-optional property "(\w+)"')
WRONG_TYPE = re.compile(r"Wrong type <class '\w+'> for property .*expecting <class '([\w.]+)'>")
# What fhirclient expects, by its Python class, as the JSON a person would write.
JSON_TYPES = {"str": "a string", "int": "a whole number", "float": "a number", "bool": "true or false"}


@dataclass(frozen=True)
class Problem:
    """What is wrong with the posted resource, and where (`Bundle.entry[0].resource.item`)."""

    path: str
    message: str

    @property
    def diagnostics(self) -> str:
        return f"{self.path}: {self.message}"


class BadInput(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.diagnostics)
        self.problem = problem

    @classmethod
    def over_limit(cls, limit: int) -> BadInput:
        return cls(Problem("Bundle", f"the body is larger than {limit // 1048576} MB, the most accepted"))


class _NotANumber(ValueError):
    """A number FHIR cannot hold (FHIR R4 decimal: at most 18 digits; no NaN or Infinity)."""


def _number(text: str) -> float | int:
    significant = text.lstrip("-").lower().split("e")[0].replace(".", "").lstrip("0")
    if len(significant) > 18:
        raise _NotANumber(text)
    number = float(text) if any(c in text for c in ".eE") else int(text)
    if not math.isfinite(number):
        raise _NotANumber(text)
    return number


def _constant(name: str) -> float:
    raise _NotANumber(name)


def loads(body: bytes) -> object:
    """Return the JSON in the body, or raise BadInput (numbers FHIR cannot hold among the refused)."""
    try:
        text = body.decode("utf-8")
        data = json.loads(text, parse_float=_number, parse_int=_number, parse_constant=_constant)
    except _NotANumber as error:
        problem = f"the number {str(error)[:40]} is not one FHIR accepts (at most 18 digits, finite)"
        raise BadInput(Problem("Bundle", problem)) from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadInput(Problem("Bundle", "the body is not JSON (UTF-8)")) from None
    # A NUL character or a lone surrogate (only ever written as \u escapes in JSON) is in no FHIR
    # string, and the database refuses to store it: the escapes are looked for first, the
    # strings only when one is there.
    try:
        unstorable = UNSTORABLE_ESCAPE.search(text) is not None and _holds_unstorable(data)
    except RecursionError:
        raise BadInput(Problem("Bundle", "the JSON is nested too deeply")) from None
    if unstorable:
        raise BadInput(
            Problem(
                "Bundle",
                "a string holds a NUL character or a lone surrogate (\\u escape), which FHIR refuses",
            )
        )
    return data


UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# How JSON spells them: \u0000, \ud800 to \udfff (searched in place: the body may be 40 MB).
UNSTORABLE_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


def storable(text: str) -> bool:
    """Whether a database text or JSON column can hold the text: no NUL (PostgreSQL), no lone
    surrogate (no UTF-8 for it; JSON can spell one, "\\ud800", and Python decodes it as it stands)."""
    return UNSTORABLE.search(text) is None


def _holds_unstorable(value: object) -> bool:
    if isinstance(value, str):
        return not storable(value)
    if isinstance(value, dict):
        return any(_holds_unstorable(key) or _holds_unstorable(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_unstorable(item) for item in value)
    return False


def _path(error: FHIRValidationError, prefix: str) -> tuple[str, str]:
    """Return the path to the first leaf error and its message, in FHIRPath style (entry[0])."""
    parts = [prefix]
    current: BaseException = error
    while isinstance(current, FHIRValidationError):
        if current.path:
            for part in str(current.path).split("."):
                if part.isdigit():
                    parts[-1] += f"[{part}]"
                else:
                    parts.append(part)
        if not current.errors:
            return ".".join(parts), "not valid FHIR R4"
        current = current.errors[0]
    message = str(current).split("\n")[0]
    if missing := MISSING.search(message):
        return ".".join([*parts, missing.group(1)]), "is required and missing"
    if wrong := WRONG_TYPE.search(message):
        expected = JSON_TYPES.get(wrong.group(1), "another JSON type")
        return ".".join(parts), f"has the wrong JSON type: {expected} is expected"
    if "only takes dict" in message:
        return ".".join(parts), "has the wrong JSON type: an object (or a list of objects) is expected"
    if "only takes string" in message:
        return ".".join(parts), "has the wrong JSON type: a string (or a list of strings) is expected"
    # Any other message is fhirclient's own wording about its Python code: name the path only.
    return ".".join(parts), "not valid FHIR R4"


def parse_bundle(data: object) -> Bundle:
    """Return the Bundle fhirclient parsed strictly from the JSON, or raise BadInput naming the path."""
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise BadInput(Problem("Bundle", "the body is not a FHIR Bundle (resourceType Bundle)"))
    entries = data.get("entry")
    if isinstance(entries, list) and len(entries) > limits.PAS_BUNDLE_ENTRIES:
        raise BadInput(
            Problem("Bundle.entry", f"a Bundle may hold at most {limits.PAS_BUNDLE_ENTRIES:,} entries")
        )
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            wrong = "has the wrong JSON type: an object is expected"
            raise BadInput(Problem(f"Bundle.entry[{index}]", wrong))
    try:
        return Bundle(data, strict=True)
    except FHIRValidationError as error:
        path, message = _path(error, "Bundle")
        raise BadInput(Problem(path, message)) from None
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
        # fhirclient raises plain errors for some malformed values (a date it cannot read).
        raise BadInput(Problem("Bundle", f"not valid FHIR R4 ({type(error).__name__})")) from None
