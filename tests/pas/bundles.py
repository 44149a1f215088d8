"""Our own PAS request Bundles (CAR-T, gene therapy, stem cell transplant), built to order.

Entries carry http fullUrls under one base and the Claim refers to them relatively, as the IG's
examples do; `uuid_urls=True` gives urn:uuid fullUrls and references instead.
"""

from __future__ import annotations

import base64
import copy
import uuid
from typing import Any

BASE = "http://ehr.example.org/fhir/"
PAS = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/"
HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
CPT = "http://www.ama-assn.org/go/cpt"
CLAIM_SYSTEM = "urn:trnorg:1234567893"

CAR_T = [(HCPCS, "Q2041")]  # Yescarta
GENE_THERAPY = [(HCPCS, "J3399")]  # Zolgensma
STEM_CELL_TRANSPLANT = [(CPT, "38241")]


def _coding(system: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code}]}


def _ext(url: str, system: str, code: str) -> dict[str, Any]:
    return {"url": PAS + url, "valueCodeableConcept": _coding(system, code)}


def submit_bundle(
    *,
    member_id: str,
    birth_date: str = "1961-04-21",
    npi: str = "1234567893",
    claim_id: str = "CART-0001",
    items: list[tuple[str, str]] | None = None,
    diagnoses: tuple[str, ...] = ("C83.30",),
    date_of_service: str = "2027-01-15",
    urgent: bool = False,
    texts: tuple[str, ...] = (),
    documents: tuple[bytes, ...] = (),
    related_claim_id: str | None = None,
    cancel: tuple[int, ...] = (),
    uuid_urls: bool = False,
) -> dict[str, Any]:
    """Return a PAS request Bundle for one member: the Claim first, then what it references."""
    ids = {
        kind: str(uuid.uuid5(uuid.NAMESPACE_URL, f"{claim_id}/{kind}"))
        for kind in ("claim", "patient", "org", "payer", "cov")
    }

    def url(kind: str, rtype: str) -> str:
        return f"urn:uuid:{ids[kind]}" if uuid_urls else f"{BASE}{rtype}/{ids[kind]}"

    def ref(kind: str, rtype: str) -> dict[str, str]:
        return {"reference": url(kind, rtype) if uuid_urls else f"{rtype}/{ids[kind]}"}

    items = items if items is not None else CAR_T
    claim: dict[str, Any] = {
        "resourceType": "Claim",
        "id": ids["claim"],
        "meta": {"profile": [PAS + "profile-claim"]},
        "identifier": [{"system": CLAIM_SYSTEM, "value": claim_id}],
        "status": "active",
        "type": _coding("http://terminology.hl7.org/CodeSystem/claim-type", "institutional"),
        "use": "preauthorization",
        "patient": ref("patient", "Patient"),
        "created": "2026-12-01T10:00:00-05:00",
        "insurer": ref("payer", "Organization"),
        "provider": ref("org", "Organization"),
        "priority": _coding("http://terminology.hl7.org/CodeSystem/processpriority", "normal"),
        "insurance": [{"sequence": 1, "focal": True, "coverage": ref("cov", "Coverage")}],
        "diagnosis": [
            {
                "sequence": n + 1,
                "diagnosisCodeableConcept": _coding("http://hl7.org/fhir/sid/icd-10-cm", code),
            }
            for n, code in enumerate(diagnoses)
        ],
        "item": [
            {
                "extension": [
                    _ext("extension-serviceItemRequestType", "https://codesystem.x12.org/005010/1525", "HS"),
                    _ext(
                        "extension-certificationType",
                        "https://codesystem.x12.org/005010/1322",
                        "3" if n + 1 in cancel else "I",
                    ),
                ],
                "sequence": n + 1,
                "category": _coding("https://codesystem.x12.org/005010/1365", "1"),
                "productOrService": _coding(system, code),
                "servicedDate": date_of_service,
                "quantity": {"value": 1},
                "locationCodeableConcept": _coding(
                    "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set",
                    "21",
                ),
            }
            for n, (system, code) in enumerate(items)
        ],
    }
    if urgent:
        claim["extension"] = [
            _ext("extension-levelOfServiceCode", "https://codesystem.x12.org/005010/1338", "U")
        ]
    info = [
        {"sequence": n + 1, "category": _coding(PAS + "PASSupportingInfoType", "freetext"), "valueString": t}
        for n, t in enumerate(texts)
    ]
    info += [
        {
            "sequence": len(info) + n + 1,
            "category": _coding(PAS + "PASSupportingInfoType", "additionalInformation"),
            "valueAttachment": {
                "contentType": "application/pdf",
                "title": f"notes-{n + 1}.pdf",
                "data": base64.b64encode(doc).decode(),
            },
        }
        for n, doc in enumerate(documents)
    ]
    if info:
        claim["supportingInfo"] = info
    if related_claim_id:
        claim["related"] = [{"claim": {"identifier": {"system": CLAIM_SYSTEM, "value": related_claim_id}}}]
    resources = [
        ("claim", claim),
        (
            "patient",
            {
                "resourceType": "Patient",
                "id": ids["patient"],
                "identifier": [
                    {
                        "type": _coding("http://terminology.hl7.org/CodeSystem/v2-0203", "MB"),
                        "system": "http://caresource.example/member",
                        "value": member_id,
                    }
                ],
                "name": [{"family": "Lovelace", "given": ["Ada"]}],
                "birthDate": birth_date,
            },
        ),
        (
            "org",
            {
                "resourceType": "Organization",
                "id": ids["org"],
                "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": npi}],
                "name": "Buckeye Oncology",
            },
        ),
        ("payer", {"resourceType": "Organization", "id": ids["payer"], "name": "CareSource"}),
        (
            "cov",
            {
                "resourceType": "Coverage",
                "id": ids["cov"],
                "status": "active",
                "subscriberId": member_id,
                "beneficiary": ref("patient", "Patient"),
                "payor": [ref("payer", "Organization")],
            },
        ),
    ]
    rtypes = {
        "claim": "Claim",
        "patient": "Patient",
        "org": "Organization",
        "payer": "Organization",
        "cov": "Coverage",
    }
    return {
        "resourceType": "Bundle",
        "meta": {"profile": [PAS + "profile-pas-request-bundle"]},
        "identifier": {"system": "urn:trnorg:1234567893", "value": f"TX-{claim_id}"},
        "type": "collection",
        "timestamp": "2026-12-01T10:00:00-05:00",
        "entry": [{"fullUrl": url(kind, rtypes[kind]), "resource": resource} for kind, resource in resources],
    }


def inquiry_bundle(**kwargs: Any) -> dict[str, Any]:
    """Return an inquiry: the same Claim shape, matched by member and provider (and claim identifier)."""
    bundle = copy.deepcopy(submit_bundle(**kwargs))
    bundle["meta"]["profile"] = [PAS + "profile-pas-inquiry-request-bundle"]
    return bundle


EMPTY_ENTRY_BUNDLE = {
    "resourceType": "Bundle",
    "identifier": {"system": "urn:trnorg:1234567893", "value": "EMPTY-1"},
    "type": "collection",
    "timestamp": "2026-12-01T10:00:00-05:00",
    "entry": [],
}
