"""Celery tasks for notifications: ids in, the services do the work (pretix's discipline)."""

from __future__ import annotations

from celery import Task, shared_task
from django.utils import timezone

from priorauth.notifications import delivery, watch
from priorauth.notifications.services import DELIVER_TASK, send_to_broker


@shared_task(
    bind=True,
    name=DELIVER_TASK,
    acks_late=True,
    ignore_result=True,
    max_retries=delivery.MAX_ATTEMPTS,
)
def deliver_notification(self: Task, notification_id: int) -> str:
    """Send one email row once; on a transient failure retry with backoff (the row says when).

    Run in-process (development), a retry is left to the relay instead of looping at once.
    """
    outcome = delivery.notification_deliver(notification_id=notification_id, task_id=self.request.id or "")
    if outcome.state == "retry" and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.state


@shared_task(name="notifications.relay", acks_late=True, ignore_result=True)
def relay_pending_notifications() -> int:
    """Queue the email rows the commit hook could not hand over, and those whose sender's lease expired."""
    ids = delivery.notifications_relay(now=timezone.now())
    send_to_broker(ids)
    return len(ids)


@shared_task(name="notifications.watch_due_times", acks_late=True, ignore_result=True)
def watch_due_times() -> dict[str, int]:
    """Warn supervisors of requests at risk of missing their due time, and of overdue ones daily."""
    return watch.due_times_watch(now=timezone.now())


@shared_task(name="notifications.peer_to_peer_reminders", acks_late=True, ignore_result=True)
def remind_peer_to_peer_talks() -> int:
    """Remind both sides of a scheduled peer-to-peer talk a day and an hour before it."""
    return watch.peer_to_peer_reminders_record(now=timezone.now())


@shared_task(name="notifications.daily_digests", acks_late=True, ignore_result=True)
def send_daily_digests() -> int:
    """Write each reviewer's daily digest, and those a missed run owes them (delivered like any email row)."""
    return watch.digests_record(now=timezone.now())
