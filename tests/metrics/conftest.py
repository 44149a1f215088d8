"""The known-answers year (its answers in test_known_answers' docstring), shared by the metrics tests."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine

from priorauth.metrics.periods import period_for
from tests.metrics import dataset

# A fortnight into 2027: 2026 is a whole calendar year, 2027 runs to date.
NOW = datetime.datetime(2027, 1, 15, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def world(db) -> dataset.World:
    return dataset.known_year_create()


@pytest.fixture
def year():
    return period_for(2026, NOW)


@pytest.fixture
def in_2027() -> Iterator[None]:
    """Stop the clock at NOW, so the pages' and the command's current year is 2027."""
    with time_machine.travel(NOW, tick=False):
        yield
