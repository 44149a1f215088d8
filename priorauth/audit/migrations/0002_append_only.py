"""The database refuses UPDATE and DELETE on the PHI access log (priorauth/audit/triggers.py)."""

from django.db import migrations

from priorauth.audit import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor)


def remove(apps, schema_editor):
    triggers.remove(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
