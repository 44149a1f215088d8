"""The PAS response Bundle: a request's current answer, as `$submit`, `$inquire` and notifications give it.

`response_bundle(pa_request)` is the one builder: the ClaimResponse first (status active, use
preauthorization, the X12 306 review action code of the request's status on every item, our
request number as preAuthRef, the authorized period on an approval, the reason on a denial,
the authorized details as addItem on a modification), then a CommunicationRequest per open
request for information, then the entries the request's Claim reached from its patient,
insurer and requestor, with the same fullUrl and identifiers as the EHR sent them. Those come
last: the Inferno suite resolves relative references against the last entry's base.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.utils import timezone

from priorauth.pas.models import PasSubmission
from priorauth.pas.profile_rules import REVIEW_ACTION, REVIEW_ACTION_CODE, X12_306
from priorauth.requests.models import X12_REVIEW_ACTION, PriorAuthRequest, Status
from priorauth.review.models import Determination

Json = dict[str, Any]
PAS = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/"
ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication"
X12_901 = "https://codesystem.x12.org/005010/901"
NPI = "http://hl7.org/fhir/sid/us-npi"
HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
# Identifiers that are themselves URIs (our own answers, a web request's Claim).
URI = "urn:ietf:rfc:3986"
_NAMESPACE = uuid.UUID("5d0c9b1e-9a5e-4f3b-8f7c-0b0a6f1f2c3d")
REVIEW_ACTION_NAMES = {
    "A1": "Certified in total",
    "A2": "Certified - partial",
    "A3": "Not certified",
    "A4": "Pended",
    "A6": "Modified",
    "C": "Cancelled",
    "NA": "No action required",
}
APPROVING = frozenset({"A1", "A2", "A6"})


def _urn(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '/'.join(str(part) for part in parts))}"


def _coding(system: str, code: str, display: str = "") -> Json:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def _period(start: datetime.date | None, end: datetime.date | None) -> Json:
    period = {}
    if start:
        period["start"] = start.isoformat()
    if end:
        period["end"] = end.isoformat()
    return period


def review_action(code: str, number: str = "") -> Json:
    """Return the PAS reviewAction extension carrying an X12 306 code (and our request number)."""
    inner: list[Json] = []
    if number:
        inner.append({"url": "number", "valueString": number})
    inner.append(
        {"url": REVIEW_ACTION_CODE, "valueCodeableConcept": _coding(X12_306, code, REVIEW_ACTION_NAMES[code])}
    )
    return {"url": REVIEW_ACTION, "extension": inner}


def _adjudication(code: str | None, number: str = "") -> list[Json]:
    adjudication: Json = {"category": _coding(ADJUDICATION, "submitted")}
    if code:
        adjudication["extension"] = [review_action(code, number)]
    return [adjudication]


def _web_echo(pa: PriorAuthRequest) -> Json:
    """Return the echo of a request that came through the web form: our own ids, one item."""
    patient, provider, insurer = (_urn("request", pa.pk, kind) for kind in ("patient", "provider", "insurer"))
    member = pa.member
    entries = [
        {
            "fullUrl": patient,
            "resource": {
                "resourceType": "Patient",
                "identifier": [
                    {
                        "type": _coding("http://terminology.hl7.org/CodeSystem/v2-0203", "MB"),
                        "value": member.member_id,
                    }
                ],
                "name": [{"family": member.last_name, "given": [member.first_name]}],
                "birthDate": member.date_of_birth.isoformat(),
            },
        },
        {
            "fullUrl": provider,
            "resource": {
                "resourceType": "Organization",
                "identifier": [{"system": NPI, "value": pa.organization.npi}],
                "name": pa.organization.name,
            },
        },
        {"fullUrl": insurer, "resource": {"resourceType": "Organization", "name": "CareSource"}},
    ]
    hcpcs = pa.product.hcpcs if pa.product else ""
    return {
        "claim_full_url": _urn("request", pa.pk, "claim"),
        "identifiers": [{"system": URI, "value": _urn("request", pa.pk, "claim")}],
        "type": _coding("http://terminology.hl7.org/CodeSystem/claim-type", "institutional"),
        "patient": patient,
        "provider": provider,
        "insurer": insurer,
        "entries": entries,
        "items": [
            {
                "sequence": 1,
                "system": HCPCS if hcpcs else "",
                "code": hcpcs or pa.category,
                "start": pa.date_of_service.isoformat() if pa.date_of_service else None,
                "end": None,
                "quantity": None,
                "cancel": False,
            }
        ],
    }


def echo_of(pa: PriorAuthRequest) -> Json:
    """Return what the request's answers echo: its latest PAS Claim, else its web form's own."""
    latest = PasSubmission.objects.filter(request=pa).order_by("-created_at", "-pk").first()
    return latest.echo if latest is not None else _web_echo(pa)


def _determination(pa: PriorAuthRequest) -> Determination | None:
    if not pa.is_determined:
        return None
    return Determination.objects.filter(request=pa).first()


def _item(item: Json, code: str, number: str, determination: Determination | None) -> Json:
    answered: Json = {"itemSequence": item["sequence"], "adjudication": _adjudication(code, number)}
    if code in APPROVING and determination is not None and determination.approved_start:
        answered["extension"] = [
            {
                "url": PAS + "extension-itemPreAuthIssueDate",
                "valueDate": determination.decided_at.date().isoformat(),
            },
            {
                "url": PAS + "extension-itemPreAuthPeriod",
                "valuePeriod": _period(determination.approved_start, determination.approved_end),
            },
        ]
    return answered


def _add_item(echo: Json, determination: Determination, number: str) -> Json:
    """Return the authorized details of a modified approval (A6), against every item still asked for."""
    sequences = [item["sequence"] for item in echo["items"] if not item.get("cancel")]
    first = next((item for item in echo["items"] if not item.get("cancel")), echo["items"][0])
    service: Json = {"text": determination.approved_service or first["code"]}
    if first.get("system"):
        service["coding"] = [{"system": first["system"], "code": first["code"]}]
    added: Json = {
        "itemSequence": sequences,
        "productOrService": service,
        "adjudication": _adjudication("A6", number),
    }
    if determination.approved_units:
        added["quantity"] = {"value": determination.approved_units}
    if determination.approved_start:
        added["servicedPeriod"] = _period(determination.approved_start, determination.approved_end)
    return added


def _communication_requests(pa: PriorAuthRequest, echo: Json) -> list[Json]:
    """Return one CommunicationRequest entry per open request for information (a pend)."""
    if pa.status != Status.PENDED:
        return []
    entries = []
    for asked in pa.information_requests.filter(answered_at__isnull=True).order_by("asked_at", "pk"):
        resource: Json = {
            "resourceType": "CommunicationRequest",
            "id": f"information-request-{asked.pk}",
            "meta": {"profile": [PAS + "profile-communicationrequest"]},
            "status": "active",
            "subject": {"reference": echo["patient"]},
            "payload": [{"contentString": asked.needed}],
            "authoredOn": asked.asked_at.isoformat(),
            "requester": {"reference": echo["insurer"]},
            "recipient": [{"reference": echo["provider"]}],
        }
        if asked.respond_by:
            resource["occurrenceDateTime"] = asked.respond_by.isoformat()
        entries.append({"fullUrl": _urn("information-request", asked.pk), "resource": resource})
    return entries


def _claim_response(pa: PriorAuthRequest, echo: Json, now: datetime.datetime, requests: list[Json]) -> Json:
    code = X12_REVIEW_ACTION.get(pa.status, "A4")
    number = pa.number or ""
    determination = _determination(pa)
    items = [
        _item(item, "C" if item.get("cancel") else code, number, determination) for item in echo["items"]
    ]
    response: Json = {
        "resourceType": "ClaimResponse",
        "id": (number or f"request-{pa.pk}").lower(),
        "meta": {"profile": [PAS + "profile-claimresponse"]},
        "identifier": echo["identifiers"],
        "status": "active",
        "type": echo["type"] or _coding("http://terminology.hl7.org/CodeSystem/claim-type", "institutional"),
        "use": "preauthorization",
        "patient": {"reference": echo["patient"]},
        "created": now.isoformat(),
        "insurer": {"reference": echo["insurer"]},
        "requestor": {"reference": echo["provider"]},
        "request": {"reference": echo["claim_full_url"], "identifier": echo["identifiers"][0]},
        "outcome": "complete",
        "disposition": pa.get_status_display(),
        "preAuthRef": number,
        "item": items,
    }
    if determination is not None and code in APPROVING and determination.approved_start:
        response["preAuthPeriod"] = _period(determination.approved_start, determination.approved_end)
    if code == "A6" and determination is not None:
        response["addItem"] = [_add_item(echo, determination, number)]
    if determination is not None and determination.reason:
        response["processNote"] = [{"number": 1, "type": "display", "text": determination.reason}]
    if requests:
        response["communicationRequest"] = [{"reference": entry["fullUrl"]} for entry in requests]
    return response


def _bundle(first: Json, first_url: str, rest: list[Json], now: datetime.datetime) -> Json:
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"profile": [PAS + "profile-pas-response-bundle"]},
        "identifier": {"system": URI, "value": f"urn:uuid:{uuid.uuid4()}"},
        "type": "collection",
        "timestamp": now.isoformat(),
        "entry": [{"fullUrl": first_url, "resource": first}, *rest],
    }


def response_bundle(pa_request: PriorAuthRequest, *, echo: Json | None = None) -> Json:
    """Return the request's current PAS response Bundle (what `$inquire` returns for it).

    `echo` is the Claim to answer (a `$submit` answers the Claim just posted); by default the
    request's latest PAS Claim, or for a web request its own identifiers and one item.
    """
    pa = pa_request
    echo = echo if echo is not None else echo_of(pa)
    now = timezone.now()
    requests = _communication_requests(pa, echo)
    claim_response = _claim_response(pa, echo, now, requests)
    return _bundle(claim_response, _urn("claim-response", pa.pk), [*requests, *echo["entries"]], now)


def error_bundle(echo: Json, *, code: str, display: str) -> Json:
    """Return the answer to a Claim we could not take (the member not found): outcome error, X12 901 code.

    It says nothing about any member we hold; every item is answered, with no review action.
    """
    now = timezone.now()
    claim_response = {
        "resourceType": "ClaimResponse",
        "meta": {"profile": [PAS + "profile-claimresponse"]},
        "identifier": echo["identifiers"],
        "status": "active",
        "type": echo["type"] or _coding("http://terminology.hl7.org/CodeSystem/claim-type", "institutional"),
        "use": "preauthorization",
        "patient": {"reference": echo["patient"]},
        "created": now.isoformat(),
        "insurer": {"reference": echo["insurer"]},
        "requestor": {"reference": echo["provider"]},
        "request": {"reference": echo["claim_full_url"], "identifier": echo["identifiers"][0]},
        "outcome": "error",
        "item": [
            {"itemSequence": item["sequence"], "adjudication": _adjudication(None)} for item in echo["items"]
        ],
        "error": [{"code": _coding(X12_901, code, display)}],
    }
    return _bundle(claim_response, f"urn:uuid:{uuid.uuid4()}", list(echo["entries"]), now)
