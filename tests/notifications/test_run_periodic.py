"""`manage.py run_periodic` runs beat's schedule in-process: the development stand-in for beat."""

from __future__ import annotations

import datetime
import io

from django.core import mail
from django.core.management import call_command

from priorauth.celery import app
from priorauth.notifications.models import Notification
from tests.notifications.conftest import emails
from tests.review.world import submitted


def test_it_schedules_the_relay_the_watch_and_the_digests():
    app.loader.import_default_modules()
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"notifications.relay", "notifications.watch_due_times", "notifications.daily_digests"} <= tasks
    assert tasks <= set(app.tasks)  # every scheduled task exists


def test_it_runs_every_scheduled_job_once_in_process(clock, provider_staff, supervisor):
    pa = submitted(provider_staff, "OH")  # its commit hook never runs here: the relay must send it
    clock.move_to(pa.at_risk_at + datetime.timedelta(minutes=2))
    out = io.StringIO()
    call_command("run_periodic", "--once", stdout=out)
    assert "notifications-relay" in out.getvalue()
    assert Notification.objects.filter(event="at_risk").exists()
    assert [m.subject for m in mail.outbox] == [f"Request {pa.number}: received"]
    assert [row.status for row in emails(event="submitted")] == ["sent"]
