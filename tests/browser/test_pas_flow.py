"""A request from an EHR through the PAS API, reviewed in a real browser (issue 10).

An API client of the demo's Buckeye organization gets a token, subscribes (the handshake
reaches a real listener on 127.0.0.1) and posts a CAR-T Bundle to `Claim/$submit`. The
request appears in the CAR-T queue with its routing trace and "Submitted by EHR (PAS)"; the
demo nurse pends it, and the subscription's notification reaches the listener with A4 and
the CommunicationRequest; office staff answer on the web; the demo physician denies it; and
`Claim/$inquire` answers A3 with the reason.
"""

from __future__ import annotations

import datetime
import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from priorauth.pas.services import api_client_create
from priorauth.pas.subscriptions.models import Subscription
from priorauth.requests.models import PriorAuthRequest, Status
from priorauth.review.models import DenialCode
from tests.browser.helpers import (
    ALL_MET,
    AdverseDetermination,
    CriterionMark,
    answer_information_request,
    assert_accessible,
    claim_request,
    demo_member,
    escalate_request,
    log_in_as,
    log_out,
    open_queue,
    pend_request,
    record_adverse_determination,
    save_screenshot,
    work_checklist,
    write_pdf,
)
from tests.pas.bundles import inquiry_bundle, submit_bundle
from tests.pas.subscriptions.conftest import NOTIFY_TOKEN, subscription_resource
from tests.pas.subscriptions.listener import Listener, focus_bundle, listening, review_action_codes

pytestmark = pytest.mark.browser

DATE_OF_SERVICE = datetime.date(timezone.localdate().year, 12, 15)
MEMBER = "OH-DEMO-0001"
BUCKEYE_NPI = "1642789139"
QUEUE = "Medical necessity: CAR-T"
NEEDED = "PET-CT report after bridging therapy"
DENIAL = AdverseDetermination(
    reason="The PET-CT after bridging therapy shows progressive disease outside the treated field.",
    criteria_section="D.I",
    denial_code=DenialCode.NOT_MEDICALLY_NECESSARY.value,
)


def call(base: str, path: str, body: Any, token: str = "", form: bool = False) -> tuple[int, dict[str, Any]]:
    """Return the status and JSON of a POST to the live server, as an EHR makes it (real HTTP)."""
    if form:
        data, kind = urllib.parse.urlencode(body).encode(), "application/x-www-form-urlencoded"
    else:
        data, kind = json.dumps(body).encode(), "application/fhir+json"
    headers = {"Content-Type": kind, **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(base + path, data=data, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status, json.loads(answer.read())


def ehr_token(base: str) -> str:
    registered = api_client_create(organization_npi=BUCKEYE_NPI, name="Buckeye Epic")
    credentials = {
        "grant_type": "client_credentials",
        "client_id": registered.client.client_id,
        "client_secret": registered.client_secret,
    }
    _, answer = call(base, "/oauth/token/", credentials, form=True)
    return answer["access_token"]


def ehr_submits(base: str, token: str, listener: Listener) -> dict[str, Any]:
    """Return the Bundle the EHR posted, after it subscribed and `$submit` answered A4."""
    status, subscription = call(
        base, "/fhir/Subscription", subscription_resource(listener.url, BUCKEYE_NPI), token
    )
    assert status == 201 and subscription["status"] == "active"
    assert listener.received[0].headers["Authorization"] == NOTIFY_TOKEN  # the handshake
    member = demo_member(MEMBER)
    bundle = submit_bundle(
        member_id=MEMBER,
        birth_date=member.date_of_birth.isoformat(),
        npi=BUCKEYE_NPI,
        claim_id="BUCKEYE-EPIC-0001",
        date_of_service=DATE_OF_SERVICE.isoformat(),
    )
    status, answer = call(base, "/fhir/Claim/$submit", bundle, token)
    assert status == 200 and review_action_codes(answer) == ["A4"]
    return bundle


def nurse_finds_and_pends(page: Page, pa: PriorAuthRequest) -> None:
    log_in_as(page, "nurse")
    open_queue(page, QUEUE)
    row = page.locator(f"#queue-requests tr[data-request='{pa.pk}']")
    expect(row).to_contain_text(pa.number)
    save_screenshot(page, "pas-review-queue")
    row.get_by_role("link", name=pa.number).click()
    expect(page).to_have_url(re.compile(rf"/review/requests/{pa.pk}/$"))
    assert_accessible(page)
    expect(page.get_by_text("Submitted by EHR (PAS)").first).to_be_visible()
    expect(page.locator("#routing-trace li").first).to_be_visible()
    expect(page.locator("#routing-trace")).to_contain_text("MP-AD-1623")
    save_screenshot(page, "pas-review-screen")
    claim_request(page, pa.pk)
    pend_request(page, NEEDED, timezone.localtime() + datetime.timedelta(days=46))
    log_out(page)


def the_pend_notification_arrives(listener: Listener) -> None:
    (received,) = listener.wait_for(1)
    assert received.headers["Authorization"] == NOTIFY_TOKEN
    response = focus_bundle(received.body)
    assert review_action_codes(response) == ["A4"]
    asked = [
        e["resource"] for e in response["entry"] if e["resource"]["resourceType"] == "CommunicationRequest"
    ]
    assert [r["payload"][0]["contentString"] for r in asked] == [NEEDED]


def staff_answer(page: Page, pk: int, tmp_path: Path) -> None:
    log_in_as(page, "staff_buckeye")
    page.goto(f"/requests/{pk}/")
    assert_accessible(page)
    expect(page.get_by_text("Submitted by EHR (PAS)").first).to_be_visible()
    save_screenshot(page, "pas-provider-pended")
    pet_ct = write_pdf(tmp_path / "pet-ct-report.pdf", "PET-CT after bridging therapy")
    answer_information_request(page, pk, "PET-CT attached.", [pet_ct])
    log_out(page)


def nurse_escalates(page: Page, pk: int) -> None:
    """The nurse, who holds the claim, hands the answered request to a physician (nurses never deny)."""
    log_in_as(page, "nurse")
    escalate_request(page, pk, "Progression after bridging: please decide on medical necessity.")
    log_out(page)


def physician_denies(page: Page, pk: int) -> None:
    log_in_as(page, "physician")
    claim_request(page, pk)
    work_checklist(page, [*ALL_MET[:3], CriterionMark("Not met", "pet-ct-report.pdf"), ALL_MET[4]])
    record_adverse_determination(page, DENIAL)
    expect(page.locator("[data-testid=status]")).to_have_text(Status.DENIED.label)
    save_screenshot(page, "pas-denied")
    log_out(page)


def test_it_reviews_a_request_an_ehr_submitted_and_tells_the_ehr(
    page: Page, demo_world, live_server, settings, tmp_path: Path
) -> None:
    settings.PAS_SUBSCRIPTION_ALLOW_LOOPBACK = True
    base = live_server.url
    with listening() as listener:
        token = ehr_token(base)
        bundle = ehr_submits(base, token, listener)
        pa = PriorAuthRequest.objects.get(pas_submissions__claim_value="BUCKEYE-EPIC-0001")
        assert pa.queue.name == QUEUE
        nurse_finds_and_pends(page, pa)
        the_pend_notification_arrives(listener)
        staff_answer(page, pa.pk, tmp_path)
        nurse_escalates(page, pa.pk)
        physician_denies(page, pa.pk)

        status, answer = call(
            base,
            "/fhir/Claim/$inquire",
            inquiry_bundle(
                member_id=MEMBER,
                birth_date=demo_member(MEMBER).date_of_birth.isoformat(),
                npi=BUCKEYE_NPI,
                claim_id="BUCKEYE-EPIC-0001",
                date_of_service=DATE_OF_SERVICE.isoformat(),
            ),
            token,
        )
        assert status == 200 and answer["resourceType"] == "Parameters"
        (returned,) = [p["resource"] for p in answer["parameter"] if p["name"] == "return"]
        assert review_action_codes(returned) == ["A3"]
        notes = returned["entry"][0]["resource"]["processNote"]
        assert any(DENIAL.reason in note["text"] for note in notes)
        # The denial was notified too: pend, then decision, each once.
        assert [review_action_codes(focus_bundle(n.body)) for n in listener.wait_for(2)] == [["A4"], ["A3"]]
        assert Subscription.objects.get().events_since_start == 2
        assert bundle["entry"][0]["resource"]["resourceType"] == "Claim"
