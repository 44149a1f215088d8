"""A submit whose database connection dies half-way is run once more, on a new connection (PostgreSQL).

A restart, a failover or an operator's pg_terminate_backend can end the connection in the middle
of a submit. The database rolls that attempt back; the service runs again and the office staff
see their request submitted, once, instead of an error page.
"""

from __future__ import annotations

import psycopg
import pytest
from django.db import OperationalError, connection, transaction
from django.urls import reverse

from priorauth.db import retry_when_connection_lost
from priorauth.requests import services, validation
from priorauth.requests.models import EventKind, PriorAuthRequest, Status
from priorauth.requests.services import Upload
from tests.requests.conftest import car_t_details, form_data, pdf, start_draft
from tests.test_database_connection import backend_pid, terminate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend needs PostgreSQL: set DATABASE_URL=postgres://...")


def cut_at_first(statement: str):
    """Return a query wrapper that ends this connection's server process at the first such query."""
    cuts: list[int] = []

    def wrapper(execute, sql, params, many, context):
        if not cuts and statement in sql:
            cuts.append(context["connection"].connection.info.backend_pid)
            with psycopg.connect(**context["connection"].get_connection_params(), autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [cuts[0]])
        return execute(sql, params, many, context)

    wrapper.cuts = cuts
    return wrapper


def test_it_submits_once_when_the_connection_dies_in_the_middle(provider_staff, member, records):
    pa = start_draft(provider_staff, member)
    services.request_save_draft(user=provider_staff, request_id=pa.pk, details=car_t_details(records))
    before = backend_pid()
    cut = cut_at_first("FOR UPDATE")
    with connection.execute_wrapper(cut):
        submitted = services.request_submit(user=provider_staff, request_id=pa.pk, attested=True)
    assert cut.cuts == [before]
    assert submitted.status == Status.IN_REVIEW
    saved = PriorAuthRequest.objects.get(pk=pa.pk)
    assert saved.status == Status.IN_REVIEW and saved.number
    assert saved.events.filter(kind=EventKind.SUBMITTED).count() == 1
    assert backend_pid() != before


def test_it_leaves_a_lost_connection_inside_an_outer_transaction_to_the_caller(provider_staff, member):
    calls: list[int] = []

    @retry_when_connection_lost
    def count_members() -> int:
        calls.append(1)
        return PriorAuthRequest.objects.count()

    with pytest.raises(OperationalError), transaction.atomic():
        terminate(backend_pid())
        count_members()
    assert calls == [1]  # the outer transaction is the caller's to retry, not the service's


def upload() -> Upload:
    file = pdf("pathology.pdf")
    return Upload(file, "application/pdf", validation.sha256_of(file.chunks()))


def test_it_saves_a_draft_once_when_the_connection_dies_in_the_middle(provider_staff, member, records):
    pa = start_draft(provider_staff, member)
    before = backend_pid()
    cut = cut_at_first("FOR UPDATE")
    with connection.execute_wrapper(cut):
        services.request_save_draft(
            user=provider_staff, request_id=pa.pk, details=car_t_details(records), uploads=[upload()]
        )
    assert cut.cuts == [before]
    saved = PriorAuthRequest.objects.get(pk=pa.pk)
    assert saved.status == Status.DRAFT and saved.product.hcpcs == "Q2041"
    assert saved.attachments.count() == 1
    assert saved.events.filter(kind=EventKind.DRAFT_SAVED).count() == 1


def test_the_intake_page_submits_when_the_connection_dies_while_it_reads_the_draft(
    client, provider_staff, member
):
    """The cut lands outside any service (the page's own read of the draft): the page runs again."""
    pa = start_draft(provider_staff, member)
    client.force_login(provider_staff)
    cut = cut_at_first('FROM "requests_priorauthrequest"')
    with connection.execute_wrapper(cut):
        response = client.post(reverse("requests:edit", args=[pa.pk]), form_data(action="submit"))
    assert len(cut.cuts) == 1
    assert response.status_code == 302 and response.url == reverse("requests:detail", args=[pa.pk])
    saved = PriorAuthRequest.objects.get(pk=pa.pk)
    assert saved.status == Status.IN_REVIEW
    assert saved.events.filter(kind=EventKind.SUBMITTED).count() == 1
