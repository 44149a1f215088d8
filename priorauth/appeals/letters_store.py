"""The stored appeal letter: rendered once per decided appeal, then served as stored."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from priorauth.appeals.letter import build_appeal_letter
from priorauth.appeals.models import Appeal, AppealLetter
from priorauth.letters.pdf import render_pdf
from priorauth.letters.text import language_or_english

LETTER_RELATED = (
    "decided_by",
    "determination",
    "request__member__plan",
    "request__product",
    "request__organization",
)


def appeal_letter_pdf(*, appeal_id: int) -> bytes:
    """Return the decided appeal's PDF letter, rendering and storing it first if it has none.

    Rendered outside any transaction; of two renders at once the first stored wins.
    """
    stored = AppealLetter.objects.filter(appeal_id=appeal_id).values_list("pdf", flat=True)
    if (pdf := stored.first()) is not None:
        return bytes(pdf)
    appeal = Appeal.objects.select_related(*LETTER_RELATED).get(pk=appeal_id, decided_at__isnull=False)
    # The letter that is sent is in the member's preferred language (45 CFR 147.136(e)).
    language = language_or_english(appeal.request.member.preferred_language)
    rendered = render_pdf(build_appeal_letter(appeal, language))
    try:
        with transaction.atomic():
            AppealLetter.objects.create(appeal=appeal, pdf=rendered)
    except IntegrityError:
        return bytes(stored.get())
    return rendered


def appeal_letter_pdf_in(*, appeal_id: int, language: str) -> bytes:
    """Return the appeal letter's PDF in a language: the stored one when it is the member's own
    (the letter as sent), else rendered now and not stored (a copy asked for from the page).
    """
    appeal = Appeal.objects.select_related(*LETTER_RELATED).get(pk=appeal_id, decided_at__isnull=False)
    if language_or_english(language) == language_or_english(appeal.request.member.preferred_language):
        return appeal_letter_pdf(appeal_id=appeal_id)
    return render_pdf(build_appeal_letter(appeal, language))
