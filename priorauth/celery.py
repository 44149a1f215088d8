"""The Celery app: configured from Django settings (CELERY_*), tasks autodiscovered."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from functools import cached_property

from celery import Celery, Task
from celery.beat import PersistentScheduler
from celery.schedules import crontab
from celery.worker.consumer import Consumer as CeleryConsumer
from django.db.utils import OperationalError
from kombu import Connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "priorauth.settings")

log = logging.getLogger(__name__)

# Seconds between the worker's (and beat's) attempts to reach a broker that went away: 1, 2, 3,
# 4, then 5 s (kombu's own are 2, 4, 6 ... up to 30 s), so work resumes within 5 s of its return.
RECONNECT_INTERVALS = {"interval_start": 1, "interval_step": 1, "interval_max": 5}


class DatabaseRetryingTask(Task):
    """Every task tries again, after 2, 4, 8 ... (at most 60) seconds, when the database drops.

    A terminated connection or a failover raises OperationalError; the task's work ran in a
    transaction (rolled back) or before a conditional claim, so running it again is safe.
    Retries count against the task's own `max_retries` (3 unless a task says otherwise).
    """

    autoretry_for = (OperationalError,)
    retry_backoff = 2
    retry_backoff_max = 60
    retry_jitter = True


def reconnecting(conn: Connection) -> Connection:
    """Return the connection, its attempts to reach the broker spaced by RECONNECT_INTERVALS."""
    conn.ensure_connection = functools.partial(conn.ensure_connection, **RECONNECT_INTERVALS)
    return conn


def closing_what_is_left(close: Callable[[], None]) -> Callable[[], None]:
    """Return `close`, made to survive a Redis channel whose connection is already gone.

    Closing the broken connection, kombu's Redis channel puts unacknowledged messages back and
    looks up the connection's host on None (celery#8030): the AttributeError stopped the worker
    for good ("Unrecoverable error") instead of reconnecting. The messages stay in Redis's
    unacked set, which the reconnected worker restores.
    """

    def close_quietly() -> None:
        try:
            close()
        except AttributeError as error:
            log.warning("broker connection closed with an error of its own (%s); reconnecting", error)

    return close_quietly


def acknowledging_what_is_left(channel: object) -> None:
    """Make the channel's acknowledgements survive its connection being gone (celery#8030, again).

    A task that was running through a broker outage finishes after the worker reconnected and
    acknowledges its message on the old channel: kombu looks up that channel's host on None and
    the AttributeError stopped the worker for good. The task's work is done (acks are late) and
    its row is marked sent, so the acknowledgement is dropped: the message stays in Redis's
    unacked set, comes back after the visibility timeout, and finds nothing left to send.
    """
    for name in ("basic_ack", "basic_reject"):
        method = getattr(channel, name, None)
        if method is not None:
            setattr(channel, name, _quiet_on_a_dead_channel(method))


def _quiet_on_a_dead_channel(method: Callable[..., object]) -> Callable[..., object]:
    @functools.wraps(method)
    def quietly(*args: object, **kwargs: object) -> object:
        try:
            return method(*args, **kwargs)
        except AttributeError as error:
            log.warning("%s on a closed broker channel dropped (%s)", method.__name__, error)
            return None

    return quietly


class Consumer(CeleryConsumer):
    """The worker's consumer (`CELERY_WORKER_CONSUMER`), reconnecting at most 5 s apart."""

    def ensure_connected(self, conn: Connection) -> Connection:
        return super().ensure_connected(reconnecting(conn))

    def on_connection_error_after_connected(self, exc: Exception) -> None:
        if self.connection is not None:
            self.connection.close = closing_what_is_left(self.connection.close)
            # Private, but the only way to the channels without opening a new transport.
            transport = getattr(self.connection, "_transport", None)
            for channel in list(getattr(transport, "channels", ())):
                acknowledging_what_is_left(channel)
        super().on_connection_error_after_connected(exc)


class Scheduler(PersistentScheduler):
    """Beat's scheduler (`CELERY_BEAT_SCHEDULER`), reconnecting at most 5 s apart.

    Beat waits for the broker before sending what is due, the relay among it.
    """

    @cached_property
    def connection(self) -> Connection:
        return reconnecting(self.app.connection_for_write())


app = Celery("priorauth", task_cls=DatabaseRetryingTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The project package is not an installed app, so its own tasks module is named here.
app.autodiscover_tasks(["priorauth"])

# Periodic work (run by `celery beat`). Each entry names a task by its registered name.
app.conf.beat_schedule = {
    # Georgia and Indiana approve by operation of law a request undecided at its due time.
    "record-deemed-approvals": {
        "task": "review.record_deemed_approvals",
        "schedule": 5 * 60.0,
    },
    # Notifications (`manage.py run_periodic` runs this same schedule in development): email rows
    # the commit hook could not hand to the broker, the due-time watch, the reviewers' digests.
    # Every 5 s: a row whose worker was killed mid-send is free again when its lease ends
    # (EMAIL_TIMEOUT + 10 s, 20 s by default) and goes out again within 5 s of that, so mail
    # resumes within 30 s of the crash; a broker outage's rows leave within seconds of its end.
    # Each run is two indexed queries over pending rows.
    "notifications-relay": {"task": "notifications.relay", "schedule": 5.0},
    "notifications-watch-due-times": {"task": "notifications.watch_due_times", "schedule": 5 * 60.0},
    # Every 5 minutes too: an hour's reminder goes out between 60 and 55 minutes before the talk.
    "notifications-peer-to-peer-reminders": {
        "task": "notifications.peer_to_peer_reminders",
        "schedule": 5 * 60.0,
    },
    # The member lookup's counters past their longest window (15 minutes): no lookup deletes them.
    "lookup-prune": {"task": "lookup.prune", "schedule": 10 * 60.0},
    # 11:00 UTC: 7 am Eastern in summer, 6 am in winter, before the reviewers' day starts.
    "notifications-daily-digests": {
        "task": "notifications.daily_digests",
        "schedule": crontab(hour=11, minute=0),
    },
}
