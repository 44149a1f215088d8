"""The home page, the login page and the health endpoint."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client

from priorauth.members.models import User
from tests.conftest import PASSWORD


def login(client: Client, user: User) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def test_it_says_what_the_product_is_and_for_whom(client, db):
    page = client.get("/").content.decode()
    for phrase in (
        "CAR-T",
        "gene therapy",
        "MP-AD-1623",
        "Marketplace",
        "Georgia",
        "Indiana",
        "Ohio",
        "West Virginia",
        "Provider offices",
        "Reviewers",
        "Policy administrators",
    ):
        assert phrase in page, phrase


def test_it_offers_a_login_link_to_visitors(client, db):
    page = client.get("/").content.decode()
    assert 'href="/accounts/login/"' in page
    assert "Log out" not in page


def test_it_loads_bootstrap_from_static_files_and_no_cdn(client, db):
    page = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page
    assert "/static/vendor/bootstrap/bootstrap.bundle.min.js" in page
    assert "cdn" not in page.lower()


def test_it_shows_the_logged_in_users_name_and_role(client, nurse):
    login(client, nurse)
    page = client.get("/").content.decode()
    assert "nina" in page
    assert "Clinical reviewer (nurse)" in page
    assert "Open the policy admin" not in page


def test_it_links_the_admin_for_a_policy_administrator(client, policy_admin):
    login(client, policy_admin)
    page = client.get("/").content.decode()
    assert "Policy administrator" in page
    assert 'href="/admin/"' in page


def test_it_shows_provider_staff_their_organization_and_the_way_to_their_requests(client, provider_staff):
    login(client, provider_staff)
    page = client.get("/").content.decode()
    assert "Buckeye Oncology" in page
    assert 'href="/members/lookup/"' in page
    assert 'href="/requests/"' in page


def test_it_offers_reviewers_no_provider_intake_links(client, physician):
    login(client, physician)
    assert 'href="/members/lookup/"' not in client.get("/").content.decode()


def test_it_logs_out_with_a_csrf_protected_post(provider_staff):
    client = Client(enforce_csrf_checks=True)
    login(client, provider_staff)
    page = client.get("/").content.decode()
    assert 'action="/accounts/logout/"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert client.post("/accounts/logout/").status_code == 403
    token = client.cookies["csrftoken"].value
    response = client.post("/accounts/logout/", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_serves_a_styled_login_page(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "bootstrap.min.css" in page
    assert 'for="id_username"' in page
    assert 'for="id_password"' in page


def test_it_logs_a_user_in_from_the_login_page(client, provider_staff):
    # Office staff without two-factor sign-in: the password alone signs in (tests/accounts has
    # the roles that go on to the code step).
    response = client.post("/accounts/login/", {"username": "olivia", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_tells_a_user_when_the_password_is_wrong(client, supervisor):
    response = client.post("/accounts/login/", {"username": "sam", "password": "not-the-password"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_it_reports_health_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_reports_an_unreachable_database_as_503(client, db):
    with mock.patch("priorauth.stack.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_answers_health_only_to_get(client, db, method):
    assert getattr(client, method)("/healthz").status_code == 405
