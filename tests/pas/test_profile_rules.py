"""The PAS rules no FHIR library checks (profile_rules.py), as pure functions over Bundle JSON."""

from __future__ import annotations

import copy

import pytest

from priorauth.pas.profile_rules import request_problems, response_problems, review_action_codes
from tests.pas.bundles import submit_bundle


def _paths(problems) -> list[str]:
    return [problem.path for problem in problems]


@pytest.mark.parametrize("uuid_urls", [False, True])
def test_our_own_request_bundles_are_usable(uuid_urls):
    assert request_problems(submit_bundle(member_id="OH-1", uuid_urls=uuid_urls)) == []


def test_a_reference_to_nothing_is_named_by_its_path():
    bundle = submit_bundle(member_id="OH-1")
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] != "Coverage"]
    (problem,) = request_problems(bundle)
    assert problem.path.startswith("Claim.insurance[0].coverage")


def test_a_reference_that_resolves_twice_is_refused():
    bundle = submit_bundle(member_id="OH-1")
    patient = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    bundle["entry"].append(copy.deepcopy(patient))
    assert _paths(request_problems(bundle)) == ["Claim.patient"]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda b: b.update(type="transaction"), "Bundle.type"),
        (lambda b: b.update(entry=[]), "Bundle.entry"),
        (lambda b: b["entry"].reverse(), "Bundle.entry[0]"),
        (lambda b: b["entry"][0].update(fullUrl="Claim/1"), "Bundle.entry[0].fullUrl"),
        (lambda b: b["entry"][0]["resource"].pop("provider"), "Claim.provider"),
        (lambda b: b["entry"][0]["resource"].update(identifier=[]), "Claim.identifier"),
        (lambda b: b["entry"][0]["resource"].update(item=[]), "Claim.item"),
    ],
)
def test_a_bundle_it_cannot_use_is_refused_with_the_path(change, path):
    bundle = submit_bundle(member_id="OH-1")
    change(bundle)
    assert _paths(request_problems(bundle)) == [path]


def test_an_item_sequence_used_twice_is_refused():
    bundle = submit_bundle(member_id="OH-1", items=[("HCPCS", "Q2041"), ("HCPCS", "Q2041")])
    for item in bundle["entry"][0]["resource"]["item"]:
        item["sequence"] = 1
    assert _paths(request_problems(bundle)) == ["Claim.item[1].sequence"]


def _response(*items: dict) -> dict:
    claim_response = {"resourceType": "ClaimResponse", "outcome": "complete", "item": list(items)}
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": claim_response}]}


def _reviewed(code: str) -> dict:
    inner = {
        "url": "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewActionCode",
        "valueCodeableConcept": {
            "coding": [{"system": "https://codesystem.x12.org/005010/306", "code": code}]
        },
    }
    action = {"url": "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewAction"}
    return {"itemSequence": 1, "adjudication": [{"extension": [{**action, "extension": [inner]}]}]}


def test_every_item_of_an_answer_needs_its_review_action_code():
    assert response_problems(_response(_reviewed("A4"))) == []
    assert review_action_codes(_reviewed("A3")) == ["A3"]
    assert _paths(response_problems(_response(_reviewed("A1"), {"itemSequence": 2}))) == [
        "ClaimResponse.item[1]"
    ]


def test_an_answer_starts_with_its_claim_response():
    answer = _response(_reviewed("A4"))
    answer["entry"].insert(0, {"resource": {"resourceType": "Patient"}})
    assert _paths(response_problems(answer)) == ["Bundle.entry[0]"]
