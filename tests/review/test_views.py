"""The reviewers' pages through the Django test client: who reaches them, what they show, the actions."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from priorauth.members.models import Plan, Role
from priorauth.policies.models import Policy, Product, ReviewQueue
from priorauth.requests.models import Attachment, EventKind, InformationRequest, PriorAuthRequest, Status
from priorauth.review.models import Determination, QueueAssignment
from priorauth.review.services import review_add_note
from tests.conftest import PASSWORD, make_user
from tests.requests.conftest import PDF
from tests.review.world import (  # noqa: F401 (fixtures)
    DATE_OF_SERVICE,
    assign,
    claimed,
    member_in,
    seed,
    submitted,
)

pytestmark = pytest.mark.usefixtures("seed")
NUMBERS = itertools.count(1)


def login(client: Client, user) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def open_requests(queue: ReviewQueue, staff, count: int, **fields) -> list[PriorAuthRequest]:
    """Return `count` open requests in a queue, written in one insert (for counts and query tests).

    Each is due in `count`-ordered days unless `due_at` is given; fields override the defaults.
    """
    member = member_in(fields.pop("state", "OH"))
    now = timezone.now()
    rows = []
    for i in range(count):
        values = {
            "number": f"PA-T-{next(NUMBERS):08d}",
            "organization_id": staff.organization_id,
            "member": member,
            "submitted_by": staff,
            "product": Product.objects.get(hcpcs="Q2041"),
            "category": "car_t",
            "date_of_service": DATE_OF_SERVICE,
            "status": Status.IN_REVIEW,
            "queue": queue,
            "plan_state": member.plan.state,
            "received_at": now - datetime.timedelta(days=1),
            "due_at": now + datetime.timedelta(days=10 + i),
            "at_risk_at": now + datetime.timedelta(days=7 + i),
            "routing_key": "medical-necessity",
        }
        values.update(fields)
        rows.append(PriorAuthRequest(**values))
    return PriorAuthRequest.objects.bulk_create(rows)


@pytest.fixture
def pa(provider_staff):
    return submitted(provider_staff, "OH")


@pytest.fixture
def nurse_client(client, nurse, pa):
    assign(nurse, pa)
    return login(client, nurse)


def reviewer_urls(pa: PriorAuthRequest) -> list[str]:
    return [
        reverse("review:queues"),
        reverse("review:queue", args=[pa.queue.code]),
        reverse("review:request", args=[pa.pk]),
        reverse("review:act", args=[pa.pk, "claim"]),
        reverse("review:act", args=[pa.pk, "pend"]),
        reverse("review:act", args=[pa.pk, "adverse"]),
        reverse("review:act", args=[pa.pk, "note"]),
        reverse("review:supervisor"),
        reverse("review:assignments"),
    ]


@pytest.mark.parametrize("persona", ["provider_staff", "policy_admin"])
def test_it_answers_404_on_every_reviewer_url_to_providers_and_policy_admins(request, client, pa, persona):
    user = request.getfixturevalue(persona)
    login(client, user)
    attachment = Attachment.objects.create(
        request=pa,
        file="attachments/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=3,
        sha256="0" * 64,
        uploaded_by=pa.submitted_by,
    )
    for url in [*reviewer_urls(pa), reverse("review:document", args=[attachment.pk])]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"note-text": "x"}).status_code in (404, 405), url
    assert not pa.notes.exists()


def test_it_sends_anonymous_visitors_to_log_in(client, pa):
    response = client.get(reverse("review:request", args=[pa.pk]))
    assert response.status_code == 302 and reverse("login") in response.url


def test_it_shows_a_nurse_only_the_queues_she_works(nurse_client, pa):
    page = nurse_client.get(reverse("review:queues")).content.decode()
    assert f'data-queue="{pa.queue.code}"' in page
    assert 'data-queue="triage"' not in page
    assert nurse_client.get(reverse("review:queue", args=["triage"])).status_code == 404


def test_it_shows_each_of_the_nurses_queues_with_its_next_due_time(nurse_client, pa):
    page = nurse_client.get(reverse("review:queues")).content.decode()
    row = page[page.index(f'data-queue="{pa.queue.code}"') :].split("</tr>")[0]
    assert f'datetime="{pa.due_at.astimezone(datetime.UTC):%Y-%m-%dT%H:%M:%SZ}"' in row


def test_it_hides_requests_outside_the_nurses_queues(client, nurse, pa):
    login(client, nurse)
    assert client.get(reverse("review:request", args=[pa.pk])).status_code == 404
    assert client.get(reverse("review:queue", args=[pa.queue.code])).status_code == 404


def test_it_shows_a_supervisor_every_queue(client, supervisor, pa):
    page = login(client, supervisor).get(reverse("review:queues")).content.decode()
    # The Appeals queue holds appeals, not requests: its own list stands beside the table.
    assert all(f'data-queue="{q.code}"' in page for q in ReviewQueue.objects.exclude(code="appeals"))
    assert 'data-testid="appeals-summary"' in page


def test_it_marks_on_track_at_risk_and_overdue_requests_with_words(nurse_client, pa, provider_staff):
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    [risky] = open_requests(pa.queue, provider_staff, 1, due_at=now + 5 * hour, at_risk_at=now - hour)
    [late] = open_requests(pa.queue, provider_staff, 1, due_at=now - 3 * hour, at_risk_at=now - 9 * hour)
    page = nurse_client.get(reverse("review:queue", args=[pa.queue.code])).content.decode()
    assert f'data-request="{late.pk}" data-due-state="overdue"' in page
    assert f'data-request="{risky.pk}" data-due-state="at_risk"' in page
    assert f'data-request="{pa.pk}" data-due-state="on_track"' in page
    assert ">Overdue<" in page and ">At risk<" in page and ">On track<" in page
    assert "3 hours overdue" in page
    # The earliest due comes first.
    assert page.index(f'data-request="{late.pk}"') < page.index(f'data-request="{risky.pk}"')
    counts = nurse_client.get(reverse("review:queues")).content.decode()
    assert "1 at risk" in counts and "1 overdue" in counts


def test_it_filters_a_queue_by_urgency_state_status_and_category(nurse_client, pa, provider_staff):
    [expedited] = open_requests(pa.queue, provider_staff, 1, urgency="expedited")
    [indiana] = open_requests(pa.queue, provider_staff, 1, state="IN")
    [pended] = open_requests(pa.queue, provider_staff, 1, status=Status.PENDED)
    url = reverse("review:queue", args=[pa.queue.code])

    def shown(**query) -> set[int]:
        response = nurse_client.get(url, query)
        return {row.pa.pk for row in response.context["rows"]}

    assert shown() == {pa.pk, expedited.pk, indiana.pk, pended.pk}
    assert shown(urgency="expedited") == {expedited.pk}
    assert shown(state="IN") == {indiana.pk}
    assert shown(status="pended") == {pended.pk}
    assert shown(category="gene_therapy") == set()
    assert shown(category="car_t") == {pa.pk, expedited.pk, indiana.pk, pended.pk}
    assert shown(claim="unclaimed") == {pa.pk, expedited.pk, indiana.pk, pended.pk}


def test_it_leaves_decided_requests_out_of_the_queue(nurse_client, pa, provider_staff):
    open_requests(pa.queue, provider_staff, 1, status=Status.DENIED)
    response = nurse_client.get(reverse("review:queue", args=[pa.queue.code]))
    assert [row.pa.pk for row in response.context["rows"]] == [pa.pk]


def test_it_lists_the_nurses_claimed_requests(nurse_client, nurse, pa):
    claimed(nurse, pa)
    page = nurse_client.get(reverse("review:queues")).content.decode()
    assert 'id="claimed"' in page and str(pa.number) in page


@pytest.fixture
def criteria_policy(db):
    """Return a Yescarta medical policy, effective before the date of service, and its later version."""
    fields = {
        "number": "MM-1234",
        "title": "Axicabtagene ciloleucel (Yescarta)",
        "type": "medical",
        "lines_of_business": ["marketplace"],
        "states": ["OH"],
    }
    current = Policy.objects.create(
        **fields,
        effective=datetime.date(2026, 1, 1),
        archived=datetime.date(2027, 6, 1),
        policy="A.2.c ECOG performance status of 0 or 1.",
    )
    later = Policy.objects.create(
        **fields, effective=datetime.date(2027, 6, 1), policy="A.2.c ECOG performance status of 0 to 2."
    )
    for version in (current, later):
        version.products.add(Product.objects.get(hcpcs="Q2041"))
    return current


def test_it_shows_the_trace_with_its_cited_sections_and_the_policies_in_effect(
    client, nurse, provider_staff, criteria_policy
):
    pa = submitted(provider_staff, "OH")
    assert pa.criteria_policy_number == "MM-1234"
    assign(nurse, pa)
    page = login(client, nurse).get(reverse("review:request", args=[pa.pk])).content.decode()
    for step in pa.decision["trace"]:
        assert step["cites"] in page
    assert "ECOG performance status of 0 or 1." in page
    assert "ECOG performance status of 0 to 2." not in page  # the version after the date of service
    governing = Policy.objects.get(number="MP-AD-1623")
    assert escape(governing.policy.splitlines()[0]) in page
    assert "D. Policy" in page and "H. Review/Revision History" in page


def test_it_shows_the_due_time_with_its_rule_and_source(nurse_client, pa):
    page = nurse_client.get(reverse("review:request", args=[pa.pk])).content.decode()
    assert pa.due_rule["source"] in page
    assert 'data-testid="time-left"' in page and "left" in page


def test_it_shows_the_documents_to_reviewers_inline(nurse_client, pa, provider_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "attachments").mkdir()
    (tmp_path / "attachments" / "p.pdf").write_bytes(PDF)
    attachment = Attachment.objects.create(
        request=pa,
        file="attachments/p.pdf",
        original_name="pathology.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="1" * 64,
        uploaded_by=provider_staff,
    )
    page = nurse_client.get(reverse("review:request", args=[pa.pk])).content.decode()
    assert f"{reverse('review:document', args=[attachment.pk])}?view=1" in page
    response = nurse_client.get(reverse("review:document", args=[attachment.pk]), {"view": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")


def test_it_lets_a_nurse_claim_and_pend(nurse_client, nurse, pa):
    page = nurse_client.get(reverse("review:request", args=[pa.pk])).content.decode()
    assert "Claim request" in page and 'id="pend-action"' not in page
    response = nurse_client.post(reverse("review:act", args=[pa.pk, "claim"]))
    assert response.status_code == 302
    page = nurse_client.get(response.url).content.decode()
    assert 'id="id_pend-needed"' in page and 'id="id_approve-approved_units"' in page
    assert 'id="adverse-action"' not in page  # a nurse never denies
    respond_by = (timezone.localtime() + datetime.timedelta(days=46)).strftime("%Y-%m-%dT%H:%M")
    response = nurse_client.post(
        reverse("review:act", args=[pa.pk, "pend"]),
        {"pend-needed": "The PET-CT report after bridging therapy.", "pend-respond_by": respond_by},
    )
    assert response.status_code == 302
    pa.refresh_from_db()
    assert pa.status == Status.PENDED
    assert InformationRequest.objects.get(request=pa).needed == "The PET-CT report after bridging therapy."


def test_it_keeps_the_input_and_shows_the_services_refusal_next_to_the_form(client, nurse, physician, pa):
    assign(nurse, pa)
    claimed(physician, pa)
    login(client, nurse)
    respond_by = (timezone.localtime() + datetime.timedelta(days=60)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("review:act", args=[pa.pk, "pend"]),
        {"pend-needed": "Latest labs, please.", "pend-respond_by": respond_by},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please claim request" in page and "Latest labs, please." in page
    assert page.index("Please claim request") > page.index('id="pend-action"')
    assert InformationRequest.objects.count() == 0


def test_it_tells_the_second_claimer_who_has_the_request(client, nurse, pa):
    other_nurse = make_user("noah", Role.CLINICAL_REVIEWER)
    other_nurse.first_name, other_nurse.last_name = "Noah", "Adams"
    other_nurse.save()
    assign(nurse, pa)
    claimed(other_nurse, pa)
    login(client, nurse)
    # The page was loaded before the other claim: the button is still there when she clicks.
    response = client.post(reverse("review:act", args=[pa.pk, "claim"]))
    assert "Already claimed by Noah Adams" in response.content.decode()


def test_it_lets_a_physician_deny_with_the_notices_content(client, physician, pa):
    claimed(physician, pa)
    page = login(client, physician).get(reverse("review:request", args=[pa.pk])).content.decode()
    assert 'id="id_adverse-outcome"' in page and 'id="id_adverse-denial_code"' in page
    response = client.post(
        reverse("review:act", args=[pa.pk, "adverse"]),
        {
            "adverse-outcome": "denied",
            "adverse-reason": "Your records show an ECOG score of 3; the criteria require 0 or 1.",
            "adverse-criteria_policy": "MP-AD-1623",
            "adverse-criteria_section": "D.I",
            "adverse-denial_code": "MN01",
            "adverse-peer_to_peer_offered": "on",
            "adverse-peer_to_peer_instructions": "Call 1-800-555-0100 within 14 days.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    pa.refresh_from_db()
    assert pa.status == Status.DENIED
    assert Determination.objects.get(request=pa).denial_code == "MN01"
    page = client.get(reverse("review:request", args=[pa.pk])).content.decode()
    assert f"/letters/{pa.pk}/" in page


def test_it_offers_the_physician_the_criteria_policy_the_request_was_routed_to(client, physician, pa):
    claimed(physician, pa)
    page = login(client, physician).get(reverse("review:request", args=[pa.pk])).content.decode()
    assert pa.routing_key == "medical-necessity" and not pa.criteria_policy_number
    assert 'name="adverse-criteria_policy" value="Medical Necessity Determinations"' in page
    PriorAuthRequest.objects.filter(pk=pa.pk).update(
        routing_key="medical-policy", criteria_policy_number="MP-MM-1234"
    )
    page = client.get(reverse("review:request", args=[pa.pk])).content.decode()
    assert 'name="adverse-criteria_policy" value="MP-MM-1234"' in page


def test_it_asks_a_physician_for_the_missing_parts_of_a_denial(client, physician, pa):
    claimed(physician, pa)
    response = login(client, physician).post(
        reverse("review:act", args=[pa.pk, "adverse"]), {"adverse-outcome": "denied"}
    )
    page = response.content.decode()
    assert "Please give the specific reason in plain language." in page
    assert "Please choose a denial code." in page
    assert not Determination.objects.exists()


def test_it_keeps_internal_notes_off_the_providers_page(client, nurse, provider_staff, pa):
    claimed(nurse, pa)
    review_add_note(user=nurse, request_id=pa.pk, text="Tumour board minutes look incomplete.")
    review_page = login(client, nurse).get(reverse("review:request", args=[pa.pk])).content.decode()
    assert "Tumour board minutes look incomplete." in review_page
    client.logout()
    provider_page = (
        login(client, provider_staff).get(reverse("requests:detail", args=[pa.pk])).content.decode()
    )
    assert "Tumour board minutes look incomplete." not in provider_page
    assert EventKind.NOTE_ADDED.label not in provider_page
    assert "Claimed for review" not in provider_page


def test_it_adds_a_note_from_the_review_screen(nurse_client, pa):
    response = nurse_client.post(
        reverse("review:act", args=[pa.pk, "note"]), {"note-text": "Called the office."}
    )
    assert response.status_code == 302
    assert pa.notes.get().text == "Called the office."


def test_it_refuses_a_post_without_the_csrf_token(nurse, pa):
    assign(nurse, pa)
    client = login(Client(enforce_csrf_checks=True), nurse)
    assert client.post(reverse("review:act", args=[pa.pk, "claim"])).status_code == 403


def test_it_offers_a_supervisor_reassign_not_claim_and_refuses_a_posted_claim(client, supervisor, nurse, pa):
    assign(nurse, pa)
    login(client, supervisor)
    page = client.get(reverse("review:request", args=[pa.pk])).content.decode()
    assert 'id="reassign-action"' in page and 'id="claim-action"' not in page
    # A page loaded before, or a hand-made post, gets the refusal in words and claims nothing.
    response = client.post(reverse("review:act", args=[pa.pk, "claim"]), follow=True)
    assert "they do not claim them. Use Reassign." in response.content.decode()
    pa.refresh_from_db()
    assert pa.claimed_by is None


def test_it_lets_a_supervisor_reassign_and_move_from_the_request(client, supervisor, nurse, pa):
    other_nurse = make_user("noah", Role.CLINICAL_REVIEWER)
    claimed(nurse, pa)
    assign(other_nurse, pa)
    login(client, supervisor)
    page = client.get(reverse("review:request", args=[pa.pk])).content.decode()
    assert 'id="id_reassign-reviewer"' in page and 'id="id_move-queue"' in page
    response = client.post(
        reverse("review:act", args=[pa.pk, "reassign"]),
        {"reassign-reviewer": other_nurse.pk, "reassign-reason": "Nina is out today."},
    )
    assert response.status_code == 302
    pa.refresh_from_db()
    assert pa.claimed_by == other_nurse
    response = client.post(
        reverse("review:act", args=[pa.pk, "move"]), {"move-queue": "triage", "move-reason": "Wrong plan."}
    )
    assert response.status_code == 302
    pa.refresh_from_db()
    assert pa.queue.code == "triage"


def test_it_gives_nurses_no_supervisor_pages(nurse_client):
    assert nurse_client.get(reverse("review:supervisor")).status_code == 404
    assert nurse_client.get(reverse("review:assignments")).status_code == 404


def test_it_shows_the_supervisor_every_queues_counts_and_oldest_due(client, supervisor, pa, provider_staff):
    late_due = timezone.now() - datetime.timedelta(hours=2)
    open_requests(
        pa.queue, provider_staff, 1, due_at=late_due, at_risk_at=late_due - datetime.timedelta(days=1)
    )
    response = login(client, supervisor).get(reverse("review:supervisor"))
    row = next(q for q in response.context["queues"] if q.code == pa.queue.code)
    assert (row.open_count, row.overdue_count, row.oldest_due) == (2, 1, late_due)
    assert f'href="{reverse("review:queue", args=[pa.queue.code])}"' in response.content.decode()


def test_it_lets_a_supervisor_assign_and_unassign_reviewers(client, supervisor, nurse):
    queue = ReviewQueue.objects.get(code="mn-car-t")
    login(client, supervisor)
    response = client.post(
        reverse("review:assignments"), {"assign-reviewer": nurse.pk, "assign-queue": queue.pk}
    )
    assert response.status_code == 302
    assignment = QueueAssignment.objects.get(reviewer=nurse, queue=queue)
    assert assignment.assigned_by == supervisor
    again = client.post(
        reverse("review:assignments"), {"assign-reviewer": nurse.pk, "assign-queue": queue.pk}
    )
    assert "already works" in again.content.decode()
    client.post(reverse("review:assignment_remove", args=[assignment.pk]))
    assert not QueueAssignment.objects.exists()


def test_it_shows_reviewers_the_review_link_and_providers_not(client, nurse, provider_staff):
    assert reverse("review:queues") in login(client, nurse).get("/").content.decode()
    client.logout()
    assert reverse("review:queues") not in login(client, provider_staff).get("/").content.decode()


def test_it_lets_policy_admins_assign_queues_in_the_admin(client, policy_admin, nurse):
    login(client, policy_admin)
    queue = ReviewQueue.objects.get(code="mn-car-t")
    response = client.post(
        reverse("admin:review_queueassignment_add"), {"reviewer": nurse.pk, "queue": queue.pk}
    )
    assert response.status_code == 302
    assert QueueAssignment.objects.get(reviewer=nurse).assigned_by == policy_admin


def test_it_shows_the_plan_and_coverage_on_the_date_of_service(nurse_client, pa):
    page = nurse_client.get(reverse("review:request", args=[pa.pk])).content.decode()
    plan = Plan.objects.get(code="OH-MKT-SILVER-2026")
    assert plan.code in page and "Coverage active" in page


def test_it_lets_a_nurse_approve_as_requested(nurse_client, nurse, pa):
    claimed(nurse, pa)
    page = nurse_client.get(reverse("review:request", args=[pa.pk])).content.decode()
    assert "Yescarta (axicabtagene ciloleucel) (HCPCS Q2041)</textarea>" in page  # filled in as requested
    response = nurse_client.post(
        reverse("review:act", args=[pa.pk, "approve"]),
        {
            "approve-approved_service": "Yescarta (Q2041)",
            "approve-approved_units": "1",
            "approve-approved_start": "2027-01-15",
            "approve-approved_end": "2027-02-14",
        },
    )
    assert response.status_code == 302
    pa.refresh_from_db()
    assert pa.status == Status.APPROVED
    assert Determination.objects.get(request=pa).approved_end == datetime.date(2027, 2, 14)


def test_it_offers_a_nurse_no_decision_on_an_escalated_request(nurse_client, nurse, pa):
    claimed(nurse, pa)
    nurse_client.post(reverse("review:act", args=[pa.pk, "escalate"]), {"escalate-reason": "ECOG 2."})
    pa.refresh_from_db()
    assert pa.needs_physician and pa.claimed_by is None
    claimed(nurse, pa)
    page = nurse_client.get(reverse("review:request", args=[pa.pk])).content.decode()
    assert 'id="approve-action"' not in page and 'id="pend-action"' not in page
    assert 'data-testid="needs-physician"' in page


def test_it_asks_for_alternatives_on_an_indiana_denial(client, physician, provider_staff):
    pa = submitted(provider_staff, "IN")
    claimed(physician, pa)
    response = login(client, physician).post(
        reverse("review:act", args=[pa.pk, "adverse"]),
        {
            "adverse-outcome": "denied",
            "adverse-reason": "ECOG 3; the criteria require 0 or 1.",
            "adverse-criteria_policy": "MP-AD-1623",
            "adverse-criteria_section": "D.I",
            "adverse-denial_code": "MN01",
            "adverse-peer_to_peer_offered": "on",
            "adverse-peer_to_peer_instructions": "Call 1-800-555-0100.",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "alternative" in page.lower()
    assert "ECOG 3; the criteria require 0 or 1." in page  # the input is kept
    assert not Determination.objects.exists()
