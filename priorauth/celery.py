"""The Celery app: configured from Django settings (CELERY_*), tasks autodiscovered."""

from __future__ import annotations

import os

from celery import Celery

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
        "task": "priorauth.requests.review_tasks.record_deemed_approvals",
        "schedule": 5 * 60.0,
    },
}
