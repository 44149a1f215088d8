"""POST, GET and DELETE /fhir/Subscription: the handshake, the organization's own filter, bad input."""

from __future__ import annotations

import json

import pytest

from priorauth.pas.subscriptions.models import Status, Subscription
from tests.pas.subscriptions.conftest import NOTIFY_TOKEN, api, subscribe, subscription_resource
from tests.pas.subscriptions.listener import status_type

pytestmark = pytest.mark.django_db


def test_it_creates_an_active_subscription_after_the_handshake(ehr, organization, listener):
    _, token = ehr
    answer = subscribe(token, subscription_resource(listener.url, organization.npi))
    assert answer.status_code == 201, answer.content
    assert answer["Content-Type"].startswith("application/fhir+json")
    body = answer.json()
    assert body["resourceType"] == "Subscription" and body["status"] == "active"
    assert answer["Location"].endswith(f"/fhir/Subscription/{body['id']}")
    (handshake,) = listener.received
    assert handshake.path == "/ehr/notify"
    assert handshake.headers["Authorization"] == NOTIFY_TOKEN
    assert handshake.headers["Content-Type"] == "application/fhir+json"
    assert handshake.body["type"] == "history" and status_type(handshake.body) == "handshake"
    parameters = {p["name"]: p for p in handshake.body["entry"][0]["resource"]["parameter"]}
    assert parameters["subscription"]["valueReference"]["reference"] == f"Subscription/{body['id']}"
    assert parameters["status"]["valueCode"] == "requested"


def test_it_records_an_error_when_the_endpoint_refuses_the_handshake(ehr, organization, listener):
    _, token = ehr
    listener.answers = [500]
    body = subscribe(token, subscription_resource(listener.url, organization.npi)).json()
    assert body["status"] == "error" and body["error"] == "Handshake failed: HTTP 500"
    assert Subscription.objects.get().status == Status.ERROR


def test_it_records_an_error_when_nothing_listens(ehr, organization):
    _, token = ehr
    body = subscribe(token, subscription_resource("http://127.0.0.1:9/", organization.npi)).json()
    assert body["status"] == "error" and body["error"].startswith("Handshake failed: ")


def test_it_refuses_a_filter_naming_another_organization(ehr, other_organization, listener):
    _, token = ehr
    answer = subscribe(token, subscription_resource(listener.url, other_organization.npi))
    assert answer.status_code == 403
    assert answer.json()["resourceType"] == "OperationOutcome"
    assert "your own organization" in answer.json()["issue"][0]["diagnostics"]
    assert not Subscription.objects.exists() and listener.received == []


def test_it_accepts_the_npi_as_a_token_with_its_system(ehr, organization, listener):
    _, token = ehr
    changes = {
        "_criteria": {
            "extension": [
                {
                    "url": "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria",
                    "valueString": f"org-identifier=http://hl7.org/fhir/sid/us-npi|{organization.npi}",
                }
            ]
        }
    }
    assert subscribe(token, subscription_resource(listener.url, "", **changes)).status_code == 201


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"criteria": "http://example.org/SubscriptionTopic/other"}, "Subscription.criteria"),
        ({"_criteria": {}}, "Subscription._criteria.extension"),
        ({"channel": {"type": "websocket"}}, "Subscription.channel.type"),
        ({"channel": "rest-hook"}, "Subscription.channel"),
        ({"end": "next week"}, "Subscription.end"),
        ({"resourceType": "Patient"}, "Subscription"),
    ],
)
def test_it_answers_bad_input_with_an_operation_outcome_naming_where(
    ehr, organization, listener, changes, where
):
    _, token = ehr
    answer = subscribe(token, subscription_resource(listener.url, organization.npi, **changes))
    assert answer.status_code == 400
    (issue,) = answer.json()["issue"]
    assert issue["diagnostics"].startswith(f"{where}:")
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[]", b"null", b"1" * 70_000])
def test_it_never_answers_a_server_error_to_a_body_it_cannot_read(ehr, body):
    _, token = ehr
    answer = api(token).post("/fhir/Subscription", body, content_type="application/fhir+json")
    assert answer.status_code in (400, 413)
    assert answer.json()["resourceType"] == "OperationOutcome"


# Past 2.5 MB (DATA_UPLOAD_MAX_MEMORY_SIZE) Django's `request.body` gives up with an HTML page.
@pytest.mark.parametrize("size", [70_000, 3 * 1024 * 1024])
def test_it_answers_a_body_over_the_limit_with_a_413_operation_outcome(ehr, organization, listener, size):
    _, token = ehr
    resource = json.dumps(subscription_resource(listener.url, organization.npi)).encode()
    body = resource + b" " * (size - len(resource))  # still a valid Subscription, only too long
    answer = api(token).post("/fhir/Subscription", body, content_type="application/fhir+json")
    assert answer.status_code == 413
    assert answer["Content-Type"].startswith("application/fhir+json")
    (issue,) = answer.json()["issue"]
    assert issue["code"] == "too-costly"
    assert issue["diagnostics"] == "Subscription: the body is larger than 64 KB."
    assert not Subscription.objects.exists() and listener.received == []


def test_it_refuses_a_plain_http_endpoint_unless_loopback_is_allowed(ehr, organization, settings):
    settings.PAS_SUBSCRIPTION_ALLOW_LOOPBACK = False
    _, token = ehr
    answer = subscribe(token, subscription_resource("http://127.0.0.1:9/hook", organization.npi))
    assert answer.status_code == 400
    assert answer.json()["issue"][0]["diagnostics"] == "Subscription.channel.endpoint: must be https"


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://127.0.0.1:8443/hook",
        # Other spellings of the loopback address, which the resolver reads as it.
        "https://127.1:8443/hook",
        "https://2130706433:8443/hook",
        "https://0x7f000001/hook",
        "https://0/hook",
        "https://localhost/hook",
        # Private, shared (carrier-grade NAT), link-local (cloud metadata) and mapped addresses.
        "https://10.1.2.3/hook",
        "https://100.64.0.1/hook",
        "https://169.254.169.254/latest",
        "https://[::ffff:192.168.1.1]/hook",
        "https://[::1]/hook",
        # IPv6 forms that carry a private IPv4 address (NAT64, 6to4), and multicast.
        "https://[64:ff9b::a9fe:a9fe]/latest",
        "https://[2002:a00:1::1]/hook",
        "https://224.0.0.1/hook",
    ],
)
def test_it_refuses_an_endpoint_on_this_machine_or_a_private_network(ehr, organization, settings, endpoint):
    settings.PAS_SUBSCRIPTION_ALLOW_LOOPBACK = False
    _, token = ehr
    answer = subscribe(token, subscription_resource(endpoint, organization.npi))
    assert answer.status_code == 400, endpoint
    assert (
        answer.json()["issue"][0]["diagnostics"] == "Subscription.channel.endpoint: must be a public address"
    )
    assert not Subscription.objects.exists()


def test_it_refuses_a_host_that_cannot_be_found(ehr, organization, settings):
    settings.PAS_SUBSCRIPTION_ALLOW_LOOPBACK = False
    _, token = ehr
    answer = subscribe(token, subscription_resource("https://no-such-host.invalid/hook", organization.npi))
    assert answer.status_code == 400
    assert "cannot be found" in answer.json()["issue"][0]["diagnostics"]


def test_it_tells_the_subscriber_no_more_than_that_nothing_answered(ehr, organization):
    _, token = ehr
    body = subscribe(token, subscription_resource("http://127.0.0.1:9/", organization.npi)).json()
    assert body["error"] == "Handshake failed: No answer from the endpoint"


def test_it_answers_401_without_a_valid_token(organization, listener):
    for client in (api("not-a-token"), api("")):
        answer = client.post(
            "/fhir/Subscription",
            subscription_resource(listener.url, organization.npi),
            content_type="application/fhir+json",
        )
        assert answer.status_code == 401
        assert answer["WWW-Authenticate"].startswith("Bearer")
    assert not Subscription.objects.exists()


def test_it_reads_and_deletes_the_organizations_own_subscription(ehr, organization, listener):
    _, token = ehr
    created = subscribe(token, subscription_resource(listener.url, organization.npi)).json()
    url = f"/fhir/Subscription/{created['id']}"
    read = api(token).get(url)
    assert read.status_code == 200
    assert read.json()["channel"]["endpoint"] == listener.url and read.json()["status"] == "active"
    assert api(token).delete(url).status_code == 204
    assert api(token).get(url).status_code == 404
    assert Subscription.objects.get().status == Status.OFF  # kept, switched off


def test_it_hides_another_organizations_subscription(ehr, other_ehr, organization, listener):
    _, token = ehr
    _, other_token = other_ehr
    created = subscribe(token, subscription_resource(listener.url, organization.npi)).json()
    url = f"/fhir/Subscription/{created['id']}"
    assert api(other_token).get(url).status_code == 404
    assert api(other_token).delete(url).status_code == 404
    assert Subscription.objects.get().status == Status.ACTIVE
    assert api(token).get("/fhir/Subscription/not-a-uuid").status_code == 404
