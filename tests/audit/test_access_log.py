"""Every read of health information writes one row of the PHI access log; a denied read none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from priorauth.audit.checks import MIDDLEWARE, phi_access_middleware_installed
from priorauth.audit.models import Action, Kind, PhiAccess
from priorauth.audit.services import phi_read
from priorauth.members.models import User
from priorauth.requests.models import PriorAuthRequest
from tests.requests.conftest import start_draft


def reads() -> list[PhiAccess]:
    return list(PhiAccess.objects.order_by("pk"))


def only_read(kind: str, action: str, object_id: int, pa: PriorAuthRequest, user: User) -> PhiAccess:
    rows = reads()
    assert len(rows) == 1, rows
    row = rows[0]
    assert (row.kind, row.action, row.object_id) == (kind, action, object_id)
    assert (row.member_id, row.user_id, row.username, row.role) == (
        pa.member_id,
        user.pk,
        user.username,
        user.role,
    )
    assert row.organization_id == user.organization_id
    assert row.address == "127.0.0.1"
    return row


def test_it_logs_the_provider_reading_a_request(client, provider_staff, submitted):
    client.force_login(provider_staff)
    assert client.get(reverse("requests:detail", args=[submitted.pk])).status_code == 200
    row = only_read(Kind.REQUEST, Action.VIEW, submitted.pk, submitted, provider_staff)
    assert row.request_id == submitted.pk


def test_it_logs_each_read_once_more(client, provider_staff, submitted):
    client.force_login(provider_staff)
    client.get(reverse("requests:detail", args=[submitted.pk]))
    client.get(reverse("requests:detail", args=[submitted.pk]))
    assert PhiAccess.objects.count() == 2


def test_it_logs_the_provider_downloading_a_document(client, provider_staff, submitted):
    client.force_login(provider_staff)
    attachment = submitted.attachments.get()
    response = client.get(reverse("requests:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    row = only_read(Kind.DOCUMENT, Action.DOWNLOAD, attachment.pk, submitted, provider_staff)
    assert row.request_id == submitted.pk


def test_it_logs_the_member_page(client, provider_staff, submitted):
    client.force_login(provider_staff)
    assert client.get(reverse("members:detail", args=[submitted.member_id])).status_code == 200
    only_read(Kind.MEMBER, Action.VIEW, submitted.member_id, submitted, provider_staff)


def test_it_logs_the_review_screen(client, supervisor, submitted):
    client.force_login(supervisor)
    assert client.get(reverse("review:request", args=[submitted.pk])).status_code == 200
    only_read(Kind.REVIEW, Action.VIEW, submitted.pk, submitted, supervisor)


def test_it_logs_a_reviewer_downloading_a_document(client, supervisor, submitted):
    client.force_login(supervisor)
    attachment = submitted.attachments.get()
    assert client.get(reverse("review:document", args=[attachment.pk])).status_code == 200
    only_read(Kind.DOCUMENT, Action.DOWNLOAD, attachment.pk, submitted, supervisor)


@pytest.mark.parametrize(
    ("name", "kind", "action"),
    [
        ("letters:letter", Kind.LETTER, Action.VIEW),
        ("letters:pdf", Kind.LETTER_PDF, Action.DOWNLOAD),
    ],
)
def test_it_logs_the_letter_as_the_letter(client, provider_staff, decided, name, kind, action):
    client.force_login(provider_staff)
    assert client.get(reverse(name, args=[decided.pk])).status_code == 200
    only_read(kind, action, decided.pk, decided, provider_staff)


def test_it_logs_the_admin_pages_of_members_and_requests(client, submitted, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 20)
    client.force_login(admin)
    member_page = reverse("admin:members_member_change", args=[submitted.member_id])
    assert client.get(member_page).status_code == 200
    assert (
        client.get(reverse("admin:requests_priorauthrequest_change", args=[submitted.pk])).status_code == 200
    )
    rows = reads()
    assert [(r.kind, r.object_id, r.member_id, r.role) for r in rows] == [
        (Kind.ADMIN_MEMBER, submitted.member_id, submitted.member_id, "superuser"),
        (Kind.ADMIN_REQUEST, submitted.pk, submitted.member_id, "superuser"),
    ]


@pytest.mark.parametrize("name", ["requests:detail", "letters:letter", "letters:pdf"])
def test_it_logs_nothing_when_the_read_is_denied(client, other_staff, decided, name):
    client.force_login(other_staff)
    assert client.get(reverse(name, args=[decided.pk])).status_code == 404
    assert reads() == []


def test_it_logs_nothing_for_a_reviewer_outside_the_queue(client, nurse, submitted):
    client.force_login(nurse)
    assert client.get(reverse("review:request", args=[submitted.pk])).status_code == 404
    assert reads() == []


def test_it_logs_nothing_when_the_page_answers_404_after_the_helper(client, provider_staff, submitted):
    # The helper finds the request, but the letter page answers 404: no decision yet.
    client.force_login(provider_staff)
    assert client.get(reverse("letters:letter", args=[submitted.pk])).status_code == 404
    assert reads() == []


def test_it_takes_the_address_from_the_connection_not_a_forwarded_header(client, provider_staff, submitted):
    client.force_login(provider_staff)
    client.get(
        reverse("requests:detail", args=[submitted.pk]),
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert reads()[0].address == "203.0.113.9"


def test_it_takes_the_address_the_tls_proxy_forwards_behind_it(client, provider_staff, submitted, settings):
    """Behind Caddy every connection is the proxy's; the person's address is the one it forwards."""
    settings.BEHIND_TLS_PROXY = True
    client.force_login(provider_staff)
    client.get(
        reverse("requests:detail", args=[submitted.pk]),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert reads()[0].address == "198.51.100.1"


def test_it_writes_at_once_outside_a_web_request(provider_staff, submitted):
    phi_read(user=provider_staff, kind=Kind.REQUEST, object_id=submitted.pk, member_id=submitted.member_id)
    (row,) = reads()
    assert row.address is None and row.member_id == submitted.member_id


def test_it_keeps_no_health_information_in_the_log(client, provider_staff, submitted):
    client.force_login(provider_staff)
    client.get(reverse("requests:detail", args=[submitted.pk]))
    member = submitted.member
    row = PhiAccess.objects.values().get()
    text = " ".join(str(value) for value in row.values())
    for phi in (member.first_name, member.last_name, member.member_id, str(member.date_of_birth)):
        assert phi not in text


def test_it_logs_the_draft_page_once_and_not_the_redirect_to_it(client, provider_staff, member, records):
    draft = start_draft(provider_staff, member)
    client.force_login(provider_staff)
    response = client.get(reverse("requests:detail", args=[draft.pk]), follow=True)
    assert response.redirect_chain == [(reverse("requests:edit", args=[draft.pk]), 302)]
    only_read(Kind.REQUEST, Action.VIEW, draft.pk, draft, provider_staff)


def test_the_system_check_fails_without_the_middleware(settings):
    assert phi_access_middleware_installed() == []
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
    assert [error.id for error in phi_access_middleware_installed()] == ["audit.E001"]
