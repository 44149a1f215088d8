"""Celery tasks for requests: ids in, the row loaded, the work done once."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from priorauth.requests.models import EventKind, PriorAuthRequest, RequestEvent

log = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    max_retries=8,
)
def send_submission_acknowledgement(request_id: int) -> None:
    """Email the submitter that the request was received; sent once, however often the task runs.

    The subject carries only the request number; the body no diagnosis or clinical detail.
    """
    pa = PriorAuthRequest.objects.select_related("submitted_by").get(pk=request_id)
    if pa.acknowledgement_sent_at is not None or not pa.submitted_by.email:
        return
    context = {"pa": pa, "site_url": getattr(settings, "SITE_URL", "")}
    message = EmailMultiAlternatives(
        subject=f"Prior authorization {pa.number} received",
        body=render_to_string("requests/email/acknowledgement.txt", context),
        to=[pa.submitted_by.email],
    )
    message.attach_alternative(render_to_string("requests/email/acknowledgement.html", context), "text/html")
    message.send()
    with transaction.atomic():
        claimed = PriorAuthRequest.objects.filter(pk=pa.pk, acknowledgement_sent_at=None).update(
            acknowledgement_sent_at=timezone.now()
        )
        if claimed:
            RequestEvent.objects.create(
                request=pa,
                kind=EventKind.ACKNOWLEDGED,
                reason=f"Acknowledgement emailed to {pa.submitted_by.email}.",
            )
    log.info("acknowledgement sent for request %s", pa.pk)


# The review side's periodic tasks live in their own module; importing them here registers them.
from priorauth.requests.review_tasks import record_deemed_approvals  # noqa: E402, F401
