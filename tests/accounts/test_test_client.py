"""Other features' tests sign in with the test client: a whole sign-in, second factor included.

Not marked `sign_in`: these check what tests/conftest.py's autouse fixture gives them.
"""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD


def test_it_signs_a_reviewer_in_past_the_code_with_force_login(client, nurse):
    client.force_login(nurse)
    response = client.get("/review/")
    assert response.status_code == 200
    assert response.wsgi_request.user.is_verified()


def test_it_signs_a_reviewer_in_past_the_code_with_login_and_still_checks_the_password(client, nurse):
    assert not client.login(username="nina", password="not-the-password")
    assert client.login(username="nina", password=PASSWORD)
    assert client.get("/review/").status_code == 200


def test_it_leaves_office_staff_without_an_authenticator(client, provider_staff):
    client.force_login(provider_staff)
    assert client.get("/requests/").status_code == 200
    assert not TOTPDevice.objects.filter(user=provider_staff).exists()


def test_it_signs_a_superuser_into_the_admin(admin_client):
    assert admin_client.get("/admin/").status_code == 200
