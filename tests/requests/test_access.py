"""Organization scoping: staff see only their own organization's requests, members and documents."""

from __future__ import annotations

import pytest
from django.urls import reverse

from priorauth.requests import services
from priorauth.requests.form_fields import check_uploads
from tests.conftest import PASSWORD
from tests.requests.conftest import pdf


@pytest.fixture
def submitted(provider_staff, draft):
    uploads, _ = check_uploads([pdf()])
    services.request_save_draft(user=provider_staff, request_id=draft.pk, details={}, uploads=uploads)
    return services.request_submit(user=provider_staff, request_id=draft.pk, attested=True)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_it_shows_staff_their_own_request(client, provider_staff, submitted):
    login(client, provider_staff)
    assert client.get(reverse("requests:detail", args=[submitted.pk])).status_code == 200


@pytest.mark.parametrize("name", ["requests:detail", "requests:edit", "requests:withdraw"])
def test_it_hides_another_organizations_request(client, other_staff, submitted, name):
    login(client, other_staff)
    method = client.post if name.endswith("withdraw") else client.get
    assert method(reverse(name, args=[submitted.pk]), {"reason": "x"}).status_code == 404


def test_it_hides_another_organizations_document(client, other_staff, submitted):
    login(client, other_staff)
    attachment = submitted.attachments.get()
    assert client.get(reverse("requests:attachment", args=[attachment.pk])).status_code == 404


def test_it_hides_another_organizations_member(client, other_staff, provider_staff, submitted):
    login(client, other_staff)
    assert client.get(reverse("members:detail", args=[submitted.member.pk])).status_code == 404
    client.logout()
    login(client, provider_staff)
    assert client.get(reverse("members:detail", args=[submitted.member.pk])).status_code == 200


def test_it_does_not_list_another_organizations_requests(client, other_staff, submitted):
    login(client, other_staff)
    response = client.get(reverse("requests:list"))
    assert submitted.number not in response.content.decode()


@pytest.mark.parametrize("persona", ["nurse", "physician", "supervisor", "policy_admin"])
def test_it_keeps_other_roles_off_provider_pages(client, request, persona, submitted):
    login(client, request.getfixturevalue(persona))
    assert client.get(reverse("requests:list")).status_code == 403
    assert client.get(reverse("members:lookup")).status_code == 403
    assert client.get(reverse("requests:detail", args=[submitted.pk])).status_code == 403


def test_it_sends_anonymous_visitors_to_the_login_page(client, submitted):
    response = client.get(reverse("requests:detail", args=[submitted.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_serves_a_document_as_a_download_that_is_never_sniffed(client, provider_staff, submitted):
    login(client, provider_staff)
    attachment = submitted.attachments.get()
    response = client.get(reverse("requests:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith('attachment; filename="pathology.pdf"')
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    inline = client.get(reverse("requests:attachment", args=[attachment.pk]), {"view": "1"})
    assert inline["Content-Disposition"].startswith("inline")
