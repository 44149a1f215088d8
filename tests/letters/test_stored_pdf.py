"""The PDF letter is rendered once, when the determination is recorded, and served as stored."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from priorauth.letters.content import build_letter
from priorauth.letters.pdf import breakable, render_pdf
from priorauth.review.models import DeterminationLetter, QueueAssignment
from priorauth.review.services import determination_record, review_claim
from tests.letters.test_letters import decide, denial, submit


@pytest.fixture
def submitted(provider_staff, member, records):
    return submit(provider_staff, member, records)


def pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_it_stores_the_letter_when_the_determination_is_recorded(
    submitted, physician, django_capture_on_commit_callbacks
):
    QueueAssignment.objects.create(reviewer=physician, queue=submitted.queue)
    review_claim(user=physician, request_id=submitted.pk)
    with django_capture_on_commit_callbacks(execute=True):
        determination = determination_record(user=physician, request_id=submitted.pk, **denial(physician))
    stored = DeterminationLetter.objects.get(determination=determination)
    assert submitted.number in pdf_text(bytes(stored.pdf))


def test_it_serves_the_stored_letter_not_a_new_rendering(client, provider_staff, submitted, physician):
    determination = decide(submitted, physician, **denial(physician))
    DeterminationLetter.objects.create(determination=determination, pdf=b"%PDF-1.7 the letter as sent")
    client.force_login(provider_staff)
    response = client.get(reverse("letters:pdf", args=[submitted.pk]))
    assert response.content == b"%PDF-1.7 the letter as sent"
    assert response["Content-Disposition"] == f'attachment; filename="{submitted.number}.pdf"'


def test_a_determination_without_a_stored_letter_gets_one_at_the_first_download(
    client, provider_staff, submitted, physician
):
    determination = decide(submitted, physician, **denial(physician))
    client.force_login(provider_staff)
    first = client.get(reverse("letters:pdf", args=[submitted.pk])).content
    stored = DeterminationLetter.objects.get(determination=determination)
    assert bytes(stored.pdf) == first and first.startswith(b"%PDF-")
    assert client.get(reverse("letters:pdf", args=[submitted.pk])).content == first
    assert DeterminationLetter.objects.count() == 1


def test_a_20000_character_unbroken_word_renders_and_is_in_the_letter(submitted, physician):
    word = "Q" * 19_990 + "0123456789"
    determination = decide(submitted, physician, **denial(physician, reason=f"Because {word} applies."))
    pdf = render_pdf(build_letter(submitted, determination))
    # The word runs over several pages: the footers ("Request PA-...  Page 2") come between.
    footer = rf"Request{submitted.number}Page\d+"
    text = re.sub(footer, "", re.sub(r"\s+", "", pdf_text(pdf)))
    assert f"Because{word}applies." in text


def test_it_breaks_only_words_longer_than_the_limit():
    assert breakable("ECOG < 2 is required") == "ECOG < 2 is required"
    assert breakable("a " + "x" * 100) == "a " + " ".join(["x" * 40, "x" * 40, "x" * 20])
