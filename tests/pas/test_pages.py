"""A request from the API is the organization's request like any other, marked as the EHR's."""

from __future__ import annotations

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


def test_the_service_user_cannot_sign_in(ehr, member):
    ehr.submit(submit_bundle(member_id=member.member_id))
    user = PriorAuthRequest.objects.get().submitted_by
    assert not user.is_active and not user.has_usable_password()
