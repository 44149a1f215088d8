"""After $submit: decisions in the answer ($inquire), resends, updates and cancels (the Inferno checks)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from priorauth.pas.answer import response_bundle
from priorauth.pas.models import PasSubmission
from priorauth.pas.profile_rules import response_problems, review_action_codes
from priorauth.requests.models import EventKind, PriorAuthRequest, Status
from priorauth.review import services as review
from priorauth.review.determinations import determination_record
from tests.pas.bundles import CPT, HCPCS, PAS, inquiry_bundle, submit_bundle
from tests.review.world import approval, claimed, denial, member_in


def _claim_response(bundle: dict) -> dict:
    assert response_problems(bundle) == []
    return bundle["entry"][0]["resource"]


def _codes(bundle: dict) -> list[list[str]]:
    return [review_action_codes(item) for item in _claim_response(bundle)["item"]]


def test_a_resend_gets_the_same_answer_and_creates_nothing(ehr, member):
    bundle = submit_bundle(member_id=member.member_id)
    first = ehr.submit(bundle).json()
    again = ehr.submit(bundle).json()
    assert PriorAuthRequest.objects.count() == 1 and PasSubmission.objects.count() == 1
    assert _claim_response(again)["preAuthRef"] == _claim_response(first)["preAuthRef"]
    assert _codes(again) == _codes(first) == [["A4"]]


def test_the_same_identifier_for_a_different_claim_is_refused(ehr, member):
    ehr.submit(submit_bundle(member_id=member.member_id))
    answer = ehr.submit(submit_bundle(member_id=member.member_id, diagnoses=("C83.31",)))
    assert answer.status_code == 400 and "Claim.identifier" in answer.json()["issue"][0]["diagnostics"]


def test_an_approval_answers_a1_with_the_authorized_period(ehr, member, physician):
    ehr.submit(submit_bundle(member_id=member.member_id))
    pa = claimed(physician, PriorAuthRequest.objects.get())
    determination_record(user=physician, request_id=pa.pk, **approval())
    claim_response = _claim_response(response_bundle(PriorAuthRequest.objects.get()))
    assert _codes(response_bundle(PriorAuthRequest.objects.get())) == [["A1"]]
    assert claim_response["preAuthPeriod"] == {"start": "2027-01-15", "end": "2027-02-14"}


def test_a_denial_answers_a3_with_the_reason_through_inquire(ehr, member, physician):
    ehr.submit(submit_bundle(member_id=member.member_id))
    pa = claimed(physician, PriorAuthRequest.objects.get())
    determination_record(user=physician, request_id=pa.pk, **denial())
    answer = ehr.inquire(inquiry_bundle(member_id=member.member_id))
    assert answer.status_code == 200
    parameters = answer.json()
    assert parameters["resourceType"] == "Parameters"
    (returned,) = [p["resource"] for p in parameters["parameter"] if p["name"] == "return"]
    assert _codes(returned) == [["A3"]]
    assert "ECOG" in _claim_response(returned)["processNote"][0]["text"]


def test_a_modification_answers_a6_with_add_item(ehr, member, physician):
    ehr.submit(submit_bundle(member_id=member.member_id))
    pa = claimed(physician, PriorAuthRequest.objects.get())
    determination_record(
        user=physician,
        request_id=pa.pk,
        **denial(outcome="modified", **{k: v for k, v in approval().items() if k != "outcome"}),
    )
    claim_response = _claim_response(response_bundle(PriorAuthRequest.objects.get()))
    assert [review_action_codes(i) for i in claim_response["item"]] == [["A6"]]
    assert claim_response["addItem"][0]["itemSequence"] == [1]


def test_a_pend_answers_a4_with_a_communication_request(ehr, member, nurse):
    ehr.submit(submit_bundle(member_id=member.member_id))
    pa = claimed(nurse, PriorAuthRequest.objects.get())
    review.review_pend(
        user=nurse,
        request_id=pa.pk,
        needed="The latest PET-CT report.",
        respond_by=timezone.now() + datetime.timedelta(days=60),
    )
    bundle = response_bundle(PriorAuthRequest.objects.get())
    claim_response = _claim_response(bundle)
    assert _codes(bundle) == [["A4"]]
    (reference,) = claim_response["communicationRequest"]
    (entry,) = [e for e in bundle["entry"] if e["fullUrl"] == reference["reference"]]
    assert entry["resource"]["payload"][0]["contentString"] == "The latest PET-CT report."


def test_inquire_finds_nothing_of_another_member_or_birth_date(ehr, member):
    ehr.submit(submit_bundle(member_id=member.member_id))
    answer = ehr.inquire(inquiry_bundle(member_id=member.member_id, birth_date="1970-01-01"))
    assert answer.status_code == 200 and answer.json() == {"resourceType": "Parameters", "parameter": []}


def _returned_numbers(answer) -> list[str]:
    bundles = [p["resource"] for p in answer.json()["parameter"] if p["name"] == "return"]
    return [_claim_response(bundle)["preAuthRef"] for bundle in bundles]


def _two_requests(ehr, member) -> list[str]:
    ehr.submit(submit_bundle(member_id=member.member_id, claim_id="CART-0001"))
    ehr.submit(submit_bundle(member_id=member.member_id, claim_id="CART-0002", date_of_service="2027-02-01"))
    return list(PriorAuthRequest.objects.order_by("pk").values_list("number", flat=True))


def test_inquire_by_its_own_trace_number_finds_every_request_of_the_member(ehr, member):
    first, second = _two_requests(ehr, member)
    answer = ehr.inquire(inquiry_bundle(member_id=member.member_id, claim_id="INQ-0001"))
    assert sorted(_returned_numbers(answer)) == [first, second]


def test_inquire_narrowed_by_an_authorization_number_in_claim_related(ehr, member):
    _, second = _two_requests(ehr, member)
    inquiry = inquiry_bundle(member_id=member.member_id, claim_id="INQ-0001")
    inquiry["entry"][0]["resource"]["related"] = [{"reference": {"value": second}}]
    assert _returned_numbers(ehr.inquire(inquiry)) == [second]
    # A number that is none of this member's requests finds nothing, not all of them.
    inquiry["entry"][0]["resource"]["related"] = [{"reference": {"value": "PA-2026-999999"}}]
    assert _returned_numbers(ehr.inquire(inquiry)) == []


def test_inquire_narrowed_by_an_items_authorization_number(ehr, member):
    first, _ = _two_requests(ehr, member)
    inquiry = inquiry_bundle(member_id=member.member_id, claim_id="INQ-0001")
    extension = {"url": PAS + "extension-authorizationNumber", "valueString": f" {first} "}
    inquiry["entry"][0]["resource"]["item"][0].setdefault("extension", []).append(extension)
    assert _returned_numbers(ehr.inquire(inquiry)) == [first]
    extension["url"] = PAS + "extension-administrationReferenceNumber"
    assert _returned_numbers(ehr.inquire(inquiry)) == [first]
    extension["valueString"] = "PA-2026-999999"
    assert _returned_numbers(ehr.inquire(inquiry)) == []


def test_inquire_narrowed_by_an_earlier_claims_identifier(ehr, member):
    first, _ = _two_requests(ehr, member)
    inquiry = inquiry_bundle(member_id=member.member_id, claim_id="INQ-0001", related_claim_id="CART-0001")
    assert _returned_numbers(ehr.inquire(inquiry)) == [first]
    unknown = inquiry_bundle(member_id=member.member_id, claim_id="INQ-0002", related_claim_id="CART-9999")
    assert _returned_numbers(ehr.inquire(unknown)) == []


def test_inquire_never_finds_another_organizations_request(ehr, member, other_organization):
    ehr.submit(submit_bundle(member_id=member.member_id))
    PriorAuthRequest.objects.update(organization=other_organization)
    answer = ehr.inquire(inquiry_bundle(member_id=member.member_id))
    assert answer.json()["parameter"] == []


def test_an_update_adds_an_item_echoes_every_sequence_and_keeps_history(ehr, member):
    ehr.submit(submit_bundle(member_id=member.member_id))
    items = [(HCPCS, "Q2041"), (CPT, "0540T")]
    update = submit_bundle(
        member_id=member.member_id,
        claim_id="CART-0002",
        related_claim_id="CART-0001",
        items=items,
        diagnoses=("C83.30", "C83.31"),
    )
    answer = ehr.submit(update)
    assert answer.status_code == 200
    claim_response = _claim_response(answer.json())
    assert [item["itemSequence"] for item in claim_response["item"]] == [1, 2]
    pa = PriorAuthRequest.objects.get()
    assert pa.diagnoses == ["C83.30", "C83.31"]
    event = pa.events.get(kind=EventKind.UPDATED_BY_EHR)
    assert "item 2 (0540T) added" in event.reason


def test_an_item_cancel_answers_c_for_that_item(ehr, member):
    items = [(HCPCS, "Q2041"), (CPT, "0540T")]
    ehr.submit(submit_bundle(member_id=member.member_id, items=items))
    update = submit_bundle(
        member_id=member.member_id,
        claim_id="CART-0002",
        related_claim_id="CART-0001",
        items=items,
        cancel=(2,),
    )
    assert _codes(ehr.submit(update).json()) == [["A4"], ["C"]]
    assert PriorAuthRequest.objects.get().status == Status.IN_REVIEW


def test_a_whole_cancel_withdraws_the_request(ehr, member):
    ehr.submit(submit_bundle(member_id=member.member_id))
    cancel = submit_bundle(
        member_id=member.member_id, claim_id="CART-0003", related_claim_id="CART-0001", cancel=(1,)
    )
    assert _codes(ehr.submit(cancel).json()) == [["C"]]
    pa = PriorAuthRequest.objects.get()
    assert pa.status == Status.WITHDRAWN
    assert pa.events.filter(kind=EventKind.WITHDRAWN).exists()


def test_an_update_of_a_decided_request_is_refused(ehr, member, physician):
    ehr.submit(submit_bundle(member_id=member.member_id))
    pa = claimed(physician, PriorAuthRequest.objects.get())
    determination_record(user=physician, request_id=pa.pk, **denial())
    update = submit_bundle(member_id=member.member_id, claim_id="CART-0002", related_claim_id="CART-0001")
    answer = ehr.submit(update)
    assert answer.status_code == 422
    assert PasSubmission.objects.count() == 1


def test_a_web_request_has_an_answer_too(provider_staff, member):
    from tests.review.world import submitted

    pa = submitted(provider_staff, "OH")
    assert _codes(response_bundle(pa)) == [["A4"]]
    assert datetime.date.fromisoformat(pa.date_of_service.isoformat())


def _update(member_id: str, **kwargs):
    return submit_bundle(member_id=member_id, claim_id="CART-0002", related_claim_id="CART-0001", **kwargs)


def test_an_update_for_another_member_is_refused_and_changes_nothing(ehr, member):
    ehr.submit(submit_bundle(member_id=member.member_id))
    other = member_in("IN")
    for sent in (
        _update(other.member_id),
        _update("NOBODY-1"),
        _update(member.member_id, birth_date="1970-01-01"),
    ):
        answer = ehr.submit(sent)
        assert answer.status_code == 400
        assert answer.json()["issue"][0]["diagnostics"].startswith("Patient: an update or a cancel is for")
    pa = PriorAuthRequest.objects.get()
    assert pa.member == member and not pa.events.filter(kind=EventKind.UPDATED_BY_EHR).exists()
    assert PasSubmission.objects.count() == 1
    # Inquiring still shows the member who was sent first.
    (returned,) = [
        p["resource"] for p in ehr.inquire(inquiry_bundle(member_id=member.member_id)).json()["parameter"]
    ]
    patients = [e["resource"] for e in returned["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert [i["value"] for i in patients[0]["identifier"]] == [member.member_id]


def test_a_cancel_for_another_member_is_refused(ehr, member):
    ehr.submit(submit_bundle(member_id=member.member_id))
    answer = ehr.submit(_update(member_in("IN").member_id, cancel=(1,)))
    assert answer.status_code == 400
    assert PriorAuthRequest.objects.get().status == Status.IN_REVIEW


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"date_of_service": "2027-02-01"}, "cannot change the date of service of request"),
        ({"items": [(HCPCS, "J3399")]}, "cannot change the therapy of request"),
    ],
)
def test_an_update_that_would_change_what_was_routed_is_a_422(ehr, member, change, said):
    ehr.submit(submit_bundle(member_id=member.member_id))
    answer = ehr.submit(_update(member.member_id, **change))
    assert answer.status_code == 422
    diagnostics = answer.json()["issue"][0]["diagnostics"]
    assert said in diagnostics and "cancel it and send a new Claim" in diagnostics
    pa = PriorAuthRequest.objects.get()
    assert str(pa.date_of_service) == "2027-01-15" and pa.product.hcpcs == "Q2041"
    assert not pa.events.filter(kind=EventKind.UPDATED_BY_EHR).exists()


def test_a_cancel_that_names_no_claim_is_refused(ehr, member):
    bundle = submit_bundle(member_id=member.member_id)
    bundle["entry"][0]["resource"]["status"] = "cancelled"
    answer = ehr.submit(bundle)
    assert answer.status_code == 400 and "Claim.related" in answer.json()["issue"][0]["diagnostics"]
    assert not PriorAuthRequest.objects.exists()
