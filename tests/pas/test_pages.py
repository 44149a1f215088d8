"""A request from the API is the organization's request like any other, marked as the EHR's."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from priorauth.requests.models import PriorAuthRequest
from tests.pas.bundles import submit_bundle


def test_it_shows_submitted_by_ehr_on_the_providers_request_page(ehr, member, provider_staff, client):
    ehr.submit(submit_bundle(member_id=member.member_id))
    pa = PriorAuthRequest.objects.get()
    client.force_login(provider_staff)
    page = client.get(reverse("requests:detail", kwargs={"pk": pa.pk}))
    assert page.status_code == 200
    assert "Submitted by EHR (PAS)" in page.content.decode() and "Epic at Buckeye" in page.content.decode()
    listed = client.get(reverse("requests:list"))
    assert pa.number in listed.content.decode()


def _list_queries(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("requests:list")).content.decode()
    return page, len(queries)


def test_the_request_list_marks_requests_from_the_ehr_without_a_query_per_row(
    ehr, member, provider_staff, client
):
    ehr.submit(submit_bundle(member_id=member.member_id))
    client.force_login(provider_staff)
    page, one_row = _list_queries(client)
    assert page.count('data-testid="ehr-badge"') == 1 and "EHR (PAS)" in page
    ehr.submit(submit_bundle(member_id=member.member_id, claim_id="CART-0002", date_of_service="2027-02-15"))
    page, two_rows = _list_queries(client)
    assert page.count('data-testid="ehr-badge"') == 2
    assert two_rows == one_row


def test_the_service_user_cannot_sign_in(ehr, member):
    ehr.submit(submit_bundle(member_id=member.member_id))
    user = PriorAuthRequest.objects.get().submitted_by
    assert not user.is_active and not user.has_usable_password()
