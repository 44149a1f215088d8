"""A denial's letter lists each criterion not met, in plain words, with what would change the decision."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from priorauth.letters.content import build_letter
from priorauth.letters.services import letter_pdf
from priorauth.requests.models import PriorAuthRequest
from priorauth.review.checklists import MarkInput
from priorauth.review.services import determination_record
from tests.review.test_checklists import claim, mark
from tests.review.world import approval, denial, seed, submitted  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("seed")

LOWEST_COST = "The lowest cost alternative (Preamble, definition of medically necessary services)"
LOWEST_COST_EVIDENCE = (
    "What would change the decision: Records of the other treatments tried or considered (prior lines of "
    "therapy and their results) and why each is not suitable for the member."
)
STANDARDS = "Meets the standards of good medical practice in the local area"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def denied(provider_staff, physician) -> PriorAuthRequest:
    pa = submitted(provider_staff, "OH")
    claim(physician, pa)
    met, unmet = MarkInput("met"), MarkInput("not_met", note="Only one prior line documented.")
    mark(physician, pa, met, met, MarkInput("not_met"), unmet, met)
    determination_record(user=physician, request_id=pa.pk, **denial())
    return PriorAuthRequest.objects.select_related("member__plan", "product", "organization").get(pk=pa.pk)


def test_it_lists_each_criterion_not_met_with_what_would_change_the_decision(denied):
    letter = build_letter(denied, denied.determination)
    section = letter.section("criteria-not-met")
    assert section.heading == "Criteria not met"
    assert [step.label for step in section.steps] == [
        f"{STANDARDS} (Preamble, definition of medically necessary services)",
        LOWEST_COST,
    ]
    assert section.steps[1].value == LOWEST_COST_EVIDENCE
    # The reviewer's working note stays on the review side.
    assert "Only one prior line documented" not in letter.text()
    # After the reason, before the peer-to-peer offer.
    slugs = [s.slug for s in letter.sections]
    assert slugs.index("reason") < slugs.index("criteria-not-met") < slugs.index("peer-to-peer")


def test_the_letter_page_lists_them(client, provider_staff, denied):
    client.force_login(provider_staff)
    page = flat(client.get(reverse("letters:letter", args=[denied.pk])).content.decode())
    assert 'data-testid="letter-criteria-not-met"' in page
    assert f"<strong>{LOWEST_COST}.</strong> {LOWEST_COST_EVIDENCE}" in page
    assert STANDARDS in page


def test_the_stored_pdf_lists_them(denied):
    pdf = letter_pdf(determination_id=denied.determination.pk)
    text = flat("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert "Criteria not met" in text
    assert flat(f"{LOWEST_COST}. {LOWEST_COST_EVIDENCE}") in text
    assert STANDARDS in text


def test_an_approval_letter_lists_no_criteria(provider_staff, nurse):
    pa = submitted(provider_staff, "OH")
    claim(nurse, pa)
    met = MarkInput("met")
    mark(nurse, pa, met, met, met, MarkInput("not_met", note="Approved after the peer-to-peer call."), met)
    determination = determination_record(user=nurse, request_id=pa.pk, **approval())
    assert build_letter(pa, determination).section("criteria-not-met") is None
