"""The known-answers year (its answers in test_known_answers' docstring), shared by the metrics tests."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine

from priorauth.metrics.periods import period_for
from priorauth.requests.models import EventKind, PriorAuthRequest
from tests.metrics import dataset

# A fortnight into 2027: 2026 is a whole calendar year, 2027 runs to date.
NOW = datetime.datetime(2027, 1, 15, 12, 0, tzinfo=datetime.UTC)


def _standard(world: dataset.World) -> list[PriorAuthRequest]:
    made = []
    for i in range(1, 31):
        hours = 1000 if i == 30 else 10 * i
        outcome = (
            EventKind.DEEMED_APPROVED
            if i == 30
            else "approved"
            if i <= 20
            else "denied"
            if i <= 26
            else "partially_approved"
            if i <= 28
            else "modified"
        )
        appeal = {21: "approved", 22: "partially_approved", 23: "approved", 24: "denied"}.get(i, "")
        made.append(
            dataset.decided(
                world,
                urgency="standard",
                hours=hours,
                outcome=outcome,
                product=world.overridden_service if i == 29 else None,
                state="IN" if i % 2 else "OH",
                queue="cart" if i <= 15 else "genes",
                extended=i <= 12 or i == 21,
                appeal=appeal,
            )
        )
    return made


@pytest.fixture
def world(db) -> dataset.World:
    world = dataset.world_create()
    standard = _standard(world)
    for i in range(1, 26):
        outcome = "approved" if i <= 13 else "denied"
        dataset.decided(world, urgency="expedited", hours=100 if i == 25 else i, outcome=outcome)
    for _ in range(5):
        dataset.decided(world, urgency="standard", hours=5, outcome="approved", product=world.drug)
    for _ in range(2):
        dataset.decided(world, urgency="expedited", hours=2, outcome="denied", product=world.drug)
    later = datetime.datetime(2027, 1, 5, 14, 0, tzinfo=datetime.UTC)
    dataset.decided(world, urgency="standard", hours=3, outcome="denied", first_receipt=later)
    for pa, after in zip(standard, (2, 4, 12, None), strict=False):
        dataset.pended(pa, at=pa.received_at + dataset.HOUR / 4, answered_after=after)
    return world


@pytest.fixture
def year():
    return period_for(2026, NOW)


@pytest.fixture
def in_2027() -> Iterator[None]:
    """Stop the clock at NOW, so the pages' and the command's current year is 2027."""
    with time_machine.travel(NOW, tick=False):
        yield
