"""Celery tasks for appeals: an id in, the service does the work."""

from __future__ import annotations

from celery import shared_task

from priorauth.appeals.letters_store import appeal_letter_pdf
from priorauth.appeals.services import APPEAL_LETTER_TASK


@shared_task(name=APPEAL_LETTER_TASK, acks_late=True, ignore_result=True)
def render_appeal_letter(appeal_id: int) -> None:
    """Render and store the decided appeal's PDF letter (nothing if it is stored already)."""
    appeal_letter_pdf(appeal_id=appeal_id)
