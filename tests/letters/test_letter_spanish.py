"""A whole letter in Spanish (45 CFR 147.136(e)): same structure as the English one, chosen by
the member's preferred language or the page's language switch."""

from __future__ import annotations

import io
import string

import pytest
from django.urls import reverse
from pypdf import PdfReader

from priorauth.letters.content import build_letter
from priorauth.letters.text import en, es, language_or_english, letter_language
from priorauth.requests.models import PriorAuthRequest
from priorauth.review.models import Determination
from tests.letters.test_letters import REASON, decide, denial, flat, login, submit

ENGLISH_HEADINGS = [
    "What was requested",
    "Our decision",
    "Why we made this decision",
    "Your doctor can talk with the reviewer",
    "Your right to appeal",
    "Getting help",
    "Help in your language",
    "Notice of nondiscrimination",
]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_it_has_every_english_key_in_spanish_with_the_same_placeholders():
    assert set(es.TEXT) == set(en.TEXT)
    for key, english in en.TEXT.items():
        assert placeholders(es.TEXT[key]) == placeholders(english), key
    assert len(es.MONTHS) == len(en.MONTHS) == 12


@pytest.mark.parametrize(
    ("asked", "preferred", "language"),
    [
        ("es", "", "es"),
        (" ES ", "", "es"),
        ("en", "es", "en"),
        (None, "es", "es"),
        (None, "vi", "en"),
        (None, "", "en"),
        ("xx", "es", "en"),
        ("../../etc/passwd", "", "en"),
    ],
)
def test_it_picks_the_letter_language(asked, preferred, language):
    assert letter_language(asked, preferred) == language


def test_it_takes_only_strings_as_language_codes():
    assert language_or_english(None) == "en"


@pytest.fixture
def denied(provider_staff, member, records, physician) -> PriorAuthRequest:
    submitted = submit(provider_staff, member, records)
    physician.first_name, physician.last_name = "Raj", "Patel"
    physician.save()
    decide(submitted, physician, **denial(physician))
    return PriorAuthRequest.objects.select_related("member__plan", "product", "organization").get(
        pk=submitted.pk
    )


def test_it_writes_the_whole_denial_in_spanish(denied):
    letter = build_letter(denied, Determination.objects.get(request=denied), "es")
    text = flat(letter.text())
    assert letter.language == "es"
    assert "Su solicitud está denegada." in text
    assert "Por qué tomamos esta decisión" in text and "Su derecho a apelar" in text
    assert "A3 - no certificada" in text
    assert "MN01 - La solicitud no cumple los criterios de necesidad médica" in text
    assert "Raj Patel, médico revisor (director médico), está disponible" in text
    assert "dentro de los 180 días siguientes a recibir esta carta" in text
    assert "21 de abril de 1961" in text and "15 de enero de 2027" in text
    assert "Ohio Department of Insurance" in text  # a proper name stays as it is
    assert REASON in text  # what the reviewer wrote is printed as written
    assert "Aviso de no discriminación" in text
    for heading in ENGLISH_HEADINGS:
        assert heading not in text


def test_it_points_a_spanish_letter_back_to_english_among_the_taglines(denied):
    letter = build_letter(denied, Determination.objects.get(request=denied), "es")
    codes = [t.lang for t in letter.assistance.taglines]
    assert codes[0] == "en" and "es" not in codes


def test_it_shows_the_spanish_page_with_its_language_marked_and_no_english_headings(
    client, provider_staff, denied
):
    login(client, provider_staff)
    response = client.get(reverse("letters:letter", args=[denied.pk]), {"lang": "es"})
    page = flat(response.content.decode())
    assert response.status_code == 200
    assert 'lang="es" aria-labelledby="letter-title"' in page
    assert "Aviso de decisión sobre la autorización previa" in page
    for heading in ENGLISH_HEADINGS:
        assert f">{heading}</h2>" not in page
    assert f"{reverse('letters:pdf', args=[denied.pk])}?lang=es" in page
    assert 'aria-current="page" href="?lang=es"' in page


def test_it_writes_the_letter_in_the_members_preferred_language(client, provider_staff, denied):
    denied.member.preferred_language = "es"
    denied.member.save()
    login(client, provider_staff)
    url = reverse("letters:letter", args=[denied.pk])
    assert "Su solicitud está denegada." in client.get(url).content.decode()
    assert "Your request is denied." in client.get(url, {"lang": "en"}).content.decode()


@pytest.mark.parametrize("lang", ["xx", "", "e" * 500, "es\x00"])
def test_it_answers_an_unknown_language_with_the_english_letter(client, provider_staff, denied, lang):
    login(client, provider_staff)
    for name in ["letters:letter", "letters:pdf"]:
        response = client.get(reverse(name, args=[denied.pk]), {"lang": lang})
        assert response.status_code == 200
    page = client.get(reverse("letters:letter", args=[denied.pk]), {"lang": lang}).content.decode()
    assert "Your request is denied." in page


def pdf_text(content: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def test_it_downloads_the_spanish_pdf_on_request(client, provider_staff, denied):
    login(client, provider_staff)
    response = client.get(reverse("letters:pdf", args=[denied.pk]), {"lang": "es"})
    assert response["Content-Disposition"] == f'attachment; filename="{denied.number}-es.pdf"'
    text = pdf_text(response.content)
    assert "Su solicitud está denegada." in text and "Por qué tomamos esta decisión" in text
    assert "Why we made this decision" not in text
    assert "Para:" in text and f"Solicitud {denied.number}" in text and "Página 1" in text
    # The English letter stays the one stored for a member who asked for no other language.
    english = client.get(reverse("letters:pdf", args=[denied.pk]))
    assert "Your request is denied." in pdf_text(english.content)


def test_it_stores_the_letter_in_the_members_preferred_language(client, provider_staff, denied):
    denied.member.preferred_language = "es"
    denied.member.save()
    login(client, provider_staff)
    response = client.get(reverse("letters:pdf", args=[denied.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="{denied.number}-es.pdf"'
    stored = bytes(Determination.objects.get(request=denied).letter.pdf)
    assert "Su solicitud está denegada." in pdf_text(stored)
