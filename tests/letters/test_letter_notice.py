"""Every letter ends with the language-assistance taglines of its plan's state and the
non-discrimination notice (45 CFR 92.10, 92.11; 147.136(e)), on the page and in the PDF."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from PIL import features
from pypdf import PdfReader

from priorauth.letters import fonts
from priorauth.letters.assistance import OCR_PHONE
from priorauth.letters.content import Fact, Letter, Section
from priorauth.letters.pdf import render_pdf
from priorauth.letters.text.taglines import STATE_LANGUAGES, TAGLINES, taglines_for
from priorauth.members.models import CoveragePeriod, Member, Plan
from priorauth.requests.models import PriorAuthRequest
from tests.letters.test_letters import decide, denial, flat, login, submit

STATES = sorted(STATE_LANGUAGES)


def member_in(state: str) -> Member:
    plan = Plan.objects.create(
        code=f"{state}-TEST-LETTERS",
        name=f"{state} Marketplace Silver",
        line_of_business="marketplace",
        state=state,
    )
    member = Member.objects.create(
        member_id=f"{state}3000003",
        first_name="Mary",
        last_name="Jackson",
        date_of_birth=datetime.date(1971, 4, 9),
        plan=plan,
    )
    CoveragePeriod.objects.create(
        member=member, start=datetime.date(2026, 1, 1), end=datetime.date(2027, 12, 31)
    )
    return member


@pytest.fixture
def denied_in(provider_staff, records, physician):
    def make(state: str) -> PriorAuthRequest:
        pa = submit(provider_staff, member_in(state), records)
        decide(pa, physician, **denial(physician))
        return pa

    return make


def pdf_text(content: bytes) -> tuple[str, int]:
    """Return a PDF's text (whitespace flattened) and how many pictures it holds."""
    pages = PdfReader(io.BytesIO(content)).pages
    return flat(" ".join(page.extract_text() for page in pages)), sum(len(page.images) for page in pages)


def tagline_items(page: str) -> list[tuple[str, str, str]]:
    """Return each tagline on an HTML page as (lang, dir, text)."""
    pattern = r'<li class="tagline" lang="([^"]+)"(?: dir="(rtl)")? data-testid="tagline">(.*?)</li>'
    return re.findall(pattern, page, flags=re.S)


def test_it_gives_each_plan_state_fifteen_languages_all_with_taglines():
    for state in STATES:
        assert len(set(STATE_LANGUAGES[state])) == 15, state
        assert "es" in STATE_LANGUAGES[state]
        assert all(code in TAGLINES for code in STATE_LANGUAGES[state])


def test_it_gives_a_letter_of_no_known_state_every_plan_states_taglines():
    every = {code for codes in STATE_LANGUAGES.values() for code in codes}
    assert {t.lang for t in taglines_for("")} == every
    assert {t.lang for t in taglines_for("TX")} == every


@pytest.mark.parametrize("state", STATES)
def test_it_puts_the_states_taglines_on_the_letter_page_each_marked_with_its_language(
    client, provider_staff, denied_in, state
):
    pa = denied_in(state)
    login(client, provider_staff)
    page = client.get(reverse("letters:letter", args=[pa.pk])).content.decode()
    items = tagline_items(page)
    assert [lang for lang, _, _ in items] == list(STATE_LANGUAGES[state])
    for lang, direction, text in items:
        assert text.strip() == TAGLINES[lang].text.replace("'", "&#x27;")
        assert (direction == "rtl") == TAGLINES[lang].rtl
    assert '<article class="letter card shadow-sm mx-auto" lang="en"' in page
    assert "Notice of nondiscrimination" in page
    assert "oral interpretation" in flat(page)
    assert "ocrportal.hhs.gov" in page and OCR_PHONE in page


@pytest.mark.parametrize("state", STATES)
def test_it_prints_the_states_taglines_and_the_nondiscrimination_notice_in_the_pdf(
    client, provider_staff, denied_in, state
):
    pa = denied_in(state)
    login(client, provider_staff)
    text, pictures = pdf_text(client.get(reverse("letters:pdf", args=[pa.pk])).content)
    taglines = taglines_for(state)
    as_text = [t for t in taglines if t.script in fonts.TEXT_SCRIPTS]
    for tagline in as_text:
        assert flat(tagline.text) in text, tagline.lang
    # The others are shaped pictures, one per tagline (the letter itself has none).
    assert pictures == len(taglines) - len(as_text) > 0
    assert "Notice of nondiscrimination" in text
    assert "Office for Civil Rights" in text and "1-800-368-1019" in text
    assert "(oral interpretation)" in text


@pytest.mark.parametrize("lang", sorted(TAGLINES))
def test_it_has_a_glyph_for_every_character_of_every_tagline(lang):
    tagline = TAGLINES[lang]
    assert fonts.missing_glyphs(tagline.script, tagline.text) == ""


def test_it_shapes_the_pictures_with_libraqm_and_fribidi():
    # Without them Pillow draws Arabic letters unjoined and left to right (the Dockerfile installs FriBiDi).
    assert features.check("raqm") and features.check("fribidi")


def test_it_finds_a_character_a_font_cannot_draw():
    assert fonts.missing_glyphs("Latn", "Я and 中") == "中"


@pytest.mark.parametrize(
    "lang", sorted(t.lang for t in TAGLINES.values() if t.script not in fonts.TEXT_SCRIPTS)
)
def test_it_draws_a_picture_tagline_with_ink_on_every_line(lang):
    tagline = TAGLINES[lang]
    png, width, height = fonts.tagline_picture(
        tagline.text,
        script=tagline.script,
        lang=lang,
        rtl=tagline.rtl,
        width_pt=470,
        size_pt=9,
        ink=0,
    )
    assert width == 470 and 9 < height < 80
    assert png.startswith(b"\x89PNG")


def handmade_letter(**fields: Any) -> Letter:
    """A Letter as another kind of notice (an appeal decision) builds it, without build_letter."""
    values: dict[str, Any] = {
        "request_number": "PA-2027-000001",
        "filename": "PA-2027-000001.pdf",
        "title": "Notice of appeal decision",
        "sender": "Marketplace Silver",
        "letter_date": "January 5, 2027",
        "recipients": ("Mary Jackson, member",),
        "about": (Fact("Request number", "PA-2027-000001"),),
        "headline": "Your appeal is upheld.",
        "outcome": "denied",
        "is_adverse": True,
        "sections": (Section(slug="appeal-decision", heading="Our decision", paragraphs=("Upheld.",)),),
    }
    return Letter(**(values | fields))


def test_it_ends_any_letter_with_the_notice_parts_even_one_not_built_by_build_letter():
    letter = handmade_letter(state="WV")
    page = render_to_string("letters/letter.html", {"letter": letter, "pk": 1, "user": None})
    assert [lang for lang, _, _ in tagline_items(page)] == list(STATE_LANGUAGES["WV"])
    assert "Notice of nondiscrimination" in page
    text, pictures = pdf_text(render_pdf(letter))
    assert "Notice of nondiscrimination" in text and pictures > 0
    assert "Help in your language" in letter.text()
