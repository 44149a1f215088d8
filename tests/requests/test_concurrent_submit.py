"""Two submits of the same draft at the same moment create one routed request (PostgreSQL locking)."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection, connections

from priorauth.requests import services
from priorauth.requests.models import EventKind, PriorAuthRequest, Status
from tests.requests.conftest import car_t_details

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL: set DATABASE_URL=postgres://...")


def run_together(*calls):
    """Return each call's result or exception, the calls started together on their own connections."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_it_routes_a_draft_submitted_twice_at_once_only_once(provider_staff, member, records):
    pa = services.request_start(user=provider_staff, member=member, token=uuid.uuid4())
    services.request_save_draft(user=provider_staff, request_id=pa.pk, details=car_t_details(records))

    def submit():
        return services.request_submit(user=provider_staff, request_id=pa.pk, attested=True).number

    numbers = run_together(submit, submit, submit)
    assert all(isinstance(number, str) for number in numbers), numbers
    assert len(set(numbers)) == 1
    pa.refresh_from_db()
    assert pa.status == Status.IN_REVIEW
    assert pa.events.filter(kind=EventKind.SUBMITTED).count() == 1
    assert pa.events.filter(kind=EventKind.ROUTED).count() == 1


def test_it_starts_one_draft_when_the_same_form_is_sent_twice_at_once(provider_staff, member, records):
    token = uuid.uuid4()

    def start():
        return services.request_start(user=provider_staff, member=member, token=token).pk

    ids = run_together(start, start, start)
    assert all(isinstance(pk, int) for pk in ids), ids
    assert len(set(ids)) == 1
    assert PriorAuthRequest.objects.filter(submission_token=token).count() == 1
