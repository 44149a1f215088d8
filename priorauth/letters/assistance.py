"""What every notice ends with: language assistance and the non-discrimination notice (pure).

Every `Letter` carries this part (`Letter.assistance`), whoever built the letter: the HTML
template and the PDF draw it after the letter's own sections, so a determination letter, an
appeal decision and a changed decision all get it.

- 45 CFR 92.11 (Section 1557, 2024 rule): a notice of availability of language assistance
  services and auxiliary aids, in English and in at least the 15 languages most spoken by people
  with limited English proficiency in the state: the taglines (`text/taglines.py`).
- 45 CFR 147.136(e)(1)(ii)-(iii): oral language services (interpretation) on request and a
  tagline offering them: the offer names the interpreter by phone.
- 45 CFR 92.10 (Section 1557): a notice of nondiscrimination: that the plan does not
  discriminate on the grounds Section 1557 names; that reasonable modifications, auxiliary aids
  and language services are free and how to ask; the grievance procedure (the Section 1557
  coordinator, 92.7); and how to file a complaint with HHS's Office for Civil Rights. The OCR
  contacts are the ones in HHS's sample notice (High).
"""

from __future__ import annotations

from dataclasses import dataclass

from priorauth.letters.parts import Fact
from priorauth.letters.text import ENGLISH, words
from priorauth.letters.text.taglines import ENGLISH_TAGLINE, Tagline, taglines_for

OCR_PORTAL = "https://ocrportal.hhs.gov/ocr/portal/lobby.jsf"
OCR_PHONE = "1-800-368-1019, 1-800-537-7697 (TDD)"
OCR_MAIL = (
    "U.S. Department of Health and Human Services, 200 Independence Avenue SW, Room 509F, "
    "HHH Building, Washington, DC 20201"
)
OCR_FORMS = "https://www.hhs.gov/ocr/complaints/index.html"


@dataclass(frozen=True)
class LanguageAssistance:
    heading: str
    offer: str
    taglines_intro: str
    taglines: tuple[Tagline, ...]
    nondiscrimination_heading: str
    nondiscrimination: tuple[str, ...]
    ocr_intro: str
    ocr: tuple[Fact, ...]


def assistance_for(*, state: str, language: str) -> LanguageAssistance:
    """Return the closing part of a notice to a member of a plan in `state`, written in `language`.

    The taglines are the state's languages (every plan state's when the state is unknown), less
    the letter's own language; a letter not in English also points back to English.
    """
    w = words(language)
    taglines = tuple(t for t in taglines_for(state) if t.lang != w.language)
    if w.language != ENGLISH:
        taglines = (ENGLISH_TAGLINE, *taglines)
    return LanguageAssistance(
        heading=w("language.heading"),
        offer=w("language.offer"),
        taglines_intro=w("language.taglines"),
        taglines=taglines,
        nondiscrimination_heading=w("nondiscrimination.heading"),
        nondiscrimination=(
            w("nondiscrimination.policy"),
            w("nondiscrimination.aids"),
            w("nondiscrimination.grievance"),
        ),
        ocr_intro=w("nondiscrimination.ocr"),
        ocr=(
            Fact(w("nondiscrimination.ocr_online"), OCR_PORTAL),
            Fact(w("nondiscrimination.ocr_phone"), OCR_PHONE),
            Fact(w("nondiscrimination.ocr_mail"), OCR_MAIL),
            Fact(w("nondiscrimination.ocr_forms"), OCR_FORMS),
        ),
    )
