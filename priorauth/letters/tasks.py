"""Celery tasks for letters: an id in, the service does the work."""

from __future__ import annotations

from celery import shared_task

from priorauth.letters.services import letter_pdf
from priorauth.review.determinations import LETTER_RENDER_TASK


# Queued by this name when a determination is recorded (review sits below letters and names it).
@shared_task(name=LETTER_RENDER_TASK, acks_late=True, ignore_result=True)
def render_letter(determination_id: int) -> None:
    """Render and store the determination's PDF letter (nothing if it is stored already)."""
    letter_pdf(determination_id=determination_id)
