"""The limits of priorauth.limits for providers: text, documents per request, what a file may cost."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf._encryption import Encryption
from pypdf.errors import DependencyError
from pypdf.generic import DecodedStreamObject, NameObject

from priorauth import limits
from priorauth.requests import services
from priorauth.requests.form_fields import check_uploads
from priorauth.requests.models import Attachment, RequestEvent
from tests.requests.conftest import PNG, form_data, pdf, pdf_bytes
from tests.requests.test_services import pend, submit


def uploads_of(*files):
    checked, errors = check_uploads(list(files))
    assert not errors
    return checked


def test_it_refuses_a_clinical_summary_over_its_limit_in_the_service(provider_staff, draft):
    long = "x" * (limits.CLINICAL_SUMMARY + 1)
    with pytest.raises(services.IntakeError, match="clinical summary to 10,000 characters"):
        services.request_save_draft(
            user=provider_staff, request_id=draft.pk, details={"clinical_summary": long}
        )
    draft.refresh_from_db()
    assert draft.clinical_summary == "DLBCL, relapsed after 2 lines."


def test_it_refuses_a_nul_character_in_the_service(provider_staff, draft):
    with pytest.raises(services.IntakeError, match="cannot store"):
        services.request_save_draft(
            user=provider_staff, request_id=draft.pk, details={"facility_name": "Buckeye\x00"}
        )


def test_it_refuses_a_long_withdrawal_reason_and_a_long_pend_answer(provider_staff, nurse, draft):
    submit(provider_staff, draft)
    with pytest.raises(services.IntakeError, match="4,000 characters"):
        services.request_withdraw(user=provider_staff, request_id=draft.pk, reason="x" * 4001)
    asked = pend(draft, nurse)
    with pytest.raises(services.IntakeError, match="10,000 characters"):
        services.request_answer_information(
            user=provider_staff, request_id=draft.pk, information_request_id=asked.pk, answer="y" * 10_001
        )
    asked.refresh_from_db()
    assert asked.answered_at is None


def test_the_intake_form_shows_each_text_limit(client, provider_staff, draft):
    client.force_login(provider_staff)
    page = client.get(reverse("requests:edit", args=[draft.pk])).content.decode()
    assert 'name="clinical_summary"' in page and 'maxlength="10000"' in page
    assert "Up to 10,000 characters." in page
    assert 'maxlength="4000"' in page  # the expedited statement
    assert 'maxlength="200"' in page  # names


def test_the_intake_form_refuses_a_long_summary_with_a_message(client, provider_staff, draft):
    client.force_login(provider_staff)
    response = client.post(
        reverse("requests:edit", args=[draft.pk]),
        form_data(action="save", clinical_summary="z" * 10_001),
    )
    assert response.status_code == 200
    assert "to 10000 characters (it has 10001)" in response.content.decode()


def test_it_refuses_the_26th_document_naming_the_limit_and_what_is_left(provider_staff, draft):
    first = [pdf(f"p{i}.pdf", pdf_bytes(f"page {i}")) for i in range(24)]
    services.request_save_draft(
        user=provider_staff, request_id=draft.pk, details={}, uploads=uploads_of(*first)
    )
    two = [pdf("a.pdf", pdf_bytes("a")), pdf("b.pdf", pdf_bytes("b"))]
    events = RequestEvent.objects.count()
    with pytest.raises(services.IntakeError) as refused:
        services.request_save_draft(
            user=provider_staff, request_id=draft.pk, details={}, uploads=uploads_of(*two)
        )
    assert "at most 25 documents; it has 24, so 1 more can be added (you chose 2)" in refused.value.message
    assert draft.attachments.count() == 24 and RequestEvent.objects.count() == events
    # A document already on the request is not counted twice.
    again = uploads_of(pdf("p0-again.pdf", pdf_bytes("page 0")), pdf("c.pdf", pdf_bytes("c")))
    services.request_save_draft(user=provider_staff, request_id=draft.pk, details={}, uploads=again)
    assert draft.attachments.count() == 25


def test_it_refuses_documents_past_100_mb_in_all(provider_staff, draft, settings):
    checked = uploads_of(pdf())
    Attachment.objects.create(
        request=draft,
        file="attachments/old.pdf",
        original_name="old.pdf",
        content_type="application/pdf",
        size=limits.REQUEST_DOCUMENT_BYTES - 100,
        sha256="0" * 64,
        uploaded_by=provider_staff,
    )
    with pytest.raises(services.IntakeError, match=r"at most 100\.0 MB; 0\.0 MB is left"):
        services.request_save_draft(user=provider_staff, request_id=draft.pk, details={}, uploads=checked)
    assert draft.attachments.count() == 1


def test_the_pend_answer_counts_against_the_same_limit(provider_staff, nurse, draft):
    many = [pdf(f"p{i}.pdf", pdf_bytes(f"page {i}")) for i in range(25)]
    services.request_save_draft(
        user=provider_staff, request_id=draft.pk, details={}, uploads=uploads_of(*many)
    )
    submit(provider_staff, draft)
    asked = pend(draft, nurse)
    with pytest.raises(services.IntakeError, match="at most 25 documents"):
        services.request_answer_information(
            user=provider_staff,
            request_id=draft.pk,
            information_request_id=asked.pk,
            answer="Attached.",
            uploads=uploads_of(pdf("more.pdf", pdf_bytes("more"))),
        )
    asked.refresh_from_db()
    assert asked.answered_at is None


# Documents that claim a type by their first bytes and cost far more to open.


def zip_bomb_pdf(inflated: int = limits.PDF_DECOMPRESSED_BYTES + 1024 * 1024) -> bytes:
    """Return a one-page PDF whose content stream inflates to `inflated` bytes (a few KB on disk)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    stream = DecodedStreamObject()
    stream._data = zlib.compress(b" " * inflated, 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """Return a PNG header that claims a size, with one tiny (wrong) data chunk: what a bomb looks like."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


def test_it_refuses_a_pdf_that_inflates_past_the_limit():
    bomb = zip_bomb_pdf()
    assert len(bomb) < 200_000
    accepted, errors = check_uploads([pdf("labs.pdf", bomb)])
    assert accepted == []
    assert errors == [
        "labs.pdf expands to more than 50.0 MB when opened: please print it to a new PDF "
        "or send a smaller file."
    ]


def test_it_accepts_a_pdf_that_inflates_within_the_limit():
    accepted, errors = check_uploads([pdf("labs.pdf", zip_bomb_pdf(inflated=1024 * 1024))])
    assert errors == [] and len(accepted) == 1


def test_it_refuses_an_encrypted_pdf():
    accepted, errors = check_uploads([pdf("locked.pdf", encrypted_pdf())])
    assert accepted == [] and "locked.pdf is protected with a password or encrypted" in errors[0]


def test_it_calls_an_aes_encrypted_pdf_encrypted_too(monkeypatch):
    # AES needs the cryptography package, which is not installed: pypdf raises DependencyError.
    def needs_cryptography(*args, **kwargs):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(Encryption, "verify", needs_cryptography)
    accepted, errors = check_uploads([pdf("locked.pdf", encrypted_pdf())])
    assert accepted == [] and "locked.pdf is protected with a password or encrypted" in errors[0]


def test_it_refuses_a_malformed_pdf():
    accepted, errors = check_uploads([pdf("broken.pdf", b"%PDF-1.7\nnot really a pdf at all\n")])
    assert accepted == [] and "broken.pdf could not be opened as a PDF" in errors[0]


def test_it_refuses_a_png_claiming_100000_by_100000_pixels():
    accepted, errors = check_uploads([SimpleUploadedFile("scan.png", png_claiming(100_000, 100_000))])
    assert accepted == [] and errors == [
        "scan.png is larger than 50 megapixels: please scale it down or send a PDF."
    ]


def test_it_refuses_a_png_just_over_the_pixel_limit_and_accepts_a_real_one():
    _, errors = check_uploads([SimpleUploadedFile("wide.png", png_claiming(10_000, 5_001))])
    assert "larger than 50 megapixels" in errors[0]
    accepted, errors = check_uploads([SimpleUploadedFile("scan.png", PNG)])
    assert errors == [] and accepted[0].content_type == "image/png"


def test_it_refuses_a_truncated_png():
    _, errors = check_uploads([SimpleUploadedFile("cut.png", PNG[:40])])
    assert "cut.png could not be opened as an image: it may be damaged" in errors[0]


# Downloads: named by the detected type, never sniffed, always an attachment.


def test_a_pdf_named_html_downloads_as_pdf(client, provider_staff, draft):
    services.request_save_draft(
        user=provider_staff, request_id=draft.pk, details={}, uploads=uploads_of(pdf("labs.html"))
    )
    attachment = draft.attachments.get()
    client.force_login(provider_staff)
    response = client.get(reverse("requests:attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="labs.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content_type", "download"),
    [
        ("labs.html", "application/pdf", "labs.pdf"),
        ("scan.JPEG", "image/jpeg", "scan.JPEG"),
        ("scan.jpg.exe", "image/jpeg", "scan.jpg.jpg"),
        ("report", "image/png", "report.png"),
        (".html", "application/pdf", "document.pdf"),
        ("C:\\scans\\x-ray.svg", "image/png", "x-ray.png"),
    ],
)
def test_the_download_name_carries_the_detected_types_extension(name, content_type, download):
    assert Attachment(original_name=name, content_type=content_type).download_name == download


def test_a_post_larger_than_a_requests_documents_is_refused_before_it_is_read(client, provider_staff, draft):
    client.force_login(provider_staff)
    events = RequestEvent.objects.count()
    response = client.post(
        reverse("requests:edit", args=[draft.pk]),
        form_data(action="save", clinical_summary="Changed."),
        CONTENT_LENGTH=str(limits.REQUEST_DOCUMENT_BYTES + 6 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "A request's documents can total at most 100 MB" in response.content.decode()
    draft.refresh_from_db()
    assert draft.clinical_summary != "Changed." and RequestEvent.objects.count() == events
