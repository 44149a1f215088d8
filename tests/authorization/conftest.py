"""The answers of every URL pattern to every person, collected once for the package's tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from priorauth.celery import app as celery_app
from tests.authorization.urls import all_patterns, url_for
from tests.authorization.world import COLUMNS, build
from tests.conftest import second_factor_verify

STATIC_FILE = "/static/css/app.css"
INLINE_PDF = "a document's PDF shown in the browser"


@dataclass(frozen=True)
class Answer:
    url: str
    status: int
    headers: dict[str, str]


@pytest.fixture(scope="package")
def answers(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[tuple[str, str], Answer]:
    """Return each (pattern key, column)'s answer to a GET over HTTPS; the world is rolled back."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    media = tmp_path_factory.mktemp("uploads")
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast),
            transaction.atomic(),
        ):
            collected = _collect()
            transaction.set_rollback(True)
    finally:
        celery_app.conf.task_always_eager = eager
    return collected


def _collect() -> dict[tuple[str, str], Answer]:
    world = build()
    clients = {column: Client() for column in COLUMNS}
    for column, client in clients.items():
        if column != "anonymous":
            # Package-scoped, so before the autouse fixture that makes force_login a whole sign-in.
            client.force_login(world.users[column])
            second_factor_verify(client, world.users[column])
    collected = {}
    # The app's own pages first: reading them writes rows (the PHI access log) that the admin's
    # object pages then have to show.
    for pattern in sorted(all_patterns(), key=lambda p: p.key.startswith("admin")):
        url = url_for(pattern, world)
        for column, client in clients.items():
            response = client.get(url, secure=True)
            collected[pattern.key, column] = Answer(url, response.status_code, dict(response.headers))
    for column, viewer in (("nurse", "review:document"), ("staff_a", "requests:attachment")):
        url = reverse(viewer, args=[world.attachment.pk]) + "?view=1"
        response = clients[column].get(url, secure=True)
        collected[INLINE_PDF, column] = Answer(url, response.status_code, dict(response.headers))
    for column, client in clients.items():
        response = client.get(STATIC_FILE, secure=True)
        collected[STATIC_FILE, column] = Answer(STATIC_FILE, response.status_code, dict(response.headers))
    return collected
