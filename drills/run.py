"""Run one drill: submissions in this thread, the fault beside them, then wait for every message.

The drill's rows are the email notifications written since it started; what was delivered is
what the sink received. The harness reads both generically (status values as stored, any
Message-ID the messages carry), so it measures whatever the delivery code does.
"""

from __future__ import annotations

import datetime
import statistics
import threading
import time
from dataclasses import dataclass, field

from drills import counting, world
from drills.faults import DRILLS, Plan
from drills.rig import Rig

RECOVERY_TARGET = 30.0


@dataclass
class Result:
    name: str
    description: str
    submitted: int = 0
    submit_failures: int = 0
    submit_errors: dict[str, int] = field(default_factory=dict)
    submit_seconds: list[float] = field(default_factory=list)
    tally: counting.Tally = field(default_factory=counting.Tally)
    recovery_s: float | None = None
    waited_s: float = 0.0
    acknowledgements_missing: int = 0
    events: list[str] = field(default_factory=list)

    @property
    def submit_median_ms(self) -> float:
        return 1000 * statistics.median(self.submit_seconds) if self.submit_seconds else 0.0

    @property
    def submit_max_ms(self) -> float:
        return 1000 * max(self.submit_seconds, default=0.0)

    def missed(self) -> list[str]:
        """Return the targets this drill missed (empty when it met them all)."""
        missed = []
        if self.submit_failures:
            missed.append(f"{self.submit_failures} submit failures")
        if self.tally.lost:
            missed.append(f"{self.tally.lost} lost")
        if self.tally.duplicated:
            missed.append(f"{self.tally.duplicated} duplicated")
        if self.recovery_s is None or self.recovery_s >= RECOVERY_TARGET:
            missed.append("recovery not under 30 s")
        return missed


def _with_retries(read, attempts: int = 5):
    """Return read()'s value, reconnecting after a dropped connection (the drill cuts them)."""
    from django.db import OperationalError, connection

    for attempt in range(attempts):
        try:
            return read()
        except OperationalError:
            connection.close()
            if attempt == attempts - 1:
                raise
            time.sleep(1)
    return None


def email_rows(since: datetime.datetime) -> list[counting.RowFact]:
    """Return the email rows written since the drill started, with the subject each is sent with."""
    from priorauth.notifications.models import Channel, Notification

    rows = Notification.objects.filter(channel=Channel.EMAIL, created_at__gte=since)
    return [
        counting.RowFact(
            recipient=row.recipient.email,
            subject=row.subject,
            status=str(row.status),
            created=row.created_at.timestamp(),
        )
        for row in rows.select_related("recipient", "request")
    ]


def _records_since(rig: Rig, since: datetime.datetime) -> list:
    """Return the messages the sink received since the drill started.

    Each drill's database starts afresh, so an earlier drill's request numbers (and subjects)
    come round again: its messages must not count as this drill's duplicates.
    """
    started = since.timestamp()
    return [record for record in rig.sink.snapshot() if record.at >= started]


def _acknowledgements_missing(request_ids: list[int]) -> int:
    from priorauth.requests.models import PriorAuthRequest

    return PriorAuthRequest.objects.filter(pk__in=request_ids, acknowledgement_sent_at=None).count()


def _fault_thread(rig: Rig, plan: Plan, result: Result, name: str) -> tuple[threading.Thread, dict]:
    outcome: dict = {}
    _, fault = DRILLS[name]

    def say(text: str) -> None:
        result.events.append(text)
        print(f"  [{name}] {text}", flush=True)

    def target() -> None:
        try:
            outcome["ended"] = fault(rig, plan, say)
        except BaseException as error:
            outcome["error"] = error

    return threading.Thread(target=target, name=f"fault-{name}", daemon=True), outcome


def run_drill(name: str, rig: Rig, plan: Plan) -> Result:
    """Return the figures of one drill (the rig running, Django set up against its database)."""
    from django.db import close_old_connections
    from django.utils import timezone

    result = Result(name=name, description=DRILLS[name][0])
    since = timezone.now()
    thread, outcome = _fault_thread(rig, plan, result, name)
    thread.start()
    request_ids = []
    for index in range(plan.requests):
        submission = world.submit(index)
        result.submitted += 1
        result.submit_seconds.append(submission.seconds)
        if submission.ok and submission.request_id is not None:
            request_ids.append(submission.request_id)
        else:
            result.submit_failures += 1
            result.submit_errors[submission.error] = result.submit_errors.get(submission.error, 0) + 1
        time.sleep(plan.pace)
    thread.join(timeout=600)
    if "error" in outcome or "ended" not in outcome:
        raise RuntimeError(f"the {name} fault did not complete") from outcome.get("error")
    close_old_connections()
    result.tally = _wait_for_delivery(rig, plan, since, outcome["ended"])
    result.waited_s = time.time() - outcome["ended"]
    result.recovery_s = result.tally.recovery_s
    result.acknowledgements_missing = _with_retries(lambda: _acknowledgements_missing(request_ids))
    return result


def _wait_for_delivery(rig: Rig, plan: Plan, since: datetime.datetime, fault_end: float) -> counting.Tally:
    """Return the tally once every row's message arrived (and `settle` more seconds), or at the deadline.

    The deadline is `plan.wait` seconds after the fault's end or the last submission, the later.
    """
    deadline = max(fault_end, time.time()) + plan.wait
    while True:
        tally = counting.tally(
            _with_retries(lambda: email_rows(since)), _records_since(rig, since), fault_end
        )
        if tally.lost == 0 or time.time() >= deadline:
            break
        time.sleep(1)
    if tally.lost == 0:
        time.sleep(plan.settle)
        tally = counting.tally(
            _with_retries(lambda: email_rows(since)), _records_since(rig, since), fault_end
        )
    return tally
