"""The acknowledgement of a submission: an email to the submitter, with no health information."""

from __future__ import annotations

from django.core import mail

from priorauth.requests import services
from priorauth.requests.models import EventKind
from priorauth.requests.tasks import send_submission_acknowledgement


def test_it_acknowledges_a_submission_by_email_once_committed(
    provider_staff, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pa = services.request_submit(user=provider_staff, request_id=draft.pk, attested=True)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"Prior authorization {pa.number} received"
    assert message.to == [provider_staff.email]
    assert pa.number in message.body and "A decision is due by" in message.body
    html = message.alternatives[0][0]
    assert pa.number in html
    for health_information in ("C83.30", "Lymphoma", "lymphoma", "Yescarta", "Lovelace"):
        assert health_information not in message.subject + message.body + html
    pa.refresh_from_db()
    assert pa.acknowledgement_sent_at is not None
    assert pa.events.filter(kind=EventKind.ACKNOWLEDGED).count() == 1


def test_it_sends_the_acknowledgement_only_once(provider_staff, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pa = services.request_submit(user=provider_staff, request_id=draft.pk, attested=True)
    send_submission_acknowledgement.delay(pa.pk)
    assert len(mail.outbox) == 1


def test_it_queues_nothing_for_a_draft_that_is_only_saved(
    provider_staff, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_save_draft(
            user=provider_staff, request_id=draft.pk, details={"clinical_summary": "More."}
        )
    assert mail.outbox == []
