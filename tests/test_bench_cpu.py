"""The benchmark's CPU accounting: /proc stat lines read right, per-call figures and the budget."""

from __future__ import annotations

import os
import time

import pytest

from bench import cpu


def test_it_reads_a_stat_line_whose_name_holds_spaces_and_parentheses():
    line = "4242 (gunicorn: worker (x)) S 4200 4200 4200 0 -1 4194560 100 0 0 0 70 30 0 0 20 0 3 0 5 0 0"
    assert cpu.stat_parse(line) == cpu.Stat(comm="gunicorn: worker (x)", pgrp=4200, ticks=100)


def test_it_turns_two_samples_into_milliseconds_per_call():
    before = cpu.Sample(server_s=1.0, database_s=2.0, clients_s=3.0)
    after = cpu.Sample(server_s=3.0, database_s=2.5, clients_s=3.1)
    spent = cpu.per_call_ms(before, after, 100)
    assert spent == pytest.approx({"server": 20.0, "database": 5.0, "clients": 1.0})
    assert cpu.per_call_ms(before, after, 0) == {}


def test_the_budget_is_the_cores_time_shared_by_the_calls():
    assert cpu.budget_ms(250.0, 2) == pytest.approx(8.0)
    assert cpu.budget_ms(0.0, 2) == 0.0


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="Linux's /proc is needed")
def test_it_counts_this_process_and_its_own_group():
    group = os.getpgrp()
    before = cpu.sample(group)
    started = time.process_time()
    while time.process_time() - started < 0.05:  # 50 ms of CPU: five ticks at least
        pass
    after = cpu.sample(group)
    assert after.clients_s > before.clients_s
    assert after.server_s > before.server_s
