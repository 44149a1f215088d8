"""Plans, organizations, people and members in the admin: who may edit what, and NPI checks."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from priorauth.members import demo
from priorauth.members.models import (
    CoveragePeriod,
    Member,
    Plan,
    ProviderOrganization,
    Role,
    User,
    validate_tin,
)
from priorauth.members.validation import npi_error
from priorauth.policies.models import Product
from priorauth.requests.models import PriorAuthRequest, RequestEvent
from tests.conftest import PASSWORD


def _url(model: type, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(username="root", password=PASSWORD, email="root@example.org")


@pytest.fixture
def roctavian(db) -> Product:
    return Product.objects.create(
        hcpcs="J1412", brand="Roctavian", generic="valoctocogene roxaparvovec", category="gene_therapy"
    )


@pytest.fixture
def plan(db) -> Plan:
    return Plan.objects.create(code="GA-MKT-BRONZE-2026", line_of_business="marketplace", state="GA")


@pytest.fixture
def member(plan) -> Member:
    member = Member.objects.create(
        member_id="M100", first_name="Ada", last_name="Lovelace", date_of_birth="1980-12-10", plan=plan
    )
    CoveragePeriod.objects.create(member=member, start="2026-01-01", end="2026-12-31")
    return member


@pytest.mark.parametrize(
    ("npi", "valid"),
    [
        ("1234567893", True),
        ("1245319599", True),
        ("1234567890", False),
        ("123456789", False),
        ("12345678931", False),
        ("12345A7893", False),
    ],
)
def test_it_checks_an_npi(npi, valid):
    assert (npi_error(npi) is None) is valid


def test_it_refuses_an_organization_with_a_bad_npi(client: Client, superuser):
    client.force_login(superuser)
    data = {"name": "Mountain Cancer Care", "npi": "1234567890", "tin": "551234567"}

    response = client.post(_url(ProviderOrganization, "add"), data)

    assert response.status_code == 200
    assert "check digit does not match" in response.content.decode()
    assert not ProviderOrganization.objects.filter(name="Mountain Cancer Care").exists()


def test_it_adds_an_organization_with_a_valid_npi(client: Client, superuser):
    client.force_login(superuser)
    data = {"name": "Mountain Cancer Care", "npi": "1245319599", "tin": "551234567"}

    assert client.post(_url(ProviderOrganization, "add"), data).status_code == 302
    assert ProviderOrganization.objects.get(npi="1245319599").history.get().history_user == superuser


@pytest.mark.parametrize(
    ("tin", "message"),
    [
        ("12345", "A TIN is the 9-digit employer identification number of the organization"),
        ("55-12345X7", "A TIN is the 9-digit employer identification number of the organization"),
        ("07-1234567", "07-1234567 is not a valid TIN: no employer identification number starts with 07."),
    ],
)
def test_it_refuses_an_organization_with_a_bad_tin(client: Client, superuser, tin, message):
    client.force_login(superuser)
    data = {"name": "Mountain Cancer Care", "npi": "1245319599", "tin": tin}

    response = client.post(_url(ProviderOrganization, "add"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProviderOrganization.objects.exists()


def test_it_stores_a_tin_typed_with_its_dash_as_nine_digits(client: Client, superuser):
    client.force_login(superuser)
    data = {"name": "Mountain Cancer Care", "npi": "1245319599", "tin": " 55-1234567 "}

    assert client.post(_url(ProviderOrganization, "add"), data).status_code == 302
    assert ProviderOrganization.objects.get().tin == "551234567"


def test_it_seeds_demo_organizations_with_valid_tins():
    for organization in demo.ORGANIZATIONS:
        validate_tin(organization.tin)


def test_it_lets_the_policy_admin_exclude_benefits_from_a_plan(client: Client, policy_admin, plan, roctavian):
    client.force_login(policy_admin)
    data = {
        "code": plan.code,
        "name": "Georgia Bronze",
        "line_of_business": "marketplace",
        "state": "GA",
        "excluded_products": [str(roctavian.pk)],
        "excluded_categories": ["car_t", "til"],
        "peer_to_peer_days": 21,
    }

    response = client.post(_url(Plan, "change", plan.pk), data)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert list(plan.excluded_products.all()) == [roctavian]
    assert plan.excluded_categories == ["car_t", "til"]
    assert plan.peer_to_peer_days == 21
    assert plan.history.latest().history_user == policy_admin


def test_it_refuses_an_unknown_category_on_a_plan(client: Client, policy_admin, plan):
    client.force_login(policy_admin)
    data = {
        "code": plan.code,
        "line_of_business": "marketplace",
        "state": "GA",
        "excluded_categories": ["magic"],
    }

    response = client.post(_url(Plan, "change", plan.pk), data)

    assert "Unknown therapy category “magic”" in response.content.decode()
    plan.refresh_from_db()
    assert plan.excluded_categories == []


def test_it_gives_the_policy_admin_no_health_information(client: Client, policy_admin, member):
    client.force_login(policy_admin)
    urls = [
        _url(Member, "changelist"),
        _url(Member, "change", member.pk),
        _url(Member, "history", member.pk),
        _url(User, "changelist"),
        _url(ProviderOrganization, "changelist"),
        _url(PriorAuthRequest, "changelist"),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert "Lovelace" not in client.get(reverse("admin:index")).content.decode()


def test_it_shows_a_superuser_the_member_with_coverage(client: Client, superuser, member):
    client.force_login(superuser)
    page = client.get(_url(Member, "change", member.pk)).content.decode()
    assert "Lovelace" in page
    assert "coverage_periods-TOTAL_FORMS" in page


def test_it_gives_a_user_the_groups_of_the_role_chosen(client: Client, superuser):
    client.force_login(superuser)
    user = User.objects.create_user(username="penny", password=PASSWORD)
    data = {
        "username": "penny",
        "role": Role.POLICY_ADMIN,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }

    response = client.post(_url(User, "change", user.pk), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.is_staff
    assert [g.name for g in user.groups.all()] == [Role.POLICY_ADMIN.label]


def test_it_shows_requests_read_only_to_a_superuser(client: Client, superuser):
    client.force_login(superuser)
    assert client.get(_url(PriorAuthRequest, "changelist")).status_code == 200
    assert client.get(_url(RequestEvent, "changelist")).status_code == 200
    assert client.get(_url(PriorAuthRequest, "add")).status_code == 403
