"""The PAS rules no FHIR library checks (profile_rules.py), as pure functions over Bundle JSON."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from priorauth.pas.profile_rules import (
    RELATIVE,
    Entries,
    closure,
    request_problems,
    response_problems,
    review_action_codes,
)
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


def _resolve_by_walking(reference: str, entries: list[dict]) -> list[int]:
    """The rule as first written, one walk over the entries per reference: what the index must equal."""
    found = []
    for index, entry in enumerate(entries):
        full_url = entry.get("fullUrl") or ""
        resource = entry.get("resource") or {}
        by_type_and_id = (
            f"{resource.get('resourceType')}/{resource.get('id')}" == reference.split("/_history")[0]
        )
        relative = RELATIVE.match(reference) and (
            full_url.endswith("/" + reference) or (full_url.startswith("urn:") and by_type_and_id)
        )
        if full_url == reference or relative:
            found.append(index)
    return found


_TYPES = st.sampled_from(["Patient", "Organization", "Coverage"])
_IDS = st.sampled_from(["1", "2", "a-b"])
_URLS = st.one_of(
    st.builds(lambda t, i: f"http://ehr.example/fhir/{t}/{i}", _TYPES, _IDS),
    st.builds(lambda t, i: f"https://x.example/{t}/{i}/_history/2", _TYPES, _IDS),
    st.builds(lambda t, i: f"{t}/{i}", _TYPES, _IDS),
    st.sampled_from(
        ["urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e", "urn:uuid:7c9e6679-7425-40de-944b-e07fc1f90ae7"]
    ),
)
_ENTRIES = st.lists(
    st.builds(
        lambda url, t, i: {"fullUrl": url, "resource": {"resourceType": t, "id": i}}, _URLS, _TYPES, _IDS
    ),
    max_size=8,
)
_REFERENCES = st.one_of(
    _URLS,
    st.builds(lambda t, i: f"{t}/{i}", _TYPES, _IDS),
    st.builds(lambda t, i: f"{t}/{i}/_history/2", _TYPES, _IDS),
    st.builds(lambda i: f"fhir/Patient/{i}", _IDS),
)


@given(entries=_ENTRIES, reference=_REFERENCES)
def test_the_index_resolves_every_reference_as_a_walk_over_the_entries_does(entries, reference):
    assert Entries(entries).resolve(reference) == _resolve_by_walking(reference, entries)


def test_a_bundle_with_thousands_of_references_resolves_each_once():
    bundle = submit_bundle(member_id="OH1000001")
    claim = bundle["entry"][0]["resource"]
    for n in range(3000):
        url = f"http://ehr.example/fhir/Observation/obs-{n}"
        bundle["entry"].append(
            {"fullUrl": url, "resource": {"resourceType": "Observation", "id": f"obs-{n}"}}
        )
        claim.setdefault("supportingInfo", []).append(
            {
                "sequence": n + 1,
                "category": {"text": "x"},
                "valueReference": {"reference": f"Observation/obs-{n}"},
            }
        )
    assert request_problems(bundle) == []
    reached, problems = closure([("Claim", "Observation/obs-2999")], Entries(bundle["entry"]))
    assert problems == [] and reached == [len(bundle["entry"]) - 1]
