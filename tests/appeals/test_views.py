"""The appeals pages: filing from the request page, the physician's page and its confirm step."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from priorauth.appeals.services import appeal_decide
from priorauth.requests.models import Status
from tests.appeals.world import appeal_physician, decided, filed, overturn  # noqa: F401
from tests.authorization.world import write_pdf_bytes
from tests.review.world import seed  # noqa: F401

pytestmark = pytest.mark.usefixtures("seed")


def test_the_request_page_offers_an_appeal_after_a_denial(client, provider_staff, physician):
    pa = decided(provider_staff, physician, "OH")
    client.force_login(provider_staff)
    page = client.get(reverse("requests:detail", args=[pa.pk]))
    assert reverse("appeals:file", args=[pa.pk]).encode() in page.content


def test_staff_file_an_appeal_with_a_document(client, provider_staff, physician, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pa = decided(provider_staff, physician, "OH")
    client.force_login(provider_staff)
    document = SimpleUploadedFile("ecog.pdf", write_pdf_bytes(), content_type="application/pdf")
    response = client.post(
        reverse("appeals:file", args=[pa.pk]),
        {
            "member_consents": "on",
            "reason": "A new ECOG assessment shows 1.",
            "urgency": "standard",
            "ordering_specialty": "hematology_oncology",
            "attachments": [document],
        },
    )
    assert response.status_code == 302
    appeal = pa.appeals.get()
    assert [d.original_name for d in appeal.documents.all()] == ["ecog.pdf"]
    page = client.get(reverse("requests:detail", args=[pa.pk]))
    assert b'data-testid="appeal-status">in review' in page.content


def test_a_missing_consent_is_a_clear_message_and_nothing_is_filed(client, provider_staff, physician):
    pa = decided(provider_staff, physician, "OH")
    client.force_login(provider_staff)
    response = client.post(
        reverse("appeals:file", args=[pa.pk]), {"reason": "Because.", "urgency": "standard"}
    )
    assert response.status_code == 200 and b"member agrees" in response.content
    assert not pa.appeals.exists()


def test_the_appeal_forms_messages_say_the_once(client, provider_staff, physician, appeal_physician):
    pa = decided(provider_staff, physician, "OH")
    client.force_login(provider_staff)
    page = client.post(
        reverse("appeals:file", args=[pa.pk]),
        {"reason": "x" * 5000, "urgency": "overnight", "member_consents": "on"},
    ).content.decode()
    assert "Please choose the review type from the list" in page
    assert "Please keep the reason for the appeal to" in page
    appeal = filed(provider_staff, pa)
    client.force_login(appeal_physician)
    page = client.post(reverse("appeals:review", args=[appeal.pk]), {"outcome": "maybe"}).content.decode()
    assert "Please choose the decision from the list" in page
    assert "the the" not in page.lower()


def test_the_physician_confirms_before_deciding_outside_indianas_peer_rule(
    client, provider_staff, physician, appeal_physician
):
    pa = decided(provider_staff, physician, "IN")
    appeal = filed(provider_staff, pa, ordering_specialty="neurology")
    client.force_login(appeal_physician)
    url = reverse("appeals:review", args=[appeal.pk])
    page = client.get(url)
    assert b"you do not match" in page.content
    form = {
        "outcome": "overturned",
        "rationale": "Criteria met on the new assessment.",
        "approved_service": "Yescarta (Q2041)",
        "approved_units": "1",
        "approved_start": str(pa.date_of_service),
        "approved_end": str(pa.date_of_service),
    }
    warned = client.post(url, form)
    assert warned.status_code == 200 and b"peer-warning" in warned.content
    pa.refresh_from_db()
    assert pa.status == Status.DENIED
    assert client.post(url, {**form, "mismatch_confirmed": "on"}).status_code == 302
    pa.refresh_from_db()
    assert pa.status == Status.APPROVED


def test_the_original_decider_is_told_why_they_cannot_decide(client, provider_staff, physician):
    from tests.appeals.world import works_appeals

    appeal = filed(provider_staff, decided(provider_staff, physician, "OH"))
    client.force_login(works_appeals(physician))
    page = client.get(reverse("appeals:review", args=[appeal.pk]))
    assert b"made the original decision" in page.content and b"decide-form" not in page.content


def test_the_notifications_link_each_side_to_its_appeal_page(provider_staff, physician, appeal_physician):
    from priorauth.notifications.messages import in_app_items
    from priorauth.notifications.models import Notification

    appeal = filed(provider_staff, decided(provider_staff, physician, "OH"))
    for user, link in (
        (provider_staff, reverse("requests:detail", args=[appeal.request_id])),
        (appeal_physician, reverse("appeals:review", args=[appeal.pk])),
    ):
        rows = Notification.objects.filter(recipient=user, event="appeal_filed", channel="in_app")
        assert [item.link for item in in_app_items(user, rows)] == [link]


def test_the_physicians_queues_page_lists_open_appeals(client, provider_staff, physician, appeal_physician):
    appeal = filed(provider_staff, decided(provider_staff, physician, "OH"))
    client.force_login(appeal_physician)
    page = client.get(reverse("review:queues"))
    assert reverse("appeals:review", args=[appeal.pk]).encode() in page.content
    assert b'data-queue="appeals"' not in page.content


@pytest.mark.parametrize("outcome", ["overturned", "partly_overturned"])
def test_the_request_pages_say_the_appeal_approved_it_and_keep_the_denial_as_history(
    client, provider_staff, physician, appeal_physician, outcome
):
    pa = decided(provider_staff, physician, "OH")
    appeal = appeal_decide(
        user=appeal_physician, appeal_id=filed(provider_staff, pa).pk, **overturn(outcome=outcome)
    )
    client.force_login(provider_staff)
    page = client.get(reverse("requests:detail", args=[pa.pk])).content.decode()
    what_next = page.split('id="what-next"')[1].split("</section>")[0]
    assert "on appeal" in what_next
    assert "The repeat assessment shows ECOG 1" in what_next
    assert "ECOG score of 3" not in what_next
    assert reverse("appeals:letter", args=[appeal.pk]) in what_next
    assert "First decision: denied" in what_next
    assert reverse("letters:letter", args=[pa.pk]) in what_next

    client.force_login(physician)
    review = client.get(reverse("review:request", args=[pa.pk])).content.decode()
    assert "on appeal" in review
    assert "First decision: Denied" in review


def test_a_partly_overturned_appeal_without_its_details_says_so_once(
    client, provider_staff, physician, appeal_physician
):
    appeal = filed(provider_staff, decided(provider_staff, physician, "OH"))
    client.force_login(appeal_physician)
    page = client.post(
        reverse("appeals:review", args=[appeal.pk]),
        {"outcome": "partly_overturned", "rationale": "Half of it is covered."},
    ).content.decode()
    assert page.count('data-testid="form-error"') == 1
    appeal.refresh_from_db()
    assert appeal.decided_at is None
