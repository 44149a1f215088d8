"""Bad input, bad tokens, another organization: an OperationOutcome naming the path, nothing written."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from priorauth.pas.services import api_client_create, api_client_revoke
from priorauth.requests.models import PriorAuthRequest
from tests.pas.bundles import EMPTY_ENTRY_BUNDLE, submit_bundle
from tests.pas.conftest import INQUIRE, SUBMIT, token_for


def _diagnostics(answer) -> str:
    body = answer.json()
    assert body["resourceType"] == "OperationOutcome"
    assert answer["Content-Type"] == "application/fhir+json"
    return body["issue"][0]["diagnostics"]


@pytest.mark.parametrize("url", [SUBMIT, INQUIRE])
def test_it_answers_the_empty_entry_bundle_with_a_400_operation_outcome(ehr, url):
    answer = ehr.post(url, EMPTY_ENTRY_BUNDLE)
    assert answer.status_code == 400
    assert _diagnostics(answer).startswith("Bundle.entry")


def _claim_without(field: str, member) -> dict:
    bundle = submit_bundle(member_id=member.member_id)
    del bundle["entry"][0]["resource"][field]
    return bundle


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda m: None, "Bundle"),
        (lambda m: {"resourceType": "Patient"}, "Bundle"),
        (
            lambda m: {
                **submit_bundle(member_id=m.member_id),
                "entry": submit_bundle(member_id=m.member_id)["entry"][1:],
            },
            "Bundle.entry[0]",
        ),
        (lambda m: _claim_without("patient", m), "Bundle.entry[0].resource.patient"),
        (lambda m: _claim_without("provider", m), "Bundle.entry[0].resource.provider"),
        (lambda m: _claim_without("insurer", m), "Claim.insurer"),
        (lambda m: _claim_without("item", m), "Claim.item"),
        (
            lambda m: {
                **submit_bundle(member_id=m.member_id),
                "entry": submit_bundle(member_id=m.member_id)["entry"][:2],
            },
            "Claim.insurer",
        ),
        (lambda m: submit_bundle(member_id=m.member_id, diagnoses=("Z99.999",)), "Claim.diagnosis[0]"),
    ],
)
def test_it_refuses_bad_bundles_naming_the_path_and_writes_nothing(ehr, member, mutate, path):
    body = mutate(member)
    answer = ehr.post(SUBMIT, body, raw=b"not json" if body is None else None)
    assert answer.status_code == 400
    assert _diagnostics(answer).startswith(path)
    assert not PriorAuthRequest.objects.exists()


def test_it_names_a_wrong_type_by_its_path(ehr, member):
    bundle = submit_bundle(member_id=member.member_id)
    bundle["entry"][0]["resource"]["item"][0]["sequence"] = "one"
    assert _diagnostics(ehr.submit(bundle)).startswith("Bundle.entry[0].resource.item[0].sequence")


def test_it_refuses_a_body_over_the_limit(ehr, settings, monkeypatch):
    monkeypatch.setattr("priorauth.limits.PAS_BUNDLE_BYTES", 1000)
    answer = ehr.post(SUBMIT, None, raw=b"{" + b" " * 2000 + b"}")
    assert answer.status_code == 413 and "larger than" in _diagnostics(answer)


def test_it_refuses_another_organizations_provider_with_403(ehr, member, other_organization):
    answer = ehr.submit(submit_bundle(member_id=member.member_id, npi=other_organization.npi))
    assert answer.status_code == 403
    assert "Claim.provider" in _diagnostics(answer)
    assert not PriorAuthRequest.objects.exists()


@pytest.mark.parametrize("url", [SUBMIT, INQUIRE])
def test_it_answers_401_without_a_token_or_with_a_bad_one(client, seed, url):
    assert client.post(url, "{}", content_type="application/fhir+json").status_code == 401
    bad = client.post(url, "{}", content_type="application/fhir+json", HTTP_AUTHORIZATION="Bearer nope")
    assert bad.status_code == 401 and bad["WWW-Authenticate"] == "Bearer"
    assert _diagnostics(bad)


def test_it_answers_get_on_an_operation_with_405(ehr):
    assert ehr.client.get(SUBMIT).status_code == 405


def test_the_token_answer_has_the_contracted_shape(client, registered):
    answer = client.post(
        "/oauth/token/",
        {
            "grant_type": "client_credentials",
            "client_id": registered.client.client_id,
            "client_secret": registered.client_secret,
        },
    )
    body = answer.json()
    assert body["token_type"] == "Bearer" and body["access_token"] and body["expires_in"] > 0


def test_it_refuses_an_expired_token(ehr, member):
    # Tokens are stored hashed (RFC 9700): the client's one token is found by its application.
    tokens = AccessToken.objects.filter(application=ehr.api_client.application)
    assert tokens.count() == 1
    tokens.update(expires=timezone.now() - datetime.timedelta(seconds=1))
    assert ehr.submit(submit_bundle(member_id=member.member_id)).status_code == 401


def test_a_revoked_client_is_refused_and_gets_no_new_token(ehr, member, client, registered):
    api_client_revoke(client=registered.client)
    assert ehr.submit(submit_bundle(member_id=member.member_id)).status_code == 401
    answer = client.post(
        "/oauth/token/",
        {
            "grant_type": "client_credentials",
            "client_id": registered.client.client_id,
            "client_secret": registered.client_secret,
        },
    )
    assert answer.status_code == 401


def test_the_token_endpoint_takes_http_basic(client, organization):
    import base64

    made = api_client_create(organization_npi=organization.npi, name="Basic EHR")
    credentials = base64.b64encode(f"{made.client.client_id}:{made.client_secret}".encode()).decode()
    answer = client.post(
        "/oauth/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {credentials}"
    )
    assert answer.status_code == 200 and answer.json()["token_type"] == "Bearer"
    assert token_for(client, made.client.client_id, made.client_secret)


def test_the_metadata_names_the_operations_and_the_token_url(client):
    answer = client.get("/fhir/metadata")
    body = answer.json()
    assert answer.status_code == 200 and answer["Content-Type"] == "application/fhir+json"
    rest = body["rest"][0]
    claim = next(r for r in rest["resource"] if r["type"] == "Claim")
    assert {o["name"] for o in claim["operation"]} == {"submit", "inquire"}
    subscription = next(r for r in rest["resource"] if r["type"] == "Subscription")
    assert {i["code"] for i in subscription["interaction"]} == {"create", "read", "delete"}
    assert rest["security"]["extension"][0]["extension"][0]["valueUri"].endswith("/oauth/token/")


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data"],
)
@pytest.mark.parametrize("url", [SUBMIT, INQUIRE, "/fhir/Subscription"])
def test_it_answers_a_body_that_is_not_json_with_415(ehr, member, url, content_type):
    body = json.dumps(submit_bundle(member_id=member.member_id))
    if content_type == "multipart/form-data":
        content_type += "; boundary=x"  # a body that is no multipart: it must not even be parsed
    answer = ehr.client.post(url, body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {ehr.token}")
    assert answer.status_code == 415
    assert answer.json()["resourceType"] == "OperationOutcome"
    assert "application/fhir+json" in answer.json()["issue"][0]["diagnostics"]
    assert not PriorAuthRequest.objects.exists()


def test_it_takes_plain_json_too(ehr, member):
    body = json.dumps(submit_bundle(member_id=member.member_id))
    answer = ehr.client.post(
        SUBMIT, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {ehr.token}"
    )
    assert answer.status_code == 200


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer abc.DEF-123", "abc.DEF-123"),
        ("bearer abc", "abc"),  # the scheme is case-insensitive (RFC 7235 2.1)
        ("Bearer  abc ", "abc"),
        ("Basic abc", None),
        ("Bearer", None),
        ("Bearer a b", None),
        ("", None),
    ],
)
def test_it_reads_the_bearer_token_of_the_authorization_header(rf, header, token):
    from priorauth.pas.auth import bearer_token

    assert bearer_token(rf.post("/", HTTP_AUTHORIZATION=header)) == token


def test_a_token_of_an_application_that_is_no_api_client_is_refused(client, seed):
    from oauth2_provider.models import Application

    application = Application.objects.create(
        name="Not an EHR", client_type="confidential", authorization_grant_type="client-credentials"
    )
    AccessToken.objects.create(
        application=application,
        token="not-an-ehr-token",
        expires=timezone.now() + datetime.timedelta(hours=1),
    )
    # The token itself is found and valid: only the missing API client refuses it.
    assert AccessToken.objects.get(application=application).is_valid([])
    answer = client.post(
        SUBMIT, "{}", content_type="application/fhir+json", HTTP_AUTHORIZATION="Bearer not-an-ehr-token"
    )
    assert answer.status_code == 401


def _with_quantity(member, text: str) -> bytes:
    bundle = submit_bundle(member_id=member.member_id)
    bundle["entry"][0]["resource"]["item"][0]["quantity"] = {"value": 1}
    return (
        json.dumps(bundle)
        .encode()
        .replace(b'"quantity": {"value": 1}', b'"quantity": {"value": ' + text.encode() + b"}")
    )


@pytest.mark.parametrize("number", ["1e400", "NaN", "-Infinity", "1" * 401, "1234567890123456789"])
@pytest.mark.parametrize("url", [SUBMIT, INQUIRE])
def test_a_number_fhir_cannot_hold_is_a_400(ehr, member, number, url):
    answer = ehr.post(url, None, raw=_with_quantity(member, number))
    assert answer.status_code == 400
    assert "is not one FHIR accepts" in _diagnostics(answer) or "not JSON" in _diagnostics(answer)
    assert not PriorAuthRequest.objects.exists()


@pytest.mark.parametrize("unstorable", ["\u0000", "\ud800", "\udfff"])
def test_a_nul_character_or_a_lone_surrogate_in_a_string_is_a_400(ehr, member, unstorable):
    bundle = submit_bundle(member_id=member.member_id)
    bundle["entry"][1]["resource"]["name"] = [{"family": f"Love{unstorable}lace"}]
    answer = ehr.submit(bundle)
    assert answer.status_code == 400 and "NUL character or a lone surrogate" in _diagnostics(answer)
    assert not PriorAuthRequest.objects.exists()


def test_too_many_entries_is_a_400_before_anything_is_read(ehr, member):
    from priorauth import limits

    bundle = submit_bundle(member_id=member.member_id)
    bundle["entry"] += [{"fullUrl": f"urn:uuid:{n}"} for n in range(limits.PAS_BUNDLE_ENTRIES)]
    answer = ehr.submit(bundle)
    assert answer.status_code == 400
    assert _diagnostics(answer) == "Bundle.entry: a Bundle may hold at most 1,000 entries"


@pytest.mark.parametrize(
    ("change", "diagnostics"),
    [
        (lambda b: b.update(entry=[1, 2]), "Bundle.entry[0]: has the wrong JSON type: an object is expected"),
        (lambda b: b.update(type=5), "Bundle.type: has the wrong JSON type: a string is expected"),
        (
            lambda b: b["entry"][0]["resource"]["item"][0].update(sequence="one"),
            "Bundle.entry[0].resource.item[0].sequence: has the wrong JSON type: a whole number is expected",
        ),
        (
            lambda b: b["entry"][0].update(resource=5),
            "Bundle.entry[0].resource: has the wrong JSON type: an object (or a list of objects) is expected",
        ),
    ],
)
def test_a_value_of_the_wrong_json_type_is_named_in_plain_words(ehr, member, change, diagnostics):
    bundle = submit_bundle(member_id=member.member_id)
    change(bundle)
    answer = ehr.submit(bundle)
    assert answer.status_code == 400 and _diagnostics(answer) == diagnostics


def test_a_claim_identifier_too_long_to_keep_is_a_400(ehr, member):
    answer = ehr.submit(submit_bundle(member_id=member.member_id, claim_id="C" * 256))
    assert answer.status_code == 400 and _diagnostics(answer).startswith("Claim.identifier:")
    assert not PriorAuthRequest.objects.exists()


def test_a_token_bound_to_another_resource_is_refused(ehr, member):
    # RFC 8707: a token asked for with `resource=` is good only there.
    tokens = AccessToken.objects.filter(application=ehr.api_client.application)
    tokens.update(resource=["https://other.example.org/api"])
    assert ehr.submit(submit_bundle(member_id=member.member_id)).status_code == 401
    tokens.update(resource=["http://testserver/fhir/"])
    assert ehr.submit(submit_bundle(member_id=member.member_id)).status_code == 200


@pytest.mark.parametrize("path", ["/fhir/", "/fhir/Claim", "/fhir/Subscription/", "/fhir/Patient/1"])
@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
def test_a_path_under_fhir_that_names_nothing_is_a_404_operation_outcome(client, seed, path, method):
    from django.test import Client

    csrf_checking = Client(enforce_csrf_checks=True)
    body = {} if method == "get" else {"data": "{}", "content_type": "application/fhir+json"}
    answer = getattr(csrf_checking, method)(path, **body)
    assert answer.status_code == 404
    assert "GET /fhir/metadata" in _diagnostics(answer)


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_writing_to_the_metadata_is_a_405_not_a_csrf_page(seed, method):
    from django.test import Client

    answer = getattr(Client(enforce_csrf_checks=True), method)(
        "/fhir/metadata", "{}", content_type="application/json"
    )
    assert answer.status_code == 405 and answer["Allow"] == "GET"
    assert _diagnostics(answer) == "metadata takes a GET."
