"""The development database (SQLite, a file) takes concurrent writers without "database is locked".

Each case runs in a fresh interpreter with the development settings and its own database file,
as `make run` would: the test database is in memory and shared-cache, which locks differently.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Eight threads, each on its own connection, each running transactions that read and then write
# (as a submit does): in SQLite's default (deferred) mode two of them holding a read lock cannot
# both upgrade to write, and one is refused at once, whatever the busy timeout.
_CONCURRENT_WRITES = """
import json, threading
import django
django.setup()
from django.contrib.sessions.models import Session
from django.db import connection, connections, transaction
from django.utils import timezone

with connection.schema_editor() as editor:
    editor.create_model(Session)
pragmas = {
    name: connection.cursor().execute(f"PRAGMA {name}").fetchone()[0]
    for name in ("busy_timeout", "journal_mode")
}
connection.close()
errors = []
barrier = threading.Barrier(8)

def write(thread):
    try:
        barrier.wait()
        for n in range(15):
            with transaction.atomic():
                Session.objects.count()
                Session.objects.create(
                    session_key=f"{thread}-{n}", session_data="x", expire_date=timezone.now()
                )
    except Exception as error:
        errors.append(f"{type(error).__name__}: {error}")
    finally:
        connections.close_all()

threads = [threading.Thread(target=write, args=(t,)) for t in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"errors": errors, "rows": Session.objects.count(), **pragmas}))
"""


@pytest.fixture(scope="module")
def outcome(tmp_path_factory) -> dict[str, object]:
    """Return the errors, the rows written and the connection's pragmas of one concurrent run."""
    database = tmp_path_factory.mktemp("sqlite") / "db.sqlite3"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "priorauth.settings",
        "SECRET_KEY": "x",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    result = subprocess.run(
        [sys.executable, "-c", _CONCURRENT_WRITES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_takes_concurrent_read_then_write_transactions_without_database_is_locked(outcome):
    assert outcome["errors"] == []
    assert outcome["rows"] == 8 * 15


def test_it_waits_for_the_write_lock_and_lets_readers_read_meanwhile(outcome):
    assert outcome["busy_timeout"] == 20_000  # milliseconds
    assert outcome["journal_mode"] == "wal"
