"""The processes a drill starts and stops: its own Redis server, Celery worker and beat, gunicorn.

Each process runs in its own session (process group), so stopping it by its id also stops the
children it forked (the worker's pool, gunicorn's workers), and nothing else on the machine.
Everything listens on 127.0.0.1, on ports picked free at start.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOP_WAIT = 15.0


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_answers(port: int) -> bool:
    """Return whether something accepts connections on 127.0.0.1:port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Process:
    """One started command, its log file, and how to stop it (SIGTERM, then SIGKILL)."""

    def __init__(self, name: str, command: list[str], *, env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> Process:
        with self.log_path.open("ab") as log:
            log.write(f"\n--- {time.strftime('%H:%M:%S')} start: {' '.join(self.command)}\n".encode())
            self.popen = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL the process and its group at once, as the OOM killer or a pulled plug would."""
        if self.popen is not None:
            _signal_group(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=STOP_WAIT)
            self.popen = None

    def stop(self) -> None:
        """Stop the process and its group: SIGTERM, and SIGKILL if it is not gone within 15 s."""
        if self.popen is None:
            return
        _signal_group(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=STOP_WAIT)
        except subprocess.TimeoutExpired:
            _signal_group(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=STOP_WAIT)
        # The group's children may outlive its leader by a moment; they got the same signal.
        _signal_group(self.popen.pid, signal.SIGKILL)
        self.popen = None

    def wait_for_log(self, text: str, timeout: float) -> bool:
        """Return whether the log shows `text` within `timeout` seconds (the process still running)."""
        deadline = time.monotonic() + timeout
        start = self.log_path.stat().st_size if self.log_path.exists() else 0
        while time.monotonic() < deadline and self.running:
            with self.log_path.open("rb") as log:
                log.seek(start)
                if text.encode() in log.read():
                    return True
            time.sleep(0.2)
        return False

    def tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def redis_server(*, port: int, data_dir: Path, log_dir: Path, appendonly: bool) -> Process:
    """Return (not started) a Redis server on 127.0.0.1:port that keeps its files in data_dir."""
    command = [
        "redis-server",
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--dir",
        str(data_dir),
        "--save",
        "",
        "--appendonly",
        "yes" if appendonly else "no",
    ]
    return Process("redis", command, env=dict(os.environ), log_dir=log_dir)


def start_redis(redis: Process, port: int) -> None:
    """Start the Redis server and wait (up to 20 s) until it accepts connections."""
    redis.start()
    deadline = time.monotonic() + 20
    while not port_answers(port):
        if time.monotonic() > deadline or not redis.running:
            raise RuntimeError(f"redis-server did not start on port {port}:\n{redis.tail()}")
        time.sleep(0.1)


def celery(name: str, arguments: list[str], *, env: dict[str, str], log_dir: Path) -> Process:
    """Return (not started) `celery -A priorauth <arguments>` run by this interpreter."""
    return Process(
        name, [sys.executable, "-m", "celery", "-A", "priorauth", *arguments], env=env, log_dir=log_dir
    )


def start_worker(worker: Process, timeout: float = 90) -> None:
    """Start the worker and wait until it says it is ready (its pool forked, the broker reached)."""
    worker.start()
    if not worker.wait_for_log("ready.", timeout):
        raise RuntimeError(f"the Celery worker was not ready within {timeout:.0f} s:\n{worker.tail()}")
