"""`Claim/$submit`: a CAR-T Bundle becomes a routed request; the answer passes the Inferno checks."""

from __future__ import annotations

from priorauth.audit.models import Kind, PhiAccess
from priorauth.pas.models import PasSubmission
from priorauth.pas.profile_rules import response_problems, review_action_codes
from priorauth.requests.models import EventKind, PriorAuthRequest, Status
from tests.pas.bundles import CPT, GENE_THERAPY, STEM_CELL_TRANSPLANT, submit_bundle
from tests.requests.conftest import pdf_bytes


def test_it_routes_a_car_t_bundle_like_a_web_request_and_answers_a4(ehr, member):
    answer = ehr.submit(submit_bundle(member_id=member.member_id))
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "application/fhir+json"
    bundle = answer.json()
    assert response_problems(bundle) == []
    claim_response = bundle["entry"][0]["resource"]
    pa = PriorAuthRequest.objects.get()
    assert pa.status == Status.IN_REVIEW and pa.queue is not None and pa.decision["trace"]
    assert pa.product.hcpcs == "Q2041" and pa.diagnoses == ["C83.30"]
    assert pa.submitted_by.api_client == ehr.api_client
    assert claim_response["preAuthRef"] == pa.number
    assert claim_response["use"] == "preauthorization" and claim_response["status"] == "active"
    assert claim_response["outcome"] == "complete"
    assert [item["itemSequence"] for item in claim_response["item"]] == [1]
    assert review_action_codes(claim_response["item"][0]) == ["A4"]
    assert claim_response["identifier"] == [{"system": "urn:trnorg:1234567893", "value": "CART-0001"}]
    assert PasSubmission.objects.get().request == pa
    assert PhiAccess.objects.filter(kind=Kind.PAS_ANSWER, request_id=pa.pk).exists()


def test_it_echoes_every_referenced_resource_once_with_the_same_full_url(ehr, member):
    sent = submit_bundle(member_id=member.member_id)
    bundle = ehr.submit(sent).json()
    urls = {entry["fullUrl"] for entry in bundle["entry"][1:]}
    patient, provider, payer = (sent["entry"][i]["fullUrl"] for i in (1, 2, 3))
    assert {patient, provider, payer} <= urls
    assert len(urls) == len(bundle["entry"]) - 1
    assert bundle["type"] == "collection" and bundle["identifier"] and bundle["timestamp"]


def test_it_answers_urn_uuid_bundles_too(ehr, member):
    bundle = ehr.submit(submit_bundle(member_id=member.member_id, uuid_urls=True)).json()
    assert response_problems(bundle) == []


def test_it_answers_every_item(ehr, member):
    items = [("http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "Q2041"), (CPT, "0540T")]
    claim_response = ehr.submit(submit_bundle(member_id=member.member_id, items=items)).json()["entry"][0][
        "resource"
    ]
    assert [item["itemSequence"] for item in claim_response["item"]] == [1, 2]
    assert all(review_action_codes(item) == ["A4"] for item in claim_response["item"])


def test_it_routes_gene_therapy_and_stem_cell_transplants(ehr, member):
    ehr.submit(
        submit_bundle(member_id=member.member_id, claim_id="GT-1", items=GENE_THERAPY, diagnoses=("G12.0",))
    )
    ehr.submit(submit_bundle(member_id=member.member_id, claim_id="SCT-1", items=STEM_CELL_TRANSPLANT))
    gene, transplant = PriorAuthRequest.objects.order_by("pk")
    assert gene.product.hcpcs == "J3399"
    assert transplant.category == "stem_cell_transplant" and transplant.routing_key == "transplant"


def test_it_sends_an_unknown_code_to_triage_saying_why(ehr, member):
    answer = ehr.submit(submit_bundle(member_id=member.member_id, items=[(CPT, "99213")]))
    assert answer.status_code == 200
    pa = PriorAuthRequest.objects.get()
    assert pa.routing_key == "triage" and pa.queue.code == "triage"
    assert "99213" in pa.decision["trace"][0]["result"]


def test_it_makes_an_urgent_request_expedited_and_records_the_ehr_marked_it(ehr, member):
    ehr.submit(submit_bundle(member_id=member.member_id, urgent=True))
    pa = PriorAuthRequest.objects.get()
    assert pa.urgency == "expedited"
    assert "marked this request urgent" in pa.expedited_statement


def test_it_takes_the_statement_from_free_text(ehr, member):
    ehr.submit(
        submit_bundle(
            member_id=member.member_id, urgent=True, texts=("Rapid progression; waiting risks life.",)
        )
    )
    assert PriorAuthRequest.objects.get().expedited_statement == "Rapid progression; waiting risks life."


def test_it_answers_an_unknown_member_with_an_error_and_creates_nothing(ehr, member):
    answer = ehr.submit(submit_bundle(member_id=member.member_id, birth_date="1970-01-01"))
    assert answer.status_code == 200
    claim_response = answer.json()["entry"][0]["resource"]
    assert claim_response["outcome"] == "error"
    assert claim_response["error"][0]["code"]["coding"][0]["code"] == "75"
    assert "preAuthRef" not in claim_response
    assert not PriorAuthRequest.objects.exists()


def test_it_records_the_submission_event(ehr, member):
    ehr.submit(submit_bundle(member_id=member.member_id))
    kinds = list(PriorAuthRequest.objects.get().events.values_list("kind", flat=True))
    assert EventKind.SUBMITTED in kinds and EventKind.ROUTED in kinds


def test_an_api_client_is_held_to_its_own_lookup_limit(ehr, member, settings):
    settings.PAS_LOOKUPS_PER_WINDOW = 2
    for n in range(2):
        assert ehr.submit(submit_bundle(member_id=member.member_id, claim_id=f"CART-{n}")).status_code == 200
    refused = ehr.submit(submit_bundle(member_id=member.member_id, claim_id="CART-9"))
    assert refused.status_code == 429
    assert "2 member lookups in the last 10 minutes" in refused.json()["issue"][0]["diagnostics"]


def test_its_timeline_reads_like_a_web_submission_with_its_documents(ehr, member):
    bundle = submit_bundle(member_id=member.member_id, documents=(pdf_bytes("Pathology"),))
    assert ehr.submit(bundle).status_code == 200
    pa = PriorAuthRequest.objects.get()
    assert list(pa.events.values_list("kind", flat=True)) == [
        EventKind.CREATED,
        EventKind.ATTACHMENT_ADDED,
        EventKind.DRAFT_SAVED,
        EventKind.SUBMITTED,
        EventKind.ROUTED,
    ]
    assert pa.attachments.count() == 1
