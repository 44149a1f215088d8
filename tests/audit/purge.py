"""Empty the PHI access log between transactional tests: the triggers lifted for one statement."""

from __future__ import annotations

from django.db import connection, transaction

from priorauth.audit import triggers


def purge_access_log() -> None:
    """Delete every log row (tests only): TRUNCATE on PostgreSQL, triggers dropped and put back on SQLite."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {triggers.TABLE}")
            return
        for statement in triggers.SQLITE_DROP:
            cursor.execute(statement)
        cursor.execute(f"DELETE FROM {triggers.TABLE}")
        for statement in triggers.SQLITE_CREATE:
            cursor.execute(statement)
