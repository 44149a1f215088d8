"""The Celery app's own rules: tasks outlast a database blip, the worker outlasts a broker outage."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace

import pytest
from django.db import OperationalError
from kombu.exceptions import OperationalError as BrokerDown

from priorauth.celery import RECONNECT_INTERVALS, Consumer, Scheduler, app
from priorauth.notifications import delivery
from priorauth.notifications.tasks import relay_pending_notifications
from priorauth.review.tasks import record_deemed_approvals
from tests.notifications.test_broker import UNREACHABLE, broker_at


def failing(times: int, then: object) -> tuple[Callable[..., object], list[int]]:
    """Return a stand-in that raises OperationalError `times` times, then returns `then`; and its calls."""
    calls: list[int] = []

    def run(**_: object) -> object:
        calls.append(len(calls))
        if len(calls) <= times:
            raise OperationalError("server closed the connection unexpectedly")
        return then

    return run, calls


@pytest.fixture
def retries_run_in_process() -> Iterator[None]:
    """Run a task's retries at once, in this process, as a worker would run them later."""
    # Propagating, an in-process run stops at the first retry and raises it to the caller.
    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


def test_it_runs_a_task_again_when_the_database_connection_drops(monkeypatch, retries_run_in_process):
    relay, calls = failing(times=2, then=[])
    monkeypatch.setattr(delivery, "notifications_relay", relay)
    result = relay_pending_notifications.apply()
    assert result.successful() and result.get() == 0
    assert len(calls) == 3


def test_it_gives_up_on_a_database_that_stays_away_after_three_retries(monkeypatch, retries_run_in_process):
    relay, calls = failing(times=10, then=[])
    monkeypatch.setattr(delivery, "notifications_relay", relay)
    result = relay_pending_notifications.apply()
    assert result.failed() and isinstance(result.result, OperationalError)
    assert len(calls) == 4


def test_it_gives_every_task_the_same_retries_with_growing_waits():
    for task in (relay_pending_notifications, record_deemed_approvals):
        assert task.autoretry_for == (OperationalError,)
        assert task.retry_backoff and task.retry_jitter
        assert task.retry_backoff_max <= 60


@pytest.fixture
def one_reconnect_attempt() -> Iterator[None]:
    """Point the app at a broker that is down, allowing one retry: enough to see its interval."""
    previous = app.conf.broker_connection_max_retries
    app.conf.broker_connection_max_retries = 1
    try:
        with broker_at(UNREACHABLE):
            yield
    finally:
        app.conf.broker_connection_max_retries = previous


def test_it_has_the_worker_try_a_broker_that_went_away_again_a_second_later(one_reconnect_attempt, caplog):
    worker = SimpleNamespace(use_eventloop=False)  # what the consumer asks of its worker here
    consumer = Consumer(on_task_request=None, app=app, hostname="test@localhost", controller=worker)
    with pytest.raises(BrokerDown):
        consumer.connection_for_read()
    assert "Trying again in 1.00 second" in caplog.text  # kombu's own first wait is 2 s


def test_it_has_beat_try_a_broker_that_went_away_again_a_second_later(
    one_reconnect_attempt, caplog, tmp_path
):
    beat = Scheduler(app=app, schedule_filename=str(tmp_path / "beat-schedule"), lazy=True)
    with pytest.raises(BrokerDown):
        _ = beat.producer
    assert "Trying again in 1.0 seconds" in caplog.text  # kombu's own first wait is 2 s


def test_it_tries_the_broker_again_forever_at_most_five_seconds_apart():
    assert app.conf.worker_consumer == "priorauth.celery:Consumer"
    assert app.conf.beat_scheduler == "priorauth.celery:Scheduler"
    assert app.conf.broker_connection_retry is True
    assert app.conf.broker_connection_max_retries is None
    assert RECONNECT_INTERVALS["interval_max"] <= 5


def test_it_relays_pending_notifications_every_five_seconds():
    # A killed worker's row is free when its 20-s lease ends and leaves within 5 s of that: the
    # 30-s recovery target of the worker_killed drill, with room for the worker's restart.
    assert app.conf.beat_schedule["notifications-relay"]["schedule"] == 5.0


def test_it_lets_the_worker_reconnect_when_closing_the_broken_connection_fails_inside_kombu():
    from priorauth.celery import closing_what_is_left

    closed: list[str] = []

    def kombu_close() -> None:
        closed.append("tried")
        raise AttributeError("'NoneType' object has no attribute 'hostname'")

    closing_what_is_left(kombu_close)()  # no exception: the consumer goes on to reconnect
    assert closed == ["tried"]


def test_it_still_raises_what_is_not_kombus_own_close_error():
    from priorauth.celery import closing_what_is_left

    def failing_close() -> None:
        raise RuntimeError("something else")

    with pytest.raises(RuntimeError):
        closing_what_is_left(failing_close)()
