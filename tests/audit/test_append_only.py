"""The database refuses to change or delete a row of the PHI access log: ORM and raw SQL alike."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from priorauth.audit.models import Kind, PhiAccess
from priorauth.audit.services import phi_read


@pytest.fixture
def row(provider_staff) -> PhiAccess:
    phi_read(user=provider_staff, kind=Kind.MEMBER, object_id=7, member_id=7)
    return PhiAccess.objects.get()


def refused(statement) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        statement()


def test_it_refuses_an_update_through_the_orm(row):
    refused(lambda: PhiAccess.objects.filter(pk=row.pk).update(username="someone-else"))
    row.username = "someone-else"
    refused(row.save)
    assert PhiAccess.objects.get().username == "olivia"


def test_it_refuses_a_delete_through_the_orm(row):
    refused(row.delete)
    refused(PhiAccess.objects.all().delete)
    assert PhiAccess.objects.count() == 1


def test_it_refuses_an_update_and_a_delete_in_raw_sql(row):
    def execute(sql: str):
        def run() -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, [row.pk])

        return run

    refused(execute("UPDATE audit_phiaccess SET member_id = 8 WHERE id = %s"))
    refused(execute("DELETE FROM audit_phiaccess WHERE id = %s"))
    assert PhiAccess.objects.get().member_id == 7


def test_it_still_accepts_new_rows(row, provider_staff):
    phi_read(user=provider_staff, kind=Kind.MEMBER, object_id=8, member_id=8)
    assert PhiAccess.objects.count() == 2


def test_its_admin_changes_and_deletes_nothing(client, row, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 20)
    client.force_login(admin)
    assert client.get(f"/admin/audit/phiaccess/{row.pk}/change/").status_code == 200
    assert client.post(f"/admin/audit/phiaccess/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/audit/phiaccess/{row.pk}/change/", {"username": "x"}).status_code == 403
    assert PhiAccess.objects.get().username == "olivia"


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_that_reads_phi_still_ends_cleanly(provider_staff):
    # Its flush would be refused by the triggers; tests/conftest.py empties the log first.
    phi_read(user=provider_staff, kind=Kind.MEMBER, object_id=9, member_id=9)
    assert PhiAccess.objects.count() == 1
