"""The provider's services: draft, submit (routed at once), withdraw, answer a pend."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.utils import timezone

from priorauth.policies.models import TimeframeRule
from priorauth.requests import services
from priorauth.requests.form_fields import check_uploads
from priorauth.requests.models import EASTERN, EventKind, InformationRequest, PriorAuthRequest, Status
from tests.requests.conftest import car_t_details, pdf, start_draft


def submit(user, pa):
    return services.request_submit(user=user, request_id=pa.pk, attested=True)


def test_it_keeps_a_draft_unrouted(draft):
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.number is None
    assert draft.decision is None and draft.queue is None and draft.due_at is None


def test_it_starts_one_draft_per_token(provider_staff, member):
    token = uuid.uuid4()
    first = services.request_start(user=provider_staff, member=member, token=token)
    again = services.request_start(user=provider_staff, member=member, token=token)
    assert first.pk == again.pk
    assert PriorAuthRequest.objects.count() == 1


def test_it_refuses_another_organizations_token(provider_staff, other_staff, member):
    token = uuid.uuid4()
    services.request_start(user=provider_staff, member=member, token=token)
    with pytest.raises(services.IntakeError):
        services.request_start(user=other_staff, member=member, token=token)


def test_it_routes_at_submission_and_stores_the_decision(
    provider_staff, draft, django_capture_on_commit_callbacks
):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pa = submit(provider_staff, draft)
    pa.refresh_from_db()
    assert pa.status == Status.IN_REVIEW
    assert pa.number == f"PA-{pa.received_at.astimezone(EASTERN).year}-{pa.pk:06d}"
    assert pa.routing_key == "medical-necessity"
    assert pa.queue.code == "mn-car-t"
    assert pa.governing_policy_number == "MP-AD-1623"
    assert pa.governing_policy_effective == datetime.date(2026, 5, 1)
    assert pa.criteria_policy_number == ""
    # Ohio's own 10 calendar days beat the federal 15.
    assert pa.due_at == pa.received_at + datetime.timedelta(days=10)
    assert pa.received_at >= before and pa.submitted_at == pa.received_at
    assert pa.decision["queue"] == "mn-car-t"
    assert pa.decision["trace"][0]["step"] == "governing_policy"
    assert pa.attested_by == provider_staff and pa.attested_at is not None
    assert [e.kind for e in pa.events.all()][-2:] == [EventKind.SUBMITTED, EventKind.ROUTED]
    assert len(callbacks) == 1


def test_it_submits_a_draft_only_once(provider_staff, draft):
    first = submit(provider_staff, draft)
    second = submit(provider_staff, draft)
    assert second.number == first.number
    assert first.events.filter(kind=EventKind.SUBMITTED).count() == 1


def test_it_refuses_to_change_a_submitted_request(provider_staff, draft):
    submit(provider_staff, draft)
    with pytest.raises(services.NotEditable):
        services.request_save_draft(
            user=provider_staff, request_id=draft.pk, details={"clinical_summary": "x"}
        )


def test_it_tells_the_provider_at_once_when_no_authorization_is_required(provider_staff, member, records):
    pa = start_draft(provider_staff, member)
    details = car_t_details(records, product=records["products"]["provenge"], category="cell_therapy")
    services.request_save_draft(user=provider_staff, request_id=pa.pk, details=details)
    pa = submit(provider_staff, pa)
    assert pa.status == Status.NO_AUTH_REQUIRED
    assert pa.queue is None and pa.due_at is None
    assert pa.events.last().kind == EventKind.NO_AUTH_REQUIRED


def test_it_sends_inactive_coverage_to_eligibility_review(provider_staff, member, records):
    pa = start_draft(provider_staff, member)
    details = car_t_details(records, date_of_service=datetime.date(2028, 3, 1))
    services.request_save_draft(user=provider_staff, request_id=pa.pk, details=details)
    assert submit(provider_staff, pa).queue.code == "eligibility"


def test_it_explains_an_undecidable_request_and_keeps_the_draft(provider_staff, member, records):
    pa = start_draft(provider_staff, member)
    details = car_t_details(records, urgency="expedited", expedited_statement="Rapid progression.")
    services.request_save_draft(user=provider_staff, request_id=pa.pk, details=details)
    # With no timeframe rule for expedited requests, the deferral logic cannot give a due time.
    TimeframeRule.objects.filter(urgency="expedited").delete()
    with pytest.raises(services.IntakeError, match="could not be routed"):
        submit(provider_staff, pa)
    pa.refresh_from_db()
    assert pa.status == Status.DRAFT and pa.number is None


def test_it_requires_the_attestation(provider_staff, draft):
    with pytest.raises(services.IntakeError, match="accurate"):
        services.request_submit(user=provider_staff, request_id=draft.pk, attested=False)


def test_it_takes_category_and_flags_from_the_product_record(provider_staff, member, records):
    pa = start_draft(provider_staff, member)
    details = car_t_details(records, category="gene_therapy", genetically_modified=False)
    pa = services.request_save_draft(user=provider_staff, request_id=pa.pk, details=details)
    assert pa.category == "car_t" and pa.genetically_modified is None


def test_it_stores_each_document_once(provider_staff, draft):
    uploads, _ = check_uploads([pdf("a.pdf"), pdf("copy-of-a.pdf")])
    services.request_save_draft(user=provider_staff, request_id=draft.pk, details={}, uploads=uploads)
    services.request_save_draft(
        user=provider_staff, request_id=draft.pk, details={}, uploads=check_uploads([pdf()])[0]
    )
    attachment = draft.attachments.get()
    assert attachment.original_name == "a.pdf"
    assert attachment.content_type == "application/pdf"
    assert len(attachment.sha256) == 64
    # The stored name carries nothing the user typed: a random hex name and the checked type's suffix.
    assert re.fullmatch(r"attachments/[0-9a-f]{32}\.pdf", attachment.file.name)
    with attachment.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-")


def test_it_withdraws_before_a_decision_with_a_reason(provider_staff, draft):
    submit(provider_staff, draft)
    with pytest.raises(services.IntakeError, match="reason"):
        services.request_withdraw(user=provider_staff, request_id=draft.pk, reason="  ")
    pa = services.request_withdraw(
        user=provider_staff, request_id=draft.pk, reason="Patient moved out of state."
    )
    assert pa.status == Status.WITHDRAWN and pa.withdrawn_at is not None
    event = pa.events.last()
    assert (event.kind, event.from_status, event.reason) == (
        EventKind.WITHDRAWN,
        Status.IN_REVIEW,
        "Patient moved out of state.",
    )


def test_it_refuses_to_withdraw_after_a_determination(provider_staff, draft):
    submit(provider_staff, draft)
    PriorAuthRequest.objects.filter(pk=draft.pk).update(status=Status.APPROVED)
    with pytest.raises(services.IntakeError, match="can no longer be withdrawn"):
        services.request_withdraw(user=provider_staff, request_id=draft.pk, reason="Changed plans.")


def pend(pa, reviewer, needed="Please send the latest PET-CT report."):
    asked = InformationRequest.objects.create(request=pa, needed=needed, asked_by=reviewer)
    PriorAuthRequest.objects.filter(pk=pa.pk).update(status=Status.PENDED, pended_at=timezone.now())
    return asked


def test_it_sends_an_answered_pend_back_to_review(provider_staff, nurse, draft):
    submit(provider_staff, draft)
    asked = pend(draft, nurse)
    uploads, _ = check_uploads([pdf("pet-ct.pdf")])
    pa = services.request_answer_information(
        user=provider_staff,
        request_id=draft.pk,
        information_request_id=asked.pk,
        answer="PET-CT attached.",
        uploads=uploads,
    )
    asked.refresh_from_db()
    assert pa.status == Status.IN_REVIEW
    assert pa.information_received_at is not None
    assert (asked.answer, asked.answered_by) == ("PET-CT attached.", provider_staff)
    assert asked.attachments.get().purpose == "pend_answer"
    assert pa.events.last().kind == EventKind.INFORMATION_RECEIVED


def test_it_refuses_an_empty_answer(provider_staff, nurse, draft):
    submit(provider_staff, draft)
    asked = pend(draft, nurse)
    with pytest.raises(services.IntakeError, match="write an answer"):
        services.request_answer_information(
            user=provider_staff, request_id=draft.pk, information_request_id=asked.pk, answer=" "
        )


def test_it_never_edits_a_timeline_event(provider_staff, draft):
    event = draft.events.first()
    event.reason = "rewritten"
    with pytest.raises(Exception, match="never edited"):
        event.save()
