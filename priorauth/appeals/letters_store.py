"""The stored appeal letter: rendered once per decided appeal, then served as stored."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from priorauth.appeals.letter import build_appeal_letter
from priorauth.appeals.models import Appeal, AppealLetter
from priorauth.letters.pdf import render_pdf

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
    rendered = render_pdf(build_appeal_letter(appeal))
    try:
        with transaction.atomic():
            AppealLetter.objects.create(appeal=appeal, pdf=rendered)
    except IntegrityError:
        return bytes(stored.get())
    return rendered
