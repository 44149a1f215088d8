"""Determinations, internal notes and queue assignments moved from the requests app to review.

A database filled before the move and migrated forward keeps every row, under the new tables,
with the content types (admin history, permissions) following the models.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from priorauth.review.models import Determination, InternalNote, QueueAssignment

LAST_BEFORE_THE_MOVE = ("requests", "0005_request_timeframe_holidays")
BEFORE_THE_MOVE = [LAST_BEFORE_THE_MOVE, ("review", None)]
DECIDED = datetime.datetime(2026, 6, 1, 14, 30, tzinfo=datetime.UTC)


def migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def latest() -> list[tuple[str, str | None]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def fill_before_the_move(apps) -> dict[str, int]:
    """Write one row of each moved model the way the app stored them before the move."""
    user = apps.get_model("members", "User").objects.create(username="dr-moss", role="physician_reviewer")
    organization = apps.get_model("members", "ProviderOrganization").objects.create(
        name="Buckeye Cellular Oncology", npi="1234567893", tin="123456789"
    )
    plan = apps.get_model("members", "Plan").objects.create(
        code="OH-MKT-SILVER-2026", line_of_business="marketplace", state="OH"
    )
    member = apps.get_model("members", "Member").objects.create(
        member_id="OH-0001", first_name="Ada", last_name="Lovelace", date_of_birth="1961-04-21", plan=plan
    )
    queue = apps.get_model("policies", "ReviewQueue").objects.create(code="mn-car-t", name="CAR-T")
    request = apps.get_model("requests", "PriorAuthRequest").objects.create(
        organization=organization, member=member, submitted_by=user
    )
    determination = apps.get_model("requests", "Determination").objects.create(
        request=request, outcome="denied", decided_by=user, decided_at=DECIDED, reason="Criteria 2 not met."
    )
    note = apps.get_model("requests", "InternalNote").objects.create(
        request=request, author=user, text="Call Tue."
    )
    assignment = apps.get_model("requests", "QueueAssignment").objects.create(reviewer=user, queue=queue)
    content_type = apps.get_model("contenttypes", "ContentType")
    determination_type, _ = content_type.objects.get_or_create(app_label="requests", model="determination")
    return {
        "request": request.pk,
        "user": user.pk,
        "queue": queue.pk,
        "determination": determination.pk,
        "note": note.pk,
        "assignment": assignment.pk,
        "determination_type": determination_type.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_it_keeps_every_row_when_an_existing_database_migrates_forward():
    executor = migrate(BEFORE_THE_MOVE)
    try:
        ids = fill_before_the_move(executor.loader.project_state([LAST_BEFORE_THE_MOVE]).apps)
    finally:
        migrate(latest())

    determination = Determination.objects.get(pk=ids["determination"])
    assert (determination.request_id, determination.outcome, determination.decided_by_id) == (
        ids["request"],
        "denied",
        ids["user"],
    )
    assert determination.decided_at == DECIDED and determination.reason == "Criteria 2 not met."
    note = InternalNote.objects.get(pk=ids["note"])
    assert (note.request_id, note.author_id, note.text) == (ids["request"], ids["user"], "Call Tue.")
    assignment = QueueAssignment.objects.get(pk=ids["assignment"])
    assert (assignment.reviewer_id, assignment.queue_id) == (ids["user"], ids["queue"])
    assert Determination._meta.db_table == "review_determination"
    assert ContentType.objects.get(pk=ids["determination_type"]).app_label == "review"
    # A new row continues the old table's numbering, on PostgreSQL's identity columns too.
    assert (
        InternalNote.objects.create(request_id=ids["request"], author_id=ids["user"], text="x").pk
        > ids["note"]
    )
