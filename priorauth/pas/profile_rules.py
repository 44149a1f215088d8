"""The Da Vinci PAS 2.2.1 rules no FHIR library checks: Bundle shape, references, review actions.

Pure functions over the JSON of a Bundle (dicts and lists), after fhirclient has checked it is
valid R4. They are the plain checks of the Inferno PAS server suite and the IG's SHALLs on a
request: a `collection` whose first entry is the Claim, every `fullUrl` an http(s) URL or a
`urn:uuid:`, every reference reachable from the Claim resolving to exactly one entry (IG
spec-13), unique item and supportingInfo sequences. `response_problems` applies the suite's
checks to our own answers; the tests run it on every answer they get.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from priorauth.pas.fhir import Problem

PAS = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/"
REVIEW_ACTION = PAS + "extension-reviewAction"
REVIEW_ACTION_CODE = PAS + "extension-reviewActionCode"
X12_306 = "https://codesystem.x12.org/005010/306"
UUID_URN = re.compile(
    r"\Aurn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z"
)
HTTP_URL = re.compile(r"\Ahttps?://\S+\Z")
RELATIVE = re.compile(r"\A[A-Z][A-Za-z]+/[A-Za-z0-9\-.]{1,64}(/_history/[A-Za-z0-9\-.]{1,64})?\Z")

Json = dict[str, Any]


def references(value: object, path: str) -> Iterator[tuple[str, str]]:
    """Yield (path, reference) for every Reference.reference inside the value, contained ones aside."""
    if isinstance(value, dict):
        reference = value.get("reference")
        if isinstance(reference, str) and not reference.startswith("#"):
            yield path, reference
        for key, item in value.items():
            if key != "reference":
                yield from references(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from references(item, f"{path}[{index}]")


class Entries(list[Json]):
    """A Bundle's entries, indexed on first use by every way a reference can name one.

    A Bundle may carry thousands of references: each is then resolved at once, not by a walk
    over every entry (which made a large Bundle's check take minutes).
    """

    @cached_property
    def _index(self) -> dict[tuple[str, str], list[int]]:
        index: dict[tuple[str, str], list[int]] = defaultdict(list)
        for position, entry in enumerate(self):
            full_url = entry.get("fullUrl")
            full_url = full_url if isinstance(full_url, str) else ""
            index["url", full_url].append(position)
            # A relative reference (Type/id, or Type/id/_history/v) names the entry whose
            # fullUrl ends with "/" and it.
            parts = full_url.split("/")
            for length in (2, 4):
                if len(parts) > length:
                    index["tail", "/".join(parts[-length:])].append(position)
            resource = entry.get("resource")
            if full_url.startswith("urn:") and isinstance(resource, dict):
                index["type/id", f"{resource.get('resourceType')}/{resource.get('id')}"].append(position)
        return index

    def resolve(self, reference: str) -> list[int]:
        found = set(self._index.get(("url", reference), ()))
        if RELATIVE.match(reference):
            found.update(self._index.get(("tail", reference), ()))
            found.update(self._index.get(("type/id", reference.split("/_history")[0]), ()))
        return sorted(found)


def resolve(reference: str, entries: list[Json]) -> list[int]:
    """Return the indexes of the entries a reference names: by fullUrl, or `Type/id` at its end."""
    return (entries if isinstance(entries, Entries) else Entries(entries)).resolve(reference)


def closure(start: list[tuple[str, str]], entries: list[Json]) -> tuple[list[int], list[Problem]]:
    """Return the entries reachable from these references, and each reference not resolving exactly once."""
    entries = entries if isinstance(entries, Entries) else Entries(entries)
    reached: dict[int, None] = {}  # in the order reached
    problems: list[Problem] = []
    waiting = deque(start)
    while waiting:
        path, reference = waiting.popleft()
        found = entries.resolve(reference)
        if len(found) != 1:
            how = "resolves to no entry" if not found else f"resolves to {len(found)} entries"
            problems.append(Problem(path, f"the reference {reference[:200]!r} {how} of the Bundle"))
            continue
        if found[0] in reached:
            continue
        reached[found[0]] = None
        waiting.extend(references(entries[found[0]].get("resource"), f"Bundle.entry[{found[0]}].resource"))
    return list(reached), problems


def _entries(bundle: Json) -> Entries:
    entries = bundle.get("entry") or []
    return Entries(entry for entry in entries if isinstance(entry, dict))


def _shape_problems(bundle: Json, first: str) -> list[Problem]:
    entries = _entries(bundle)
    if bundle.get("type") != "collection":
        return [Problem("Bundle.type", "a PAS request Bundle is of type collection")]
    if not entries:
        return [Problem("Bundle.entry", f"the Bundle has no entries; the first must be the {first}")]
    for index, entry in enumerate(entries):
        if not isinstance(entry.get("resource"), dict):
            return [Problem(f"Bundle.entry[{index}]", "the entry holds no resource")]
        full_url = entry.get("fullUrl") or ""
        if not (UUID_URN.match(full_url) or HTTP_URL.match(full_url)):
            return [Problem(f"Bundle.entry[{index}].fullUrl", "must be an http(s) URL or a urn:uuid:")]
    if entries[0]["resource"].get("resourceType") != "Claim":
        return [Problem("Bundle.entry[0]", f"the first entry must be the {first} (a Claim)")]
    return []


def _sequence_problems(claim: Json, element: str) -> list[Problem]:
    seen: set[object] = set()
    for index, part in enumerate(claim.get(element) or []):
        sequence = part.get("sequence")
        if sequence in seen:
            return [Problem(f"Claim.{element}[{index}].sequence", f"sequence {sequence} is used twice")]
        seen.add(sequence)
    return []


def _claim_problems(claim: Json, *, items_required: bool) -> list[Problem]:
    for element in ("patient", "provider", "insurer"):
        if not isinstance(claim.get(element), dict) or not claim[element].get("reference"):
            return [Problem(f"Claim.{element}", f"the Claim must reference its {element}")]
    identifiers = [i for i in claim.get("identifier") or [] if i.get("system") and i.get("value")]
    if items_required and not identifiers:
        return [Problem("Claim.identifier", "the Claim needs an identifier with a system and a value")]
    if items_required and not claim.get("item"):
        return [Problem("Claim.item", "the Claim lists no items (the services asked for)")]
    for index, item in enumerate(claim.get("item") or []):
        codings = (item.get("productOrService") or {}).get("coding") or []
        if not any(c.get("code") for c in codings):
            return [Problem(f"Claim.item[{index}].productOrService", "the item names no service code")]
    return _sequence_problems(claim, "item") + _sequence_problems(claim, "supportingInfo")


def request_problems(bundle: Json, *, inquiry: bool = False) -> list[Problem]:
    """Return what makes a PAS request (or inquiry) Bundle unusable; empty when it is usable.

    A submitted Claim's references must each resolve to one entry, except `related.claim`
    (the earlier Claim an update points to, which the EHR need not send again). An inquiry
    need only resolve its patient, provider and insurer.
    """
    what = "inquiry Claim" if inquiry else "Claim"
    if problems := _shape_problems(bundle, what):
        return problems
    entries = _entries(bundle)
    claim = entries[0]["resource"]
    if problems := _claim_problems(claim, items_required=not inquiry):
        return problems
    if inquiry:
        start = [(f"Claim.{e}", claim[e]["reference"]) for e in ("patient", "provider", "insurer")]
    else:
        start = [(p, r) for p, r in references(claim, "Claim") if not p.startswith("Claim.related")]
    return closure(start, entries)[1][:1]


def review_action_codes(item: Json) -> list[str]:
    """Return the X12 306 review action codes on a ClaimResponse item's adjudications."""
    codes = []
    for adjudication in item.get("adjudication") or []:
        for extension in adjudication.get("extension") or []:
            if extension.get("url") != REVIEW_ACTION:
                continue
            for inner in extension.get("extension") or []:
                if inner.get("url") == REVIEW_ACTION_CODE:
                    for coding in (inner.get("valueCodeableConcept") or {}).get("coding") or []:
                        if coding.get("system") == X12_306 and coding.get("code"):
                            codes.append(coding["code"])
    return codes


def response_problems(bundle: Json) -> list[Problem]:
    """Return where a PAS response Bundle fails the Inferno suite's plain structural checks."""
    entries = _entries(bundle)
    if bundle.get("resourceType") != "Bundle" or bundle.get("type") != "collection":
        return [Problem("Bundle", "a PAS response is a Bundle of type collection")]
    if not entries or (entries[0].get("resource") or {}).get("resourceType") != "ClaimResponse":
        return [Problem("Bundle.entry[0]", "the first bundle entry must be a ClaimResponse")]
    claim_response = entries[0]["resource"]
    start = [
        (path, reference)
        for path, reference in references(claim_response, "ClaimResponse")
        if not path.startswith("ClaimResponse.request")
    ]
    problems = closure(start, entries)[1]
    if claim_response.get("outcome") != "error":
        for index, item in enumerate(claim_response.get("item") or []):
            if not review_action_codes(item):
                problems.append(Problem(f"ClaimResponse.item[{index}]", "no review action code"))
    return problems
