"""The database refuses to change or delete a PHI access log row, whoever asks.

The app never updates or deletes the log, but a bug, an admin action or a raw SQL statement
could: the triggers make the database the last word. (TRUNCATE, a table owner's operation,
is for the database administrator; production revokes it from the app's role.)
"""

from __future__ import annotations

TABLE = "audit_phiaccess"
MESSAGE = "the PHI access log is append-only"

POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION audit_phiaccess_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = '{MESSAGE}: ' || TG_OP || ' refused', ERRCODE = 'P0001';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_phiaccess_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_phiaccess_append_only();
"""
POSTGRES_DROP = f"""
DROP TRIGGER IF EXISTS audit_phiaccess_append_only ON {TABLE};
DROP FUNCTION IF EXISTS audit_phiaccess_append_only();
"""

SQLITE_CREATE = [
    f"""CREATE TRIGGER audit_phiaccess_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END""",
    f"""CREATE TRIGGER audit_phiaccess_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_phiaccess_no_update",
    "DROP TRIGGER IF EXISTS audit_phiaccess_no_delete",
]


def install(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def remove(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)
