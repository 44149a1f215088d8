"""The stored PDF letter: rendered once per determination, then served as stored."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from priorauth.letters.content import build_letter
from priorauth.letters.pdf import render_pdf
from priorauth.letters.text import language_or_english
from priorauth.review.models import Determination, DeterminationLetter

_FOR_LETTER = (
    "decided_by",
    "supersedes",
    "request__member__plan",
    "request__product",
    "request__organization",
)


def letter_pdf(*, determination_id: int) -> bytes:
    """Return the determination's PDF letter, rendering and storing it first if it has none.

    The rendering runs outside any transaction (it takes a fraction of a second, which no row
    lock should wait on); of two renders at once, the first stored wins and both return it.
    """
    stored = DeterminationLetter.objects.filter(determination_id=determination_id).values_list(
        "pdf", flat=True
    )
    if (pdf := stored.first()) is not None:
        return bytes(pdf)
    determination = Determination.objects.select_related(*_FOR_LETTER).get(pk=determination_id)
    # The letter that is sent is in the member's preferred language (45 CFR 147.136(e)).
    language = language_or_english(determination.request.member.preferred_language)
    rendered = render_pdf(build_letter(determination.request, determination, language))
    try:
        with transaction.atomic():
            DeterminationLetter.objects.create(determination=determination, pdf=rendered)
    except IntegrityError:
        return bytes(stored.get())
    return rendered


def letter_pdf_in(*, determination_id: int, language: str) -> bytes:
    """Return the determination's PDF letter in a language: the stored one when it is the member's
    own (the letter as sent), else rendered now and not stored (a copy asked for from the page).
    """
    determination = Determination.objects.select_related(*_FOR_LETTER).get(pk=determination_id)
    if language_or_english(language) == language_or_english(determination.request.member.preferred_language):
        return letter_pdf(determination_id=determination_id)
    return render_pdf(build_letter(determination.request, determination, language))
