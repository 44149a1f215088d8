"""The member lookup: member ID and date of birth, posted; eligibility at a glance."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from priorauth.members.models import CoveragePeriod, Member, Plan
from priorauth.requests.models import PriorAuthRequest
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def member(db) -> Member:
    plan = Plan.objects.create(
        code="OH-MKT-SILVER", name="Ohio Marketplace Silver", line_of_business="marketplace", state="OH"
    )
    member = Member.objects.create(
        member_id="OH1000001",
        first_name="Ada",
        last_name="Lovelace",
        date_of_birth=datetime.date(1961, 4, 21),
        plan=plan,
    )
    CoveragePeriod.objects.create(
        member=member, start=datetime.date(2026, 1, 1), end=datetime.date(2027, 12, 31)
    )
    return member


@pytest.fixture
def staff_client(client, provider_staff):
    assert client.login(username=provider_staff.username, password=PASSWORD)
    return client


def lookup(client, **changes):
    data = {"member_id": "OH1000001", "date_of_birth": "1961-04-21", "date_of_service": "2027-01-15"}
    data.update(changes)
    return client.post(reverse("members:lookup"), data)


def test_it_shows_plan_state_and_coverage_on_the_date_of_service(staff_client, member):
    page = lookup(staff_client).content.decode()
    assert "Ohio Marketplace Silver" in page and "Ohio" in page
    assert "Coverage active" in page
    assert "01/01/2026 \u2013 12/31/2027" in page


def test_it_warns_when_coverage_is_not_active_on_the_date_of_service(staff_client, member):
    assert "Coverage not active" in lookup(staff_client, date_of_service="2028-06-01").content.decode()


def test_it_finds_no_one_when_the_date_of_birth_does_not_match(staff_client, member):
    page = lookup(staff_client, date_of_birth="1961-04-22").content.decode()
    assert "No member matches" in page
    assert "Ada" not in page


def test_it_explains_a_missing_member_id(staff_client, member):
    assert "Please enter the member ID" in lookup(staff_client, member_id="").content.decode()


def test_it_starts_a_draft_from_the_lookup_once_however_often_it_is_clicked(staff_client, member):
    ticket = lookup(staff_client).context["ticket"]
    first = staff_client.post(reverse("requests:start"), {"ticket": ticket})
    second = staff_client.post(reverse("requests:start"), {"ticket": ticket})
    assert first.url == second.url
    pa = PriorAuthRequest.objects.get()
    assert first.url == reverse("requests:edit", args=[pa.pk])
    assert str(pa.date_of_service) == "2027-01-15"


def test_it_refuses_a_ticket_made_for_someone_else(client, staff_client, other_staff, member):
    ticket = lookup(staff_client).context["ticket"]
    staff_client.logout()
    assert client.login(username=other_staff.username, password=PASSWORD)
    assert client.post(reverse("requests:start"), {"ticket": ticket}).status_code == 404
    assert not PriorAuthRequest.objects.exists()


@pytest.mark.parametrize("ticket", ["forged", ""])
def test_it_asks_to_look_up_again_after_a_garbled_ticket(staff_client, member, ticket):
    response = staff_client.post(reverse("requests:start"), {"ticket": ticket}, follow=True)
    assert response.redirect_chain == [(reverse("members:lookup"), 302)]
    assert "Please look the member up again." in response.content.decode()
    assert not PriorAuthRequest.objects.exists()


def test_it_asks_to_look_up_again_after_the_ticket_expires(staff_client, member):
    ticket = lookup(staff_client).context["ticket"]
    # The ticket lasts two hours; the login (eight hours) outlives it, for someone who kept
    # working in another tab all along (else the 15-minute idle logoff comes first).
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2, minutes=1)
    session = staff_client.session
    session["last_seen_at"] = int(later.timestamp()) - 60
    session.save()
    with time_machine.travel(later, tick=False):
        response = staff_client.post(reverse("requests:start"), {"ticket": ticket}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(reverse("members:lookup"), 302)]
    assert "This member lookup has expired" in page and "Lovelace" not in page
    assert not PriorAuthRequest.objects.exists()


def test_it_keeps_member_data_out_of_the_url(staff_client, member):
    response = lookup(staff_client)
    assert response.request["PATH_INFO"] == reverse("members:lookup")
    assert "OH1000001" not in response.request.get("QUERY_STRING", "")
    assert 'method="post"' in response.content.decode()
