"""Request events written with the times they happened at, for data sets built in bulk.

A `RequestEvent` takes its time from the clock when saved (`auto_now_add`): the benchmark and
the metrics tests write a year of history at once, so they give each event its own time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from priorauth.requests.models import RequestEvent

BATCH = 5000


@contextmanager
def _times_as_given() -> Iterator[None]:
    field = RequestEvent._meta.get_field("at")
    field.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        field.auto_now_add = True  # type: ignore[attr-defined]


def events_create(events: Iterable[RequestEvent]) -> list[RequestEvent]:
    """Insert unsaved events with the `at` each one carries."""
    with _times_as_given():
        return RequestEvent.objects.bulk_create(events, batch_size=BATCH)
