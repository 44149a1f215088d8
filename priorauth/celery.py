"""The Celery app: configured from Django settings (CELERY_*), tasks autodiscovered."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "priorauth.settings")

app = Celery("priorauth")
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
    "notifications-relay": {"task": "notifications.relay", "schedule": 60.0},
    "notifications-watch-due-times": {"task": "notifications.watch_due_times", "schedule": 5 * 60.0},
    # 11:00 UTC: 7 am Eastern in summer, 6 am in winter, before the reviewers' day starts.
    "notifications-daily-digests": {
        "task": "notifications.daily_digests",
        "schedule": crontab(hour=11, minute=0),
    },
}
