"""The facts of a PAS request Bundle, read from its JSON once `profile_rules` found it usable.

Pure: the Bundle in, a `ClaimFacts` out, or BadInput naming the path of a value we cannot
use (a date that is not a date, a diagnosis that is not ICD-10-CM). What the facts mean for
the request (which product, which member) is the services' business.
"""

from __future__ import annotations

import base64
import binascii
import datetime
from dataclasses import dataclass, field
from typing import Any

from priorauth.pas.fhir import BadInput, Problem
from priorauth.pas.profile_rules import Entries, closure, references, resolve
from priorauth.policies import diagnoses as icd10

Json = dict[str, Any]
PAS = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/"
NPI = "http://hl7.org/fhir/sid/us-npi"
ICD10CM = ("http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10")
LEVEL_OF_SERVICE = PAS + "extension-levelOfServiceCode"
CERTIFICATION_TYPE = PAS + "extension-certificationType"
# What an item may carry of an earlier answer (X12 REF-BB, REF-NT): for us, our request number
# (answered as `ClaimResponse.preAuthRef`).
AUTHORIZATION_NUMBERS = (
    PAS + "extension-authorizationNumber",
    PAS + "extension-administrationReferenceNumber",
)
CANCEL = "3"  # X12 1322 certification type: cancel


@dataclass(frozen=True)
class Item:
    sequence: int
    system: str
    code: str
    start: datetime.date | None
    end: datetime.date | None
    quantity: float | None
    cancel: bool

    def as_json(self) -> Json:
        return {
            "sequence": self.sequence,
            "system": self.system,
            "code": self.code,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "quantity": self.quantity,
            "cancel": self.cancel,
        }


@dataclass(frozen=True)
class Document:
    path: str
    content_type: str
    title: str
    data: bytes


@dataclass(frozen=True)
class ClaimFacts:
    identifier: tuple[str, str]
    identifiers: list[Json]
    full_url: str
    type: Json
    patient: str
    provider: str
    insurer: str
    member_id: str
    birth_date: datetime.date | None
    provider_npis: frozenset[str]
    items: tuple[Item, ...]
    diagnoses: tuple[str, ...]
    urgent: bool
    texts: tuple[str, ...]
    documents: tuple[Document, ...]
    # The earlier Claim an update or cancel points to: its identifier, or our request number.
    related_identifiers: tuple[tuple[str, str], ...]
    related_numbers: tuple[str, ...]
    cancelled: bool
    # The authorization numbers the items name (an inquiry's search by REF-BB or REF-NT).
    item_numbers: tuple[str, ...] = ()
    # The entries the answer echoes: those its patient, insurer and requestor reach.
    echo: list[Json] = field(default_factory=list)

    def echo_json(self) -> Json:
        """Return what an answer to this Claim repeats (`answer.response_bundle`'s `echo`)."""
        return {
            "claim_full_url": self.full_url,
            "identifiers": self.identifiers,
            "type": self.type,
            "patient": self.patient,
            "provider": self.provider,
            "insurer": self.insurer,
            "entries": self.echo,
            "items": [item.as_json() for item in self.items],
        }


def _date(value: object, path: str) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise BadInput(Problem(path, "a full date (YYYY-MM-DD) is needed")) from None


def _codes(concept: object) -> list[tuple[str, str]]:
    codings = (concept or {}).get("coding") or [] if isinstance(concept, dict) else []
    return [(c.get("system") or "", c.get("code") or "") for c in codings if isinstance(c, dict)]


def _entry(reference: str, entries: list[Json]) -> Json:
    found = resolve(reference, entries)
    return entries[found[0]]["resource"] if len(found) == 1 else {}


def _member_id(patient: Json, entries: list[Json], patient_ref: str) -> str:
    for identifier in patient.get("identifier") or []:
        if any(code == "MB" for _, code in _codes(identifier.get("type"))) and identifier.get("value"):
            return str(identifier["value"]).strip()
    for entry in entries:
        resource = entry["resource"]
        if resource.get("resourceType") == "Coverage" and resource.get("subscriberId"):
            beneficiary = (resource.get("beneficiary") or {}).get("reference")
            if beneficiary is None or resolve(beneficiary, entries) == resolve(patient_ref, entries):
                return str(resource["subscriberId"]).strip()
    return ""


def _npis(resource: Json) -> set[str]:
    return {
        str(i.get("value")).strip()
        for i in resource.get("identifier") or []
        if i.get("system") == NPI and i.get("value")
    }


def _provider_npis(provider: Json, entries: list[Json]) -> frozenset[str]:
    npis = _npis(provider)
    organization = (provider.get("organization") or {}).get("reference")
    if provider.get("resourceType") == "PractitionerRole" and organization:
        npis |= _npis(_entry(organization, entries))
    return frozenset(npis)


def _extension_code(element: Json, url: str) -> str:
    for extension in element.get("extension") or []:
        if extension.get("url") == url:
            return next((code for _, code in _codes(extension.get("valueCodeableConcept")) if code), "")
    return ""


def _items(claim: Json) -> tuple[Item, ...]:
    items = []
    for index, item in enumerate(claim.get("item") or []):
        path = f"Claim.item[{index}]"
        system, code = next(((s, c) for s, c in _codes(item.get("productOrService")) if c), ("", ""))
        period = item.get("servicedPeriod") or {}
        start = _date(item.get("servicedDate") or period.get("start"), f"{path}.serviced")
        end = _date(period.get("end"), f"{path}.servicedPeriod.end")
        quantity = (item.get("quantity") or {}).get("value")
        items.append(
            Item(
                sequence=int(item.get("sequence") or index + 1),
                system=system,
                code=code.strip().upper(),
                start=start,
                end=end,
                quantity=float(quantity) if isinstance(quantity, int | float) else None,
                cancel=_extension_code(item, CERTIFICATION_TYPE) == CANCEL,
            )
        )
    return tuple(items)


def _item_numbers(claim: Json) -> tuple[str, ...]:
    numbers: list[str] = []
    for item in claim.get("item") or []:
        for extension in item.get("extension") or []:
            value = extension.get("valueString")
            if extension.get("url") in AUTHORIZATION_NUMBERS and isinstance(value, str) and value.strip():
                numbers.append(value.strip())
    return tuple(dict.fromkeys(numbers))


def _diagnoses(claim: Json) -> tuple[str, ...]:
    found = []
    for index, diagnosis in enumerate(claim.get("diagnosis") or []):
        for system, code in _codes(diagnosis.get("diagnosisCodeableConcept")):
            if system in ICD10CM and code:
                code = icd10.normalise_code(code)
                if error := icd10.diagnosis_error(code):
                    path = f"Claim.diagnosis[{index}].diagnosisCodeableConcept"
                    raise BadInput(Problem(path, error))
                if code not in found:
                    found.append(code)
    return tuple(found)


def _urgent(claim: Json) -> bool:
    if any(code == "stat" for _, code in _codes(claim.get("priority"))):
        return True
    elements = [claim, *(claim.get("item") or [])]
    return any(_extension_code(element, LEVEL_OF_SERVICE) == "U" for element in elements)


def _attachment(attachment: object, path: str) -> Document | None:
    if not isinstance(attachment, dict) or not attachment.get("data"):
        return None
    try:
        data = base64.b64decode(str(attachment["data"]), validate=True)
    except (binascii.Error, ValueError):
        raise BadInput(Problem(f"{path}.data", "not base64")) from None
    title = str(attachment.get("title") or "document")[:200]
    return Document(path, str(attachment.get("contentType") or ""), title, data)


def _supporting(claim: Json, entries: list[Json]) -> tuple[tuple[str, ...], tuple[Document, ...]]:
    texts, documents = [], []
    for index, info in enumerate(claim.get("supportingInfo") or []):
        path = f"Claim.supportingInfo[{index}]"
        if isinstance(info.get("valueString"), str) and info["valueString"].strip():
            texts.append(info["valueString"].strip())
        if document := _attachment(info.get("valueAttachment"), f"{path}.valueAttachment"):
            documents.append(document)
        reference = (info.get("valueReference") or {}).get("reference")
        target = _entry(reference, entries) if reference else {}
        if target.get("resourceType") == "DocumentReference":
            for number, content in enumerate(target.get("content") or []):
                where = f"{path}.valueReference(DocumentReference).content[{number}].attachment"
                if document := _attachment(content.get("attachment"), where):
                    documents.append(document)
    return tuple(texts), tuple(documents)


def _related(claim: Json) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    identifiers, numbers = [], []
    for related in claim.get("related") or []:
        identifier = (related.get("claim") or {}).get("identifier") or {}
        if identifier.get("system") and identifier.get("value"):
            identifiers.append((str(identifier["system"]), str(identifier["value"])))
        if (related.get("reference") or {}).get("value"):
            numbers.append(str(related["reference"]["value"]).strip())
    return tuple(identifiers), tuple(numbers)


def claim_facts(bundle: Json) -> ClaimFacts:
    """Return the facts of a Bundle `request_problems` accepted; raise BadInput for an unusable value."""
    entries = Entries(entry for entry in bundle["entry"] if isinstance(entry, dict))
    claim = entries[0]["resource"]
    patient_ref, provider_ref, insurer_ref = (
        claim[e]["reference"] for e in ("patient", "provider", "insurer")
    )
    patient = _entry(patient_ref, entries)
    identifier = next(
        (
            (str(i["system"]), str(i["value"]))
            for i in claim.get("identifier") or []
            if i.get("system") and i.get("value")
        ),
        ("", ""),
    )
    texts, documents = _supporting(claim, entries)
    related_identifiers, related_numbers = _related(claim)
    items = _items(claim)
    start = [
        (path, ref)
        for path, ref in references(claim, "Claim")
        if path in ("Claim.patient", "Claim.provider", "Claim.insurer")
    ]
    reached = closure(start, entries)[0]
    return ClaimFacts(
        identifier=identifier,
        identifiers=[i for i in claim.get("identifier") or [] if isinstance(i, dict)],
        full_url=str(entries[0].get("fullUrl") or ""),
        type=claim.get("type") if isinstance(claim.get("type"), dict) else {},
        patient=patient_ref,
        provider=provider_ref,
        insurer=insurer_ref,
        member_id=_member_id(patient, entries, patient_ref),
        birth_date=_date(patient.get("birthDate"), "Patient.birthDate"),
        provider_npis=_provider_npis(_entry(provider_ref, entries), entries),
        items=items,
        diagnoses=_diagnoses(claim),
        urgent=_urgent(claim),
        texts=texts,
        documents=documents,
        related_identifiers=related_identifiers,
        related_numbers=related_numbers,
        item_numbers=_item_numbers(claim),
        cancelled=claim.get("status") == "cancelled" or (bool(items) and all(item.cancel for item in items)),
        echo=[{"fullUrl": entries[i]["fullUrl"], "resource": entries[i]["resource"]} for i in reached],
    )
