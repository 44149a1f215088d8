"""Event notifications: written with the pend or the decision, sent through the outbox to a real listener.

The rows are written in the review's transaction and handed over on commit (Celery in-process
here; test_worker.py goes through Redis and a worker): retried after a 500, sent once.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from priorauth.appeals.services import appeal_decide, appeal_file
from priorauth.audit.models import Kind, PhiAccess
from priorauth.members.models import Role
from priorauth.notifications import delivery
from priorauth.notifications.models import Channel, DeliveryStatus, Event, Notification
from priorauth.notifications.services import notify_request_event
from priorauth.pas.answer import echo_of
from priorauth.pas.models import ApiClient, PasSubmission
from priorauth.pas.services import api_client_revoke
from priorauth.pas.subscriptions.models import Subscription
from priorauth.policies.models import ReviewQueue
from priorauth.requests.models import PriorAuthRequest
from priorauth.review import services as review
from priorauth.review.determinations import deemed_approvals_record, determination_record
from priorauth.review.models import QueueAssignment
from tests.appeals.world import overturn
from tests.conftest import make_user
from tests.pas.bundles import submit_bundle
from tests.pas.subscriptions.conftest import NOTIFY_TOKEN, api, subscribe, subscription_resource
from tests.pas.subscriptions.listener import focus_bundle, review_action_codes
from tests.review.world import MONDAY, claimed, denial, member_in, seed, submitted  # noqa: F401 (fixture)

QUESTION = "Please send the latest PET-CT report."


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def submitted_by(client: ApiClient, staff, state: str = "OH") -> PriorAuthRequest:
    """Return a request submitted now and recorded as the API client's (as `$submit` records it)."""
    pa = submitted(staff, state)
    PasSubmission.objects.create(
        request=pa,
        api_client=client,
        claim_system="urn:trnorg:test",
        claim_value=f"claim-{pa.pk}",
        bundle_digest="0" * 64,
        echo=echo_of(pa),
    )
    return pa


@pytest.fixture
def subscribed(seed, ehr, organization, listener) -> Subscription:
    _, token = ehr
    assert subscribe(token, subscription_resource(listener.url, organization.npi)).status_code == 201
    return Subscription.objects.get()


def pend(nurse, pa: PriorAuthRequest) -> None:
    review.review_pend(user=nurse, request_id=pa.pk, needed=QUESTION, respond_by=MONDAY + days(50))


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def hook_rows() -> list[Notification]:
    return list(Notification.objects.filter(channel=Channel.REST_HOOK).order_by("pk"))


def test_it_notifies_a_pend_with_a4_and_the_communication_request(
    clock, ehr, provider_staff, nurse, subscribed, listener, django_capture_on_commit_callbacks
):
    pa = claimed(nurse, submitted_by(ehr[0], provider_staff))
    with django_capture_on_commit_callbacks(execute=True):
        pend(nurse, pa)
    (received,) = listener.wait_for(1)
    assert received.headers["Authorization"] == NOTIFY_TOKEN
    assert received.headers["Content-Type"] == "application/fhir+json"
    notification = received.body
    assert notification["type"] == "history"
    assert notification["entry"][0]["resource"]["resourceType"] == "Parameters"
    response = focus_bundle(notification)
    assert response["type"] == "collection"
    assert response["entry"][0]["resource"]["resourceType"] == "ClaimResponse"
    assert review_action_codes(response) == ["A4"]
    (asked,) = [
        e["resource"] for e in response["entry"] if e["resource"]["resourceType"] == "CommunicationRequest"
    ]
    assert asked["payload"][0]["contentString"] == QUESTION
    (row,) = hook_rows()
    assert row.status == DeliveryStatus.SENT and row.event == Event.PENDED and row.recipient is None
    # The row holds ids, never health information: the Bundle is built when it is sent.
    assert set(row.context) == {"subscription_id", "event_number", "target"}
    # The disclosure is logged, read by the subscribing client's own account.
    (logged,) = PhiAccess.objects.filter(kind=Kind.PAS_ANSWER, request_id=pa.pk)
    assert logged.username == f"pas-client-{ehr[0].pk}"


def test_it_notifies_a_denial_with_a3_and_the_reason(
    clock, ehr, provider_staff, physician, subscribed, listener, django_capture_on_commit_callbacks
):
    pa = claimed(physician, submitted_by(ehr[0], provider_staff))
    with django_capture_on_commit_callbacks(execute=True):
        determination_record(user=physician, request_id=pa.pk, **denial())
    (received,) = listener.wait_for(1)
    response = focus_bundle(received.body)
    assert review_action_codes(response) == ["A3"]
    notes = response["entry"][0]["resource"]["processNote"]
    assert any(denial()["reason"] in note["text"] for note in notes)
    parameters = {p["name"]: p for p in received.body["entry"][0]["resource"]["parameter"]}
    assert parameters["events-since-subscription-start"]["valueString"] == "1"


def test_it_notifies_an_approval_by_operation_of_law_with_a1(
    clock, ehr, provider_staff, subscribed, listener, django_capture_on_commit_callbacks
):
    pa = submitted_by(ehr[0], provider_staff, "GA")  # Georgia: approved when its 7 days pass
    with django_capture_on_commit_callbacks(execute=True):
        assert deemed_approvals_record(now=MONDAY + days(7)) == 1
    (received,) = listener.wait_for(1)
    assert review_action_codes(focus_bundle(received.body)) == ["A1"]
    assert [row.event for row in hook_rows()] == [Event.DETERMINED]
    assert hook_rows()[0].request_id == pa.pk


def test_it_notifies_an_appeal_overturned_with_a1(
    clock, ehr, provider_staff, physician, subscribed, listener, django_capture_on_commit_callbacks
):
    pa = claimed(physician, submitted_by(ehr[0], provider_staff))
    determination_record(user=physician, request_id=pa.pk, **denial())
    appeal = appeal_file(user=provider_staff, request_id=pa.pk, member_consents=True, reason="New PET-CT.")
    second = make_user("dr_okafor", Role.PHYSICIAN_REVIEWER)
    QueueAssignment.objects.create(reviewer=second, queue=ReviewQueue.objects.get(code="appeals"))
    with django_capture_on_commit_callbacks(execute=True):
        appeal_decide(user=second, appeal_id=appeal.pk, mismatch_confirmed=True, **overturn())
    (received,) = listener.wait_for(1)
    assert review_action_codes(focus_bundle(received.body)) == ["A1"]
    assert [row.event for row in hook_rows()] == [Event.DETERMINED, Event.APPEAL_DECIDED]
    assert hook_rows()[1].status == DeliveryStatus.SENT


def test_a_revoked_clients_subscription_hears_nothing(
    clock, ehr, provider_staff, physician, subscribed, listener, django_capture_on_commit_callbacks
):
    pa = claimed(physician, submitted_by(ehr[0], provider_staff))
    api_client_revoke(client=ehr[0])
    with django_capture_on_commit_callbacks(execute=True):
        determination_record(user=physician, request_id=pa.pk, **denial())
    assert hook_rows() == []


def test_a_row_written_before_the_client_was_revoked_is_not_sent(
    clock, ehr, provider_staff, physician, subscribed, listener
):
    pa = claimed(physician, submitted_by(ehr[0], provider_staff))
    determination_record(user=physician, request_id=pa.pk, **denial())
    (row,) = hook_rows()
    api_client_revoke(client=ehr[0])
    delivery.notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED and "revoked" in row.last_error
    assert listener.notifications() == []


def test_it_writes_the_row_in_the_decisions_transaction_and_nothing_when_it_rolls_back(
    clock, ehr, provider_staff, physician, subscribed, listener
):
    pa = claimed(physician, submitted_by(ehr[0], provider_staff))
    with pytest.raises(review.ReviewError):
        # A denial without its reason is refused: nothing is written, no notification either.
        determination_record(user=physician, request_id=pa.pk, **denial(reason=""))
    assert hook_rows() == []
    determination_record(user=physician, request_id=pa.pk, **denial())
    assert [row.status for row in hook_rows()] == [DeliveryStatus.PENDING]  # sent once committed


def test_it_retries_after_the_listener_answers_500_once(
    clock, ehr, provider_staff, nurse, subscribed, listener, django_capture_on_commit_callbacks
):
    pa = claimed(nurse, submitted_by(ehr[0], provider_staff))
    listener.answers = [500]
    with django_capture_on_commit_callbacks(execute=True):
        pend(nurse, pa)
    (row,) = hook_rows()
    assert row.status == DeliveryStatus.PENDING and row.attempts == 1 and row.last_error == "HTTP 500"
    # Past its backoff and the relay's minute, the relay hands it over again.
    clock.shift(delivery.backoff_seconds(1) + delivery.RELAY_AFTER.total_seconds() + 1)
    assert row.pk in delivery.notifications_relay(now=timezone.now())
    assert delivery.notification_deliver(notification_id=row.pk).state == "sent"
    assert len(listener.wait_for(2)) == 2
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.attempts == 2


def test_it_sends_nothing_twice(
    clock, ehr, provider_staff, nurse, subscribed, listener, django_capture_on_commit_callbacks
):
    pa = claimed(nurse, submitted_by(ehr[0], provider_staff))
    with django_capture_on_commit_callbacks(execute=True):
        pend(nurse, pa)
    (row,) = hook_rows()
    # The task run again, the event written again, an administrator's resend: all find it sent.
    assert delivery.notification_deliver(notification_id=row.pk).state == "skipped"
    with django_capture_on_commit_callbacks(execute=True):
        notify_request_event(request=PriorAuthRequest.objects.get(pk=pa.pk), event=Event.PENDED, actor=nurse)
    assert delivery.notifications_resend(notification_ids=[row.pk], uncertain=True) == 0
    assert hook_rows() == [row]
    assert len(listener.wait_for(1)) == 1 and len(listener.notifications()) == 1


def test_it_tells_only_the_submitting_clients_organization(
    clock,
    ehr,
    other_ehr,
    provider_staff,
    other_staff,
    other_organization,
    nurse,
    subscribed,
    listener,
    django_capture_on_commit_callbacks,
):
    _, other_token = other_ehr
    assert (
        subscribe(other_token, subscription_resource(listener.url, other_organization.npi)).status_code == 201
    )
    theirs = Subscription.objects.exclude(pk=subscribed.pk).get()
    pa = claimed(nurse, submitted_by(ehr[0], provider_staff))
    with django_capture_on_commit_callbacks(execute=True):
        pend(nurse, pa)
    assert [row.context["subscription_id"] for row in hook_rows()] == [subscribed.pk]
    assert theirs.pk not in [row.context["subscription_id"] for row in hook_rows()]


def test_it_tells_no_subscriber_of_a_request_made_on_the_web_form(
    clock, provider_staff, nurse, subscribed, listener, django_capture_on_commit_callbacks
):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    with django_capture_on_commit_callbacks(execute=True):
        pend(nurse, pa)
    assert hook_rows() == [] and listener.notifications() == []


def test_it_tells_a_deleted_subscription_nothing(
    clock, ehr, provider_staff, nurse, subscribed, listener, django_capture_on_commit_callbacks
):
    pa = claimed(nurse, submitted_by(ehr[0], provider_staff))
    review.review_pend(user=nurse, request_id=pa.pk, needed=QUESTION, respond_by=MONDAY + days(50))
    (row,) = hook_rows()
    Subscription.objects.filter(pk=subscribed.pk).update(status="off")
    # Written before the subscription was switched off: refused at send time, never retried.
    assert delivery.notification_deliver(notification_id=row.pk).state == "failed"
    assert listener.notifications() == []


def test_it_runs_the_pended_workflow_from_submit_to_the_notification(
    clock, ehr, organization, provider_staff, nurse, subscribed, listener, django_capture_on_commit_callbacks
):
    """Inferno's pended workflow: `$submit` answers A4, then the notification carries the pend."""
    member_in("OH")
    bundle = submit_bundle(member_id="OH2000001", npi=organization.npi, claim_id="PEND-1")
    answer = api(ehr[1]).post("/fhir/Claim/$submit", bundle, content_type="application/fhir+json")
    assert answer.status_code == 200, answer.content
    assert review_action_codes(answer.json()) == ["A4"]
    pa = claimed(nurse, PriorAuthRequest.objects.get())
    with django_capture_on_commit_callbacks(execute=True):
        pend(nurse, pa)
    (received,) = listener.wait_for(1)
    response = focus_bundle(received.body)
    assert review_action_codes(response) == ["A4"]
    kinds = [entry["resource"]["resourceType"] for entry in response["entry"]]
    assert kinds[0] == "ClaimResponse" and "CommunicationRequest" in kinds
    # The answer echoes the request's own resources, with the fullUrls the EHR gave them.
    patient_url = next(e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    assert patient_url in [entry["fullUrl"] for entry in response["entry"]]
