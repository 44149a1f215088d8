"""The three faults, each run beside the submissions: a function of the rig returning when it ended.

Each returns the moment (time.time()) its fault ended: Redis answering again, the last
replacement worker ready, the last connections cut. Recovery is measured from there to the
last expected message reaching the sink. Every wait is bounded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from drills import world
from drills.rig import Rig

# How long the sink holds its reply so that a kill or a cut lands while a message is sent.
KILL_ACCEPT_DELAY = 3.0
CUT_ACCEPT_DELAY = 0.3


@dataclass(frozen=True)
class Plan:
    """The size of a run: `full` for the figures, `short` for CI (under about three minutes)."""

    requests: int
    pace: float  # seconds between submissions
    lead: float  # seconds of submissions before the fault starts
    outage: float  # seconds Redis is down
    kills: int
    cuts: int
    wait: float  # seconds after the fault's end to wait for every message
    settle: float = 3.0  # seconds to wait after the last message, for late duplicates


PLANS = {
    "full": Plan(requests=300, pace=0.1, lead=5, outage=40, kills=3, cuts=4, wait=150),
    "short": Plan(requests=30, pace=0.1, lead=1, outage=10, kills=1, cuts=2, wait=30),
}

Fault = Callable[[Rig, Plan, Callable[[str], None]], float]


def broker_outage(rig: Rig, plan: Plan, say: Callable[[str], None]) -> float:
    """Stop the drill's Redis server for `plan.outage` seconds during the submissions."""
    time.sleep(plan.lead)
    say(f"stopping Redis (port {rig.redis_port}) for {plan.outage:.0f} s")
    rig.redis.stop()
    time.sleep(plan.outage)
    rig.restart_redis()
    say("Redis answers again")
    return time.time()


def worker_killed(rig: Rig, plan: Plan, say: Callable[[str], None]) -> float:
    """SIGKILL the worker (its whole process group) while the sink is accepting a message; restart it."""
    time.sleep(plan.lead)
    ended = time.time()
    for number in range(1, plan.kills + 1):
        rig.sink.accept_delay = KILL_ACCEPT_DELAY
        try:
            mid_send = rig.sink.wait_in_flight(timeout=30)
            time.sleep(0.5 if mid_send else 0)
            rig.worker.kill()
        finally:
            rig.sink.accept_delay = 0.0
        say(f"kill {number}: worker SIGKILLed {'mid-send' if mid_send else '(no send in flight)'}")
        time.sleep(1)
        rig.restart_worker()
        ended = time.time()
        say(f"kill {number}: replacement worker ready")
    return ended


def connections_cut(rig: Rig, plan: Plan, say: Callable[[str], None]) -> float:
    """Terminate every connection to the drill's database, `plan.cuts` times, while messages are sent."""
    time.sleep(plan.lead)
    ended = time.time()
    rig.sink.accept_delay = CUT_ACCEPT_DELAY
    try:
        for number in range(1, plan.cuts + 1):
            mid_send = rig.sink.wait_in_flight(timeout=15)
            cut = world.connections_terminate(rig.database_url)
            ended = time.time()
            say(f"cut {number}: {cut} connections terminated{' mid-send' if mid_send else ''}")
            time.sleep(2)
    finally:
        rig.sink.accept_delay = 0.0
    return ended


DRILLS: dict[str, tuple[str, Fault]] = {
    "broker_outage": ("Redis stopped during submissions, then started again", broker_outage),
    "worker_killed": ("the worker SIGKILLed mid-send, then restarted", worker_killed),
    "connections_cut": ("every database connection terminated mid-delivery", connections_cut),
}
