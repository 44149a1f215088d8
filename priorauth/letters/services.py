"""The stored PDF letter: rendered once per determination, then served as stored."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from priorauth.letters.content import build_letter
from priorauth.letters.pdf import render_pdf
from priorauth.review.models import Determination, DeterminationLetter


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
    determination = Determination.objects.select_related(
        "decided_by", "supersedes", "request__member__plan", "request__product", "request__organization"
    ).get(pk=determination_id)
    rendered = render_pdf(build_letter(determination.request, determination))
    try:
        with transaction.atomic():
            DeterminationLetter.objects.create(determination=determination, pdf=rendered)
    except IntegrityError:
        return bytes(stored.get())
    return rendered
