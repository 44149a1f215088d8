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
import re
from dataclasses import dataclass

from fhirclient.models.bundle import Bundle
from fhirclient.models.fhirabstractbase import FHIRValidationError

FHIR_JSON = "application/fhir+json"
MISSING = re.compile(r'Non-optional property "(\w+)"')
REPR = re.compile(r" on <[^>]*>|<class '[^']*'>")


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


def loads(body: bytes) -> object:
    """Return the JSON in the body, or raise BadInput."""
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadInput(Problem("Bundle", "the body is not JSON (UTF-8)")) from None


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
    # fhirclient's messages name its Python classes and objects: keep the words, not the reprs.
    return ".".join(parts), REPR.sub("", message)[:300]


def parse_bundle(data: object) -> Bundle:
    """Return the Bundle fhirclient parsed strictly from the JSON, or raise BadInput naming the path."""
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise BadInput(Problem("Bundle", "the body is not a FHIR Bundle (resourceType Bundle)"))
    try:
        return Bundle(data, strict=True)
    except FHIRValidationError as error:
        path, message = _path(error, "Bundle")
        raise BadInput(Problem(path, message)) from None
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
        # fhirclient raises plain errors for some malformed values (a date it cannot read).
        raise BadInput(Problem("Bundle", f"not valid FHIR R4 ({type(error).__name__})")) from None
