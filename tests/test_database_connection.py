"""A kept database connection that the server dropped is replaced, not answered with a 500 (PostgreSQL).

Connections live a minute across requests (CONN_MAX_AGE); a restart, a failover or an
operator's pg_terminate_backend kills one between two requests. The next request checks it
before use (CONN_HEALTH_CHECKS) and opens a new one.
"""

from __future__ import annotations

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import connection, connections

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend needs PostgreSQL: set DATABASE_URL=postgres://...")


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(pid: int) -> None:
    """End a server process from another connection, as a restart or an operator would."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def request_starts() -> None:
    """Run what a server runs as each request starts, before the test client's request.

    The test client leaves out Django's request-start hook (`close_old_connections`), which
    marks a kept connection to be checked before its first use in the request.
    """
    request_started.send(sender=WSGIHandler, environ={})


def test_it_serves_a_request_whose_kept_connection_was_terminated_since_the_last(client, provider_staff):
    client.force_login(provider_staff)
    assert client.get("/").status_code == 200
    dropped = backend_pid()
    terminate(dropped)
    request_starts()
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["user"] == provider_staff  # the session was read on the new connection
    assert backend_pid() != dropped


def test_it_signs_in_after_the_connection_was_terminated(client, provider_staff):
    assert client.get("/accounts/login/").status_code == 200
    terminate(backend_pid())
    request_starts()
    response = client.post("/accounts/login/", {"username": "olivia", "password": PASSWORD})
    assert response.status_code == 302
    assert response.wsgi_request.user == provider_staff
