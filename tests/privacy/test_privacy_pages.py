"""The privacy officer searches the PHI access log, exports it, and reads a member's accounting."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse

from priorauth.audit.models import Action, Kind, PhiAccess
from priorauth.audit.services import phi_read
from priorauth.members.models import CoveragePeriod, Member, User

LOG = reverse("privacy:log")


@pytest.fixture
def other_member(member) -> Member:
    other = Member.objects.create(
        member_id="OH2000002",
        first_name="Grace",
        last_name="Hopper",
        date_of_birth=datetime.date(1956, 12, 9),
        plan=member.plan,
    )
    CoveragePeriod.objects.create(
        member=other, start=datetime.date(2026, 1, 1), end=datetime.date(2027, 12, 31)
    )
    return other


@pytest.fixture
def history(provider_staff, supervisor, submitted, other_member) -> None:
    """Three reads: staff read the request and the member page; the supervisor the other member."""
    phi_read(
        user=provider_staff,
        kind=Kind.REQUEST,
        object_id=submitted.pk,
        member_id=submitted.member_id,
        request_id=submitted.pk,
    )
    phi_read(
        user=provider_staff, kind=Kind.MEMBER, object_id=submitted.member_id, member_id=submitted.member_id
    )
    phi_read(user=supervisor, kind=Kind.MEMBER, object_id=other_member.pk, member_id=other_member.pk)


def search(client, **data):
    return client.post(LOG, {"search": "", **data}, follow=True)


def shown(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("persona", ["provider_staff", "nurse", "physician", "supervisor", "policy_admin"])
@pytest.mark.parametrize("url", [LOG, reverse("privacy:log_export"), reverse("privacy:disclosures_search")])
def test_it_hides_the_privacy_pages_from_every_other_role(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 404


def test_it_hides_a_members_accounting_from_other_roles(client, supervisor, member):
    client.force_login(supervisor)
    assert client.get(reverse("privacy:disclosures", args=[member.pk])).status_code == 404
    assert client.get(reverse("privacy:disclosures_export", args=[member.pk])).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client):
    response = client.get(LOG)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_it_lets_a_superuser_in(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "x" * 20))
    assert client.get(LOG).status_code == 200


def test_it_searches_by_user(client, privacy_officer, history, supervisor):
    client.force_login(privacy_officer)
    page = shown(search(client, username=supervisor.username))
    assert "1 access match" in page and "OH2000002" in page and "OH1000001" not in page


def test_it_searches_by_member_id_without_putting_it_in_a_url(client, privacy_officer, history):
    client.force_login(privacy_officer)
    response = search(client, member_id="oh1000001")
    assert all("OH1000001" not in url.upper() for url, _ in response.redirect_chain)
    assert "2 accesses match" in shown(response)


def test_it_searches_by_request_number(client, privacy_officer, history, submitted):
    client.force_login(privacy_officer)
    page = shown(search(client, request_number=submitted.number))
    assert "1 access match" in page and submitted.number in page


def test_it_searches_by_dates(client, privacy_officer, history):
    client.force_login(privacy_officer)
    assert "0 accesses match" in shown(search(client, date_from="2000-01-01", date_to="2000-12-31"))


def test_it_explains_a_bad_search(client, privacy_officer, history):
    client.force_login(privacy_officer)
    page = shown(search(client, member_id="NOPE", date_from="2026-05-02", date_to="2026-05-01"))
    assert "No member has that member ID" in page
    assert "before the “From” date" in page


def test_it_paginates(client, privacy_officer, provider_staff, member):
    for _ in range(51):
        phi_read(user=provider_staff, kind=Kind.MEMBER, object_id=member.pk, member_id=member.pk)
    client.force_login(privacy_officer)
    assert "Page 1 of 2" in shown(client.get(LOG))
    assert "Page 2 of 2" in shown(client.get(LOG, {"page": 2}))


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_it_exports_the_filtered_log_and_logs_the_export(client, privacy_officer, history, supervisor):
    client.force_login(privacy_officer)
    search(client, username=supervisor.username)
    response = client.get(reverse("privacy:log_export"))
    assert response["Content-Type"].startswith("text/csv")
    lines = read_csv(response)
    assert lines[0][0] == "when (UTC)" and len(lines) == 2
    assert lines[1][1] == supervisor.username and lines[1][9] == "OH2000002"
    export = PhiAccess.objects.filter(user=privacy_officer, action=Action.EXPORT).get()
    assert export.kind == Kind.ACCESS_LOG


def test_it_defuses_spreadsheet_formulas_in_the_export(client, privacy_officer, organization, member):
    sly = User.objects.create_user(
        username="=cmd|calc", password="x" * 20, role="provider_staff", organization=organization
    )
    phi_read(user=sly, kind=Kind.MEMBER, object_id=member.pk, member_id=member.pk)
    client.force_login(privacy_officer)
    lines = read_csv(client.get(reverse("privacy:log_export")))
    # The export itself is the newest line.
    assert [line[1] for line in lines[1:]] == ["priya", "'=cmd|calc"]


def test_it_finds_a_members_accounting_by_member_id(client, privacy_officer, history, submitted):
    client.force_login(privacy_officer)
    response = client.post(reverse("privacy:disclosures_search"), {"member_id": " OH1000001 "})
    assert response.url == reverse("privacy:disclosures", args=[submitted.member_id])
    page = shown(client.get(response.url))
    # The two reads so far, newest first; this page's own read is written once it is shown.
    assert "2 accesses to this member" in page
    assert page.index("Member page") < page.index("Request page")
    assert (
        PhiAccess.objects.filter(kind=Kind.DISCLOSURES, action=Action.VIEW, user=privacy_officer).count() == 1
    )


def test_it_exports_a_members_accounting_and_logs_it(client, privacy_officer, history, submitted):
    client.force_login(privacy_officer)
    response = client.get(reverse("privacy:disclosures_export", args=[submitted.member_id]))
    assert "OH1000001" not in response["Content-Disposition"]
    lines = read_csv(response)
    assert [line[5] for line in lines[1:]] == ["Accounting of disclosures", "Member page", "Request page"]
    assert PhiAccess.objects.filter(
        kind=Kind.DISCLOSURES, action=Action.EXPORT, member_id=submitted.member_id
    ).exists()


def test_it_says_when_no_member_has_the_id(client, privacy_officer, member):
    client.force_login(privacy_officer)
    page = shown(client.post(reverse("privacy:disclosures_search"), {"member_id": "OH9"}))
    assert "No member has that member ID" in page


def test_it_shows_the_privacy_officer_the_way_in(client, privacy_officer):
    client.force_login(privacy_officer)
    page = shown(client.get(reverse("home")))
    assert reverse("privacy:log") in page and reverse("privacy:disclosures_search") in page
