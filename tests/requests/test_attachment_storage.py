"""No attachment file outlives a transaction that did not commit; older orphans can be found and removed."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from priorauth.requests import attachment_storage, services
from priorauth.requests.form_fields import check_uploads
from priorauth.requests.models import Attachment, EventKind, InformationRequest, PriorAuthRequest, Status
from tests.requests.conftest import PNG, pdf


def stored_files(media_root) -> list[str]:
    folder = media_root / "attachments"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def uploads(name: str = "pathology.pdf", body: bytes | None = None):
    checked, errors = check_uploads([pdf(name) if body is None else pdf(name, body)])
    assert not errors
    return checked


def fail_on(monkeypatch, kind: str) -> None:
    """Make the service's timeline event of this kind fail, after the documents were stored."""
    real = services._event

    def event(pa, **fields):
        if fields["kind"] == kind:
            raise IntegrityError("the database refused the event")
        return real(pa, **fields)

    monkeypatch.setattr(services, "_event", event)


def test_it_keeps_the_file_of_a_draft_saved(provider_staff, draft, media_root):
    services.request_save_draft(user=provider_staff, request_id=draft.pk, details={}, uploads=uploads())
    attachment = draft.attachments.get()
    assert stored_files(media_root) == [attachment.file.name.removeprefix("attachments/")]


def test_it_removes_the_files_of_a_draft_save_that_fails(provider_staff, draft, media_root, monkeypatch):
    fail_on(monkeypatch, EventKind.DRAFT_SAVED)
    with pytest.raises(IntegrityError):
        services.request_save_draft(
            user=provider_staff, request_id=draft.pk, details={}, uploads=uploads() + uploads("scan.png", PNG)
        )
    assert not draft.attachments.exists()
    assert stored_files(media_root) == []


def test_it_removes_the_files_of_a_pend_answer_that_fails(
    provider_staff, nurse, draft, media_root, monkeypatch
):
    services.request_submit(user=provider_staff, request_id=draft.pk, attested=True)
    asked = InformationRequest.objects.create(request=draft, needed="The PET-CT report.", asked_by=nurse)
    PriorAuthRequest.objects.filter(pk=draft.pk).update(status=Status.PENDED, pended_at=timezone.now())

    def refuse(**kwargs):
        raise services.IntakeError("This request is not waiting for that information any more.")

    monkeypatch.setattr(services, "notify_request_event", refuse)
    with pytest.raises(services.IntakeError):
        services.request_answer_information(
            user=provider_staff,
            request_id=draft.pk,
            information_request_id=asked.pk,
            answer="Attached.",
            uploads=uploads("pet-ct.pdf"),
        )
    asked.refresh_from_db()
    assert asked.is_open and not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_it_removes_an_inner_services_files_when_the_outer_one_fails(provider_staff, draft, media_root):
    @attachment_storage.atomic_removing_files_on_failure
    def save_then_fail() -> None:
        services.request_save_draft(user=provider_staff, request_id=draft.pk, details={}, uploads=uploads())
        raise services.IntakeError("a later step failed")

    with pytest.raises(services.IntakeError):
        save_then_fail()
    assert not draft.attachments.exists()
    assert stored_files(media_root) == []


def test_it_keeps_the_outer_services_files_when_an_inner_one_fails(
    provider_staff, draft, media_root, monkeypatch
):
    @attachment_storage.atomic_removing_files_on_failure
    def save_twice() -> None:
        services.request_save_draft(user=provider_staff, request_id=draft.pk, details={}, uploads=uploads())
        fail_on(monkeypatch, EventKind.DRAFT_SAVED)
        with pytest.raises(IntegrityError):
            services.request_save_draft(
                user=provider_staff, request_id=draft.pk, details={}, uploads=uploads("scan.png", PNG)
            )

    save_twice()
    attachment = draft.attachments.get()
    assert attachment.original_name == "pathology.pdf"
    assert stored_files(media_root) == [attachment.file.name.removeprefix("attachments/")]


def test_it_refuses_to_save_a_file_outside_such_a_service():
    with pytest.raises(RuntimeError):
        attachment_storage.saved("attachments/0123.pdf")


def age(path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_it_lists_old_orphan_files_and_deletes_them_only_when_asked(provider_staff, draft, media_root):
    services.request_save_draft(user=provider_staff, request_id=draft.pk, details={}, uploads=uploads())
    kept = media_root / draft.attachments.get().file.name
    orphan = media_root / "attachments" / "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f.pdf"
    orphan.write_bytes(b"%PDF-1.7 left behind")
    # A file this new may belong to a request being saved right now, so it is left alone.
    fresh = media_root / "attachments" / "1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e.pdf"
    fresh.write_bytes(b"%PDF-1.7 being saved")
    age(orphan, hours=2)
    age(kept, hours=2)

    out = io.StringIO()
    call_command("prune_orphan_attachments", stdout=out)
    assert out.getvalue().splitlines() == [
        "attachments/0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f.pdf",
        "Found (not deleted; use --delete to remove): 1 orphan attachment file(s).",
    ]
    assert orphan.exists()

    out = io.StringIO()
    call_command("prune_orphan_attachments", "--delete", stdout=out)
    assert out.getvalue().splitlines()[-1] == "Deleted: 1 orphan attachment file(s)."
    assert not orphan.exists() and kept.exists() and fresh.exists()


def test_it_finds_nothing_before_any_document_was_stored(db):
    out = io.StringIO()
    call_command("prune_orphan_attachments", stdout=out)
    assert out.getvalue() == "Found (not deleted; use --delete to remove): 0 orphan attachment file(s).\n"
