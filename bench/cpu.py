"""CPU time spent by the processes of a benchmark run, read from Linux's /proc (no dependency).

A load on one machine shares its cores among the server, the database and the load's own
clients: what each spends per call says where the time goes, and bounds what a call may cost
to reach a given throughput (`budget_ms`).
"""

from __future__ import annotations

import os
import pathlib
from collections.abc import Iterable
from dataclasses import dataclass

PROC = pathlib.Path("/proc")


@dataclass(frozen=True)
class Stat:
    """What one process's /proc/<pid>/stat says of it: its name, process group and CPU ticks."""

    comm: str
    pgrp: int
    ticks: int


def stat_parse(line: str) -> Stat:
    """Return the stat line's fields we use (proc(5): the name is in parentheses and may hold spaces)."""
    comm = line[line.index("(") + 1 : line.rindex(")")]
    # After the name: state (3), ppid (4), pgrp (5), ..., utime (14), stime (15).
    rest = line[line.rindex(")") + 2 :].split()
    return Stat(comm=comm, pgrp=int(rest[2]), ticks=int(rest[11]) + int(rest[12]))


def _stats() -> Iterable[Stat]:
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                yield stat_parse((entry / "stat").read_text())
            except (OSError, ValueError, IndexError):
                continue  # the process ended while we looked


@dataclass(frozen=True)
class Sample:
    """CPU seconds so far of the server's process group, of PostgreSQL's processes and of this one."""

    server_s: float
    database_s: float
    clients_s: float


def sample(server_group: int) -> Sample:
    """Return the CPU seconds spent so far by the server's process group, PostgreSQL and this process.

    PostgreSQL's are those of every process named postgres on the machine: a run on a shared
    machine counts the other databases' work too.
    """
    hz = os.sysconf("SC_CLK_TCK")
    server = database = 0
    for stat in _stats():
        if stat.pgrp == server_group:
            server += stat.ticks
        elif stat.comm == "postgres":
            database += stat.ticks
    clients = os.times()
    return Sample(server / hz, database / hz, clients.user + clients.system)


def per_call_ms(before: Sample, after: Sample, calls: int) -> dict[str, float]:
    """Return the CPU milliseconds per call of the server, the database and the clients between samples."""
    if calls <= 0:
        return {}
    return {
        "server": (after.server_s - before.server_s) * 1000 / calls,
        "database": (after.database_s - before.database_s) * 1000 / calls,
        "clients": (after.clients_s - before.clients_s) * 1000 / calls,
    }


def budget_ms(throughput: float, cores: int) -> float:
    """Return the CPU milliseconds a call may cost, in all, for the cores to serve this many calls/s."""
    return cores * 1000 / throughput if throughput else 0.0
