"""The appeal decision letters: each outcome's words, and each state's external review rights."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from priorauth.appeals.letter import build_appeal_letter
from priorauth.appeals.letters_store import LETTER_RELATED, appeal_letter_pdf
from priorauth.appeals.models import Appeal, AppealLetter
from priorauth.appeals.services import appeal_decide
from tests.appeals.world import appeal_physician, decided, filed, overturn  # noqa: F401
from tests.review.world import seed  # noqa: F401

pytestmark = pytest.mark.usefixtures("seed")


def letter_of(appeal: Appeal):
    return build_appeal_letter(Appeal.objects.select_related(*LETTER_RELATED).get(pk=appeal.pk))


def upheld(staff, physician, reviewer, state, **changes) -> Appeal:
    appeal = filed(staff, decided(staff, physician, state), **changes)
    return appeal_decide(
        user=reviewer,
        appeal_id=appeal.pk,
        outcome="upheld",
        rationale="ECOG is still 3.",
        mismatch_confirmed=True,
    )


@pytest.mark.parametrize(
    ("state", "regulator", "window", "source"),
    [
        ("GA", "Georgia Office of Commissioner of Insurance", "4 months", "O.C.G.A. 33-20A-35"),
        ("IN", "Indiana Department of Insurance", "120 days", "IC 27-13-10.1"),
        ("OH", "Ohio Department of Insurance", "4 months", "ORC Chapter 3922"),
        ("WV", "West Virginia Offices of the Insurance Commissioner", "4 months", "114 CSR 97-6"),
    ],
)
def test_the_upheld_letter_gives_the_states_external_review(
    provider_staff, physician, appeal_physician, state, regulator, window, source
):
    letter = letter_of(upheld(provider_staff, physician, appeal_physician, state))
    review = letter.section("external-review")
    assert review is not None
    text = letter.text()
    assert "final decision on your internal appeal" in text
    assert regulator in text and f"within {window} of the date of this letter" in text
    assert source in review.note
    assert "expedited external review" in text.lower() and "72 hours" in text
    assert letter.is_adverse and "kept our decision" in letter.headline


def test_an_expedited_appeal_letter_puts_the_expedited_external_review_first(
    provider_staff, physician, appeal_physician
):
    appeal = upheld(
        provider_staff,
        physician,
        appeal_physician,
        "OH",
        urgency="expedited",
        expedited_statement="Relapsing.",
    )
    review = letter_of(appeal).section("external-review")
    assert review.important and "reviewed as urgent" in review.paragraphs[0]


def test_the_overturned_letter_says_what_is_approved(provider_staff, physician, appeal_physician):
    appeal = filed(provider_staff, decided(provider_staff, physician, "OH"))
    appeal_decide(user=appeal_physician, appeal_id=appeal.pk, **overturn())
    letter = letter_of(appeal)
    assert not letter.is_adverse and "approved" in letter.headline
    decision = letter.section("decision")
    facts = {fact.label: fact.value for fact in decision.facts}
    assert facts["Decision code (X12 278)"].startswith("A1")
    assert facts["Approved service"] == "Yescarta (Q2041)"
    assert "took no part in our first decision" in letter.text()


def test_the_letter_names_the_treating_provider_once_when_no_name_is_known(
    provider_staff, physician, appeal_physician
):
    pa = decided(provider_staff, physician, "OH")
    type(pa).objects.filter(pk=pa.pk).update(ordering_name="")
    appeal = filed(provider_staff, pa)
    appeal_decide(user=appeal_physician, appeal_id=appeal.pk, **overturn())
    text = letter_of(appeal).text()
    assert f"The treating provider (NPI {pa.ordering_npi}), {pa.organization.name}" in text
    assert "treating provider, treating provider" not in text.lower()


def test_the_letter_is_a_page_and_a_stored_pdf_for_the_office(
    client, provider_staff, physician, appeal_physician
):
    appeal = upheld(provider_staff, physician, appeal_physician, "GA")
    client.force_login(provider_staff)
    page = client.get(reverse("appeals:letter", args=[appeal.pk]))
    assert page.status_code == 200 and b"O.C.G.A. 33-20A-35" in page.content
    pdf = client.get(reverse("appeals:letter_pdf", args=[appeal.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "external review" in text and "Georgia" in text
    assert AppealLetter.objects.filter(appeal=appeal).count() == 1
    assert appeal_letter_pdf(appeal_id=appeal.pk) == pdf.content


def test_an_open_appeal_has_no_letter_yet(client, provider_staff, physician):
    appeal = filed(provider_staff, decided(provider_staff, physician, "GA"))
    client.force_login(provider_staff)
    assert client.get(reverse("appeals:letter", args=[appeal.pk])).status_code == 404


def test_the_letter_is_written_in_spanish_from_the_same_content_tree(
    provider_staff, physician, appeal_physician
):
    appeal = upheld(provider_staff, physician, appeal_physician, "IN")
    english = letter_of(appeal)
    spanish = build_appeal_letter(Appeal.objects.select_related(*LETTER_RELATED).get(pk=appeal.pk), "es")
    assert spanish.language == "es" and spanish.title == "Aviso de decisión sobre su apelación"
    # The same sections, every heading in Spanish, the state's rights in Spanish words.
    assert [s.slug for s in spanish.sections] == [s.slug for s in english.sections]
    assert not {s.heading for s in spanish.sections} & {s.heading for s in english.sections}
    text = spanish.text()
    assert "Revisión externa acelerada" in text and "dentro de 120 días" in text and "72 horas" in text
    assert "IC 27-13-10.1" in spanish.section("external-review").note
    assert "external review" not in text.lower()


def test_the_office_gets_the_spanish_letter_on_asking_and_the_member_gets_it_by_preference(
    client, provider_staff, physician, appeal_physician
):
    appeal = upheld(provider_staff, physician, appeal_physician, "OH")
    client.force_login(provider_staff)
    page = client.get(reverse("appeals:letter", args=[appeal.pk]), {"lang": "es"})
    assert page.status_code == 200 and "Su derecho a una revisión externa" in page.content.decode()
    assert b'lang="es"' in page.content and b"?lang=es" in page.content
    # An unknown code is English, never an error.
    assert (
        "Your right to an external review"
        in client.get(reverse("appeals:letter", args=[appeal.pk]), {"lang": "xx"}).content.decode()
    )
    pdf = client.get(reverse("appeals:letter_pdf", args=[appeal.pk]), {"lang": "es"})
    assert pdf.status_code == 200 and pdf["Content-Disposition"].endswith('-es.pdf"')
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "revisión externa" in text
    # A copy asked for in another language is not stored: the stored letter is the member's own.
    member = appeal.request.member
    member.preferred_language = "es"
    member.save()
    AppealLetter.objects.filter(appeal=appeal).delete()
    stored = appeal_letter_pdf(appeal_id=appeal.pk)
    assert "revisión externa" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(stored)).pages)
