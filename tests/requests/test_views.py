"""The provider's pages end to end through the Django test client."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from priorauth.members.models import Member
from priorauth.policies.models import RoutingEntry
from priorauth.requests import services
from priorauth.requests.models import EASTERN, InformationRequest, PriorAuthRequest, Status
from tests.conftest import PASSWORD
from tests.requests.conftest import car_t_details, form_data, pdf, pdf_bytes, start_draft


@pytest.fixture
def staff_client(client, provider_staff):
    assert client.login(username=provider_staff.username, password=PASSWORD)
    return client


def edit(client, pa, **changes):
    return client.post(reverse("requests:edit", args=[pa.pk]), form_data(**changes))


def test_it_shows_the_draft_form_with_eligibility_and_the_catalog(staff_client, draft):
    page = staff_client.get(reverse("requests:edit", args=[draft.pk])).content.decode()
    assert "Coverage active" in page
    assert '<option value="Q2041">Yescarta' in page
    assert 'value="Q2041"' in page  # the saved product is filled in again
    assert "Diffuse large B-cell lymphoma, unspecified site" in page
    assert "Submit request" in page and "Save draft" in page


def test_it_saves_a_draft_without_routing_it(staff_client, provider_staff, member):
    pa = start_draft(provider_staff, member)
    response = edit(staff_client, pa, action="save", ecog="", attestation=None)
    assert response.status_code == 302 and response.url == reverse("requests:edit", args=[pa.pk])
    pa.refresh_from_db()
    assert pa.status == Status.DRAFT and pa.queue is None
    assert pa.product.hcpcs == "Q2041"


def test_it_submits_and_confirms_with_number_review_and_due_time(
    staff_client, provider_staff, member, django_capture_on_commit_callbacks
):
    pa = start_draft(provider_staff, member)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("requests:edit", args=[pa.pk]),
            {
                **form_data(action="submit"),
                "attachments": [pdf("pathology.pdf"), pdf("pet.pdf", pdf_bytes("PET-CT"))],
            },
        )
    pa.refresh_from_db()
    assert response.url == reverse("requests:detail", args=[pa.pk])
    assert pa.status == Status.IN_REVIEW and pa.attachments.count() == 2
    page = staff_client.get(response.url).content.decode()
    assert pa.number in page
    assert "In review" in page and "What happens next" in page
    assert "Medical necessity: CAR-T" in page
    assert "Clinical review for medical necessity" in page
    assert "MP-AD-1623 D.I (EOC)" in page  # the trace cites its sections
    eastern = pa.due_at.astimezone(EASTERN)
    assert f"{eastern:%B} {eastern.day}, {eastern.year}" in page and f" {eastern:%Z}" in page
    assert pa.due_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M") + " UTC" in page
    assert len(mail.outbox) == 1


def test_it_keeps_everything_typed_and_the_good_documents_on_an_error(staff_client, provider_staff, member):
    pa = start_draft(provider_staff, member)
    response = staff_client.post(
        reverse("requests:edit", args=[pa.pk]),
        {
            **form_data(
                action="submit", ordering_npi="1234567890", clinical_summary="Relapsed DLBCL, bulky."
            ),
            "attachments": [pdf("pathology.pdf"), SimpleUploadedFile("notes.pdf", b"plain text")],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "check digit" in page and "notes.pdf is not a PDF, PNG or JPEG" in page
    assert "Relapsed DLBCL, bulky." in page
    assert 'value="1234567890"' in page
    assert "1 document was saved with the draft; no need to attach them again" in page
    assert list(pa.attachments.values_list("original_name", flat=True)) == ["pathology.pdf"]
    pa.refresh_from_db()
    assert pa.status == Status.DRAFT


def test_it_shows_a_double_submit_the_same_request(staff_client, provider_staff, member):
    pa = start_draft(provider_staff, member)
    first = edit(staff_client, pa, action="submit")
    second = edit(staff_client, pa, action="submit")
    assert first.url == second.url == reverse("requests:detail", args=[pa.pk])
    assert PriorAuthRequest.objects.count() == 1


def test_it_explains_an_undecidable_request_instead_of_failing(staff_client, provider_staff, member, records):
    pa = start_draft(provider_staff, member)
    # With no routing table entry for the key, the deferral logic cannot name a queue.
    RoutingEntry.objects.filter(key="medical-necessity").delete()
    response = edit(staff_client, pa, action="submit")
    assert response.status_code == 200
    assert "could not be routed" in response.content.decode()
    pa.refresh_from_db()
    assert pa.status == Status.DRAFT and pa.product is not None


def test_it_withdraws_with_a_reason_from_the_request_page(staff_client, provider_staff, draft):
    services.request_submit(user=provider_staff, request_id=draft.pk, attested=True)
    url = reverse("requests:withdraw", args=[draft.pk])
    assert "Please give the reason" in staff_client.post(url, {"reason": ""}).content.decode()
    staff_client.post(url, {"reason": "Treatment plan changed."})
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN


def test_it_shows_the_due_time_only_while_a_decision_is_pending(staff_client, provider_staff, draft):
    services.request_submit(user=provider_staff, request_id=draft.pk, attested=True)
    url = reverse("requests:detail", args=[draft.pk])
    assert 'data-testid="due-at"' in staff_client.get(url).content.decode()

    staff_client.post(reverse("requests:withdraw", args=[draft.pk]), {"reason": "Plan changed."})

    page = staff_client.get(url).content.decode()
    assert 'data-testid="due-at"' not in page and ">Due<" not in page
    draft.refresh_from_db()
    assert f'data-testid="closed-at">{draft.withdrawn_at.astimezone(EASTERN):%m/%d/%Y}' in page


def test_it_shows_when_a_decided_request_was_decided(staff_client, provider_staff, draft):
    services.request_submit(user=provider_staff, request_id=draft.pk, attested=True)
    decided = datetime.datetime(2027, 1, 20, 15, 30, tzinfo=datetime.UTC)
    PriorAuthRequest.objects.filter(pk=draft.pk).update(status=Status.APPROVED, decided_at=decided)

    page = staff_client.get(reverse("requests:detail", args=[draft.pk])).content.decode()

    assert 'data-testid="due-at"' not in page
    assert "Decided</dt>" in page and "01/20/2027 10:30 AM EST" in page


def test_it_answers_a_pend_from_the_request_page(staff_client, provider_staff, nurse, draft):
    services.request_submit(user=provider_staff, request_id=draft.pk, attested=True)
    asked = InformationRequest.objects.create(request=draft, needed="Send the PET-CT.", asked_by=nurse)
    PriorAuthRequest.objects.filter(pk=draft.pk).update(status=Status.PENDED)
    page = staff_client.get(reverse("requests:detail", args=[draft.pk])).content.decode()
    assert "Send the PET-CT." in page and "Send answer" in page
    staff_client.post(
        reverse("requests:answer", args=[draft.pk, asked.pk]),
        {"answer": "Attached.", "attachments": [pdf("pet-ct.pdf")]},
    )
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert draft.attachments.filter(purpose="pend_answer").count() == 1


def submitted_request(user, member, records, **changes):
    pa = start_draft(user, member)
    services.request_save_draft(user=user, request_id=pa.pk, details=car_t_details(records, **changes))
    return services.request_submit(user=user, request_id=pa.pk, attested=True)


def search(client, **fields):
    """Return the list page a posted search leads to, following its redirect."""
    response = client.post(reverse("requests:list"), fields)
    assert response.status_code == 302, response.content.decode()
    return client.get(response.url)


def test_it_searches_and_filters_the_list(staff_client, provider_staff, member, records):
    car_t = submitted_request(provider_staff, member, records)
    gene = submitted_request(provider_staff, member, records, product=records["products"]["zolgensma"])
    listed = lambda **q: search(staff_client, **q).content.decode()  # noqa: E731
    assert car_t.number in listed(q="yescarta") and gene.number not in listed(q="yescarta")
    assert gene.number in listed(category="gene_therapy") and car_t.number not in listed(
        category="gene_therapy"
    )
    assert car_t.number in listed(q=car_t.number) and gene.number not in listed(q=car_t.number)
    assert car_t.number in listed(q="lovelace") and car_t.number in listed(q="OH1000001")
    assert car_t.number not in listed(status="withdrawn")
    page = listed()
    assert page.index(gene.number) < page.index(car_t.number)  # newest first


def test_it_keeps_a_member_search_out_of_every_url(staff_client, provider_staff, member, records):
    other = Member.objects.create(
        member_id="OH2000002",
        first_name="Grace",
        last_name="Hopper",
        date_of_birth=member.date_of_birth,
        plan=member.plan,
    )
    for _ in range(26):
        start_draft(provider_staff, member)
    hopper = start_draft(provider_staff, other)

    response = staff_client.post(reverse("requests:list"), {"q": "OH1000001", "status": "draft"})

    assert response.url == reverse("requests:list") + "?status=draft"
    first = staff_client.get(response.url)
    page = first.content.decode()
    assert "Page 1 of 2" in page and str(hopper) not in page
    assert 'value="OH1000001"' in page  # the search box still shows what was searched
    links = re.findall(r'href="([^"]*)"', page)
    assert not [link for link in links if "OH1000001" in link or "Lovelace" in link]
    second = staff_client.get(reverse("requests:list"), {"status": "draft", "page": "2"})
    assert len(second.context["page"]) == 1 and str(hopper) not in second.content.decode()


def test_it_clears_the_search(staff_client, provider_staff, member, records):
    car_t = submitted_request(provider_staff, member, records)
    assert car_t.number not in search(staff_client, q="nobody by that name").content.decode()

    response = staff_client.post(reverse("requests:list"), {"q": "nobody by that name", "clear": "1"})

    assert response.url == reverse("requests:list")
    page = staff_client.get(response.url).content.decode()
    assert car_t.number in page and "nobody by that name" not in page


def test_it_ignores_a_search_typed_into_the_url(staff_client, provider_staff, member, records):
    car_t = submitted_request(provider_staff, member, records)
    assert car_t.number in staff_client.get(reverse("requests:list"), {"q": "nobody"}).content.decode()


def test_it_explains_a_bad_filter_in_plain_words(staff_client, provider_staff, member):
    response = staff_client.post(
        reverse("requests:list"), {"q": "Lovelace", "status": "bogus", "date_from": "31/31/2026"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Please choose the status from the list." in page
    assert "Please enter the “From” date as MM/DD/YYYY." in page
    assert "Select a valid choice" not in page and "Enter a valid date" not in page


def test_it_pages_the_list_by_25(staff_client, provider_staff, member):
    for _ in range(26):
        start_draft(provider_staff, member)
    response = staff_client.get(reverse("requests:list"))
    assert len(response.context["page"]) == 25
    assert "Page 1 of 2" in response.content.decode()


def test_it_says_no_authorization_required_is_not_a_guarantee_of_payment(
    staff_client, provider_staff, member, records
):
    pa = start_draft(provider_staff, member)
    details = car_t_details(records, product=records["products"]["provenge"], category="cell_therapy")
    services.request_save_draft(user=provider_staff, request_id=pa.pk, details=details)
    pa = services.request_submit(user=provider_staff, request_id=pa.pk, attested=True)
    assert pa.status == Status.NO_AUTH_REQUIRED
    page = staff_client.get(reverse("requests:detail", args=[pa.pk])).content.decode()
    assert "No authorization is required" in page
    assert "This is not a guarantee of payment" in page
    assert "the Evidence of Coverage controls (MP-AD-1623, preamble)" in page


def test_it_says_nothing_of_payment_while_a_request_waits(staff_client, provider_staff, member, records):
    pa = submitted_request(provider_staff, member, records)
    assert pa.status == Status.IN_REVIEW
    page = staff_client.get(reverse("requests:detail", args=[pa.pk])).content.decode()
    assert "not a guarantee of payment" not in page
