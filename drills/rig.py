"""The running stack a drill breaks: its SMTP sink, Redis server, Celery worker and beat.

The worker and beat are started with the commands of docker-compose.yml (`celery -A priorauth
worker --loglevel=INFO --concurrency=2`, `celery -A priorauth beat ...`), pointed at the drill's
own database, Redis and sink through the environment. `stop` stops whatever was started, in
reverse order, and is safe to call after a partial start.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from drills import processes, world
from drills.sink import Sink

WORKER_ARGS = ["worker", "--loglevel=INFO", "--concurrency=2"]


@dataclass
class Rig:
    database_url: str
    log_dir: Path
    sink: Sink = field(default_factory=Sink)
    redis_port: int = field(default_factory=processes.free_port)
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="priorauth-drill-")))
    started: list[processes.Process] = field(default_factory=list)

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def env(self) -> dict[str, str]:
        return world.environment(
            database_url=self.database_url, redis_url=self.redis_url, smtp_port=self.sink.port
        )

    def start_services(self, *, appendonly: bool = False) -> None:
        """Start the sink and the Redis server (the database is created by the caller)."""
        self.sink.start()
        self.redis = processes.redis_server(
            port=self.redis_port, data_dir=self.data_dir, log_dir=self.log_dir, appendonly=appendonly
        )
        self.started.append(self.redis)
        processes.start_redis(self.redis, self.redis_port)

    def start_celery(self) -> None:
        """Start the worker and beat (beat's schedule file in the drill's temporary directory)."""
        env = self.env()
        self.worker = processes.celery("worker", WORKER_ARGS, env=env, log_dir=self.log_dir)
        schedule = f"--schedule={self.data_dir / 'celerybeat-schedule'}"
        self.beat = processes.celery(
            "beat", ["beat", "--loglevel=INFO", schedule], env=env, log_dir=self.log_dir
        )
        self.started += [self.worker, self.beat]
        self.beat.start()
        processes.start_worker(self.worker)

    def reset(self) -> None:
        """Start the next drill afresh: the seeded database, an empty Redis, a new worker and beat.

        A drill's leftovers (rows still pending, a worker stuck after an outage) would otherwise
        be the next drill's traffic and faults; each drill measures its own fault only.
        """
        from django.db import connections

        connections.close_all()
        for process in (self.beat, self.worker, self.redis):
            process.stop()
        self.started = [self.redis]
        (self.data_dir / "celerybeat-schedule").unlink(missing_ok=True)
        world.database_recreate(self.database_url, template=world.seeded_name(self.database_url))
        processes.start_redis(self.redis, self.redis_port)
        self.start_celery()

    def restart_redis(self) -> None:
        processes.start_redis(self.redis, self.redis_port)

    def restart_worker(self) -> None:
        processes.start_worker(self.worker)

    def stop(self) -> None:
        """Stop every process started, the sink, and remove the temporary directory."""
        errors = []
        for process in reversed(self.started):
            try:
                process.stop()
            except Exception as error:  # keep stopping the others
                errors.append(f"{process.name}: {error}")
        self.sink.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)
        if errors:
            raise RuntimeError("could not stop: " + "; ".join(errors))
