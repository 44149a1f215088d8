"""Determination letters: what the notice says, the PDF, and who may read it."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from priorauth.letters.content import build_letter
from priorauth.members.models import CoveragePeriod, Member, Plan, User
from priorauth.policies.models import TimeframeRule
from priorauth.requests import services
from priorauth.requests.models import PriorAuthRequest
from priorauth.review.models import DenialCode, Determination, Outcome, QueueAssignment
from tests.conftest import PASSWORD
from tests.requests.conftest import car_t_details, start_draft

REASON = (
    "The records show active central nervous system lymphoma; the criteria exclude CAR-T for "
    "members with active CNS disease."
)
P2P = "Call the medical director line at 1-800-555-0199, Monday to Friday 8 AM to 5 PM, within 14 days."
INDIANA_RULE = "IC 27-1-37.5-23"


def submit(user: User, member: Member, records: dict[str, Any], **changes: Any) -> PriorAuthRequest:
    pa = start_draft(user, member)
    services.request_save_draft(user=user, request_id=pa.pk, details=car_t_details(records, **changes))
    return services.request_submit(user=user, request_id=pa.pk, attested=True)


def decide(pa: PriorAuthRequest, decided_by: User | None, **fields: Any) -> Determination:
    """Record a determination row directly (the review services are built separately)."""
    PriorAuthRequest.objects.filter(pk=pa.pk).update(status=fields["outcome"])
    fields.setdefault("decided_at", timezone.now())
    return Determination.objects.create(request=pa, decided_by=decided_by, **fields)


def denial(physician: User, **changes: Any) -> dict[str, Any]:
    fields = {
        "outcome": Outcome.DENIED,
        "reason": REASON,
        "criteria_policy": "MP-CAR-T-001 Chimeric Antigen Receptor T-cell Therapy",
        "criteria_section": "D.2.c",
        "denial_code": DenialCode.NOT_MEDICALLY_NECESSARY,
        "peer_to_peer_offered": True,
        "peer_to_peer_instructions": P2P,
    }
    return fields | changes


def letter_text(pa: PriorAuthRequest) -> str:
    pa = PriorAuthRequest.objects.select_related("member__plan", "product", "organization").get(pk=pa.pk)
    determination = Determination.objects.select_related("decided_by").get(request=pa)
    return build_letter(pa, determination).text()


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def submitted(provider_staff, member, records) -> PriorAuthRequest:
    return submit(provider_staff, member, records)


@pytest.fixture
def indiana_member(records) -> Member:
    TimeframeRule.objects.create(
        urgency="standard",
        state="IN",
        unit="business_hours",
        amount=48,
        missed="deemed_approved",
        source=INDIANA_RULE,
    )
    plan = Plan.objects.create(
        code="IN-MKT-GOLD", name="Indiana Marketplace Gold", line_of_business="marketplace", state="IN"
    )
    member = Member.objects.create(
        member_id="IN2000002",
        first_name="Katherine",
        last_name="Johnson",
        date_of_birth=datetime.date(1970, 8, 26),
        plan=plan,
    )
    CoveragePeriod.objects.create(
        member=member, start=datetime.date(2026, 1, 1), end=datetime.date(2027, 12, 31)
    )
    return member


def login(client, user: User) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def test_it_gives_an_ohio_physician_denial_everything_a_notice_carries(submitted, physician):
    physician.first_name, physician.last_name = "Raj", "Patel"
    physician.save()
    decide(submitted, physician, **denial(physician))
    text = flat(letter_text(submitted))
    assert "Your request is denied." in text
    assert "A3 - not certified" in text
    assert REASON in text
    assert "MP-CAR-T-001 Chimeric Antigen Receptor T-cell Therapy, section D.2.c" in text
    assert "free copy of the criteria" in text
    assert "MN01 - The request does not meet the medical necessity criteria" in text
    assert "Raj Patel, physician reviewer (medical director), is available to discuss it" in text
    assert P2P in text
    assert "within 180 days of getting this letter" in text
    assert "expedited appeal" in text and "within 72 hours" in text
    assert "within 4 months of our final decision" in text
    assert "Ohio Department of Insurance" in text and "1-800-686-1526" in text
    assert "Indiana" not in text
    assert "guarantee of payment" not in text  # the sentence is for outcomes that let care go ahead


def test_it_addresses_the_member_and_the_treating_provider_with_the_request_identifiers(
    submitted, physician, organization
):
    decide(submitted, physician, **denial(physician))
    text = letter_text(submitted)
    assert "Ada Lovelace, member" in text
    assert f"Dr. Grace Hopper (NPI 1234567893), treating provider, {organization.name}" in text
    for fact in [submitted.number, "OH1000001", "April 21, 1961", "Yescarta", "Q2041", "January 15, 2027"]:
        assert fact in text


def test_a_request_with_no_ordering_provider_name_addresses_the_treating_provider_once(
    submitted, physician, organization
):
    PriorAuthRequest.objects.filter(pk=submitted.pk).update(ordering_name="")
    submitted.refresh_from_db()
    decide(submitted, physician, **denial(physician))
    text = letter_text(submitted)
    assert f"The treating provider (NPI 1234567893), {organization.name}" in text
    assert "treating provider, treating provider" not in text.lower()


def test_it_leads_with_the_expedited_appeal_when_the_request_was_urgent(
    provider_staff, member, records, physician
):
    pa = submit(
        provider_staff, member, records, urgency="expedited", expedited_statement="Rapid progression."
    )
    decide(pa, physician, **denial(physician))
    pa = PriorAuthRequest.objects.select_related("member__plan", "product", "organization").get(pk=pa.pk)
    appeal = build_letter(pa, pa.determination).section("appeal")
    assert appeal.important
    assert (
        appeal.paragraphs[0] == "This request was reviewed as urgent, so you can ask for an expedited appeal."
    )


def test_it_shows_an_indiana_denials_suggested_alternatives(
    provider_staff, indiana_member, records, physician
):
    pa = submit(provider_staff, indiana_member, records)
    alternatives = "Consider a bispecific antibody (for example glofitamab) under the lymphoma policy."
    decide(pa, physician, **denial(physician, alternatives=alternatives))
    text = flat(letter_text(pa))
    assert "Other options to consider" in text
    assert alternatives in text
    assert "Indiana law (IC 27-1-37.5, as amended by SEA 480 (2025)) asks us to suggest alternatives" in text
    assert "Indiana Department of Insurance" in text and "1-800-622-4461" in text
    assert "within 120 days of our final decision" in text


def test_it_says_a_deemed_approval_was_approved_because_the_deadline_was_missed(
    provider_staff, indiana_member, records
):
    pa = submit(provider_staff, indiana_member, records)
    decide(
        pa,
        None,
        outcome=Outcome.APPROVED,
        by_operation_of_law=True,
        decided_at=pa.due_at,
        reason=f"Not decided by the deadline ({INDIANA_RULE}).",
    )
    text = flat(letter_text(pa))
    assert "Reviewer's note" not in text
    assert "Your request is approved because we did not decide it in time." in text
    assert "Indiana law sets a deadline" in text and "approved by operation of law" in text
    assert f"48 business hours after we received the request ({INDIANA_RULE})" in text
    assert "Yescarta (axicabtagene ciloleucel), as requested" in text
    assert "by operation of law" in text.split("Decided: ")[1]
    assert "Why we made this decision" not in text and "Your right to appeal" not in text


def test_it_shows_an_approvals_service_units_and_dates(submitted, nurse):
    decide(
        submitted,
        nurse,
        outcome=Outcome.APPROVED,
        approved_service="Yescarta single infusion with apheresis",
        approved_units=1,
        approved_start=datetime.date(2027, 1, 10),
        approved_end=datetime.date(2027, 4, 10),
    )
    letter = letter_text(submitted)
    assert "Your request is approved." in letter
    assert "A1 - certified in total" in letter
    for fact in [
        "Approved service: Yescarta single infusion with apheresis",
        "Units approved: 1",
        "Approved from: January 10, 2027",
        "Approved through: April 10, 2027",
    ]:
        assert fact in letter
    assert "Your right to appeal" not in letter
    assert "valid for at least one year" not in letter
    assert "This is not a guarantee of payment" in flat(letter)
    assert "the Evidence of Coverage controls (MP-AD-1623, preamble)" in flat(letter)


def test_it_says_an_indiana_approval_lasts_at_least_a_year(provider_staff, indiana_member, records, nurse):
    pa = submit(provider_staff, indiana_member, records)
    decided = datetime.datetime(2027, 1, 5, 15, 0, tzinfo=datetime.UTC)
    decide(
        pa,
        nurse,
        outcome=Outcome.APPROVED,
        decided_at=decided,
        approved_units=1,
        approved_start=datetime.date(2027, 1, 10),
        approved_end=datetime.date(2027, 3, 10),
    )
    assert "You can use this approval until at least January 5, 2028" in letter_text(pa)


def test_it_renders_the_same_letter_as_a_pdf_named_after_the_request(
    client, provider_staff, submitted, physician
):
    decide(submitted, physician, **denial(physician))
    login(client, provider_staff)
    response = client.get(reverse("letters:pdf", args=[submitted.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{submitted.number}.pdf"'
    assert response.content.startswith(b"%PDF-")
    pdf_text = flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages))
    assert submitted.number in pdf_text
    assert flat(REASON) in pdf_text
    assert "1-800-686-1526" in pdf_text


def test_it_shows_the_letter_page_to_the_requests_organization(client, provider_staff, submitted, physician):
    decide(submitted, physician, **denial(physician))
    login(client, provider_staff)
    response = client.get(reverse("letters:letter", args=[submitted.pk]))
    assert response.status_code == 200
    page = flat(response.content.decode())
    assert REASON in page and submitted.number in page and "Lovelace" in page
    assert reverse("letters:pdf", args=[submitted.pk]) in page


@pytest.mark.parametrize("name", ["letters:letter", "letters:pdf"])
def test_it_never_lets_a_letter_be_cached(client, provider_staff, submitted, physician, name):
    decide(submitted, physician, **denial(physician))
    login(client, provider_staff)
    assert "no-store" in client.get(reverse(name, args=[submitted.pk]))["Cache-Control"]


@pytest.mark.parametrize("name", ["letters:letter", "letters:pdf"])
def test_it_hides_the_letter_from_another_organization(client, other_staff, submitted, physician, name):
    decide(submitted, physician, **denial(physician))
    login(client, other_staff)
    assert client.get(reverse(name, args=[submitted.pk])).status_code == 404


@pytest.mark.parametrize("name", ["letters:letter", "letters:pdf"])
def test_it_has_no_letter_before_a_determination(client, provider_staff, submitted, name):
    login(client, provider_staff)
    assert client.get(reverse(name, args=[submitted.pk])).status_code == 404


@pytest.mark.parametrize("name", ["letters:letter", "letters:pdf"])
def test_it_hides_the_letter_from_a_policy_admin(client, policy_admin, submitted, physician, name):
    decide(submitted, physician, **denial(physician))
    login(client, policy_admin)
    assert client.get(reverse(name, args=[submitted.pk])).status_code == 404


def test_it_shows_the_letter_to_reviewers_of_the_requests_queue_only(client, submitted, physician, nurse):
    decide(submitted, physician, **denial(physician))
    url = reverse("letters:letter", args=[submitted.pk])
    login(client, nurse)
    assert client.get(url).status_code == 404
    QueueAssignment.objects.create(reviewer=nurse, queue=submitted.queue)
    assert client.get(url).status_code == 200


def test_it_shows_the_letter_to_a_supervisor(client, submitted, physician, supervisor):
    decide(submitted, physician, **denial(physician))
    login(client, supervisor)
    assert client.get(reverse("letters:pdf", args=[submitted.pk])).status_code == 200


def test_it_sends_anonymous_visitors_to_log_in(client, submitted, physician):
    decide(submitted, physician, **denial(physician))
    response = client.get(reverse("letters:letter", args=[submitted.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_prints_markup_in_a_reason_as_written(client, provider_staff, submitted, physician):
    decide(submitted, physician, **denial(physician, reason="ECOG < 2 & no <b>active</b> infection."))
    login(client, provider_staff)
    response = client.get(reverse("letters:pdf", args=[submitted.pk]))
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "ECOG < 2 & no <b>active</b> infection." in flat(pdf_text)


@pytest.mark.django_db
def test_it_shows_the_provider_the_decision_with_links_to_the_letter(
    client, provider_staff, submitted, physician
):
    decide(submitted, physician, **denial(physician))
    client.force_login(provider_staff)

    page = client.get(reverse("requests:detail", args=[submitted.pk])).content.decode()

    assert 'data-testid="decision">Denied<' in page
    assert REASON in page
    assert reverse("letters:letter", args=[submitted.pk]) in page
    assert reverse("letters:pdf", args=[submitted.pk]) in page
