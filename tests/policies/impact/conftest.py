"""Fixtures for the impact preview's tests: the prepared requests (world.py), a policy administrator."""

from __future__ import annotations

import pytest
from django.test import Client

from priorauth.members.models import User
from tests.policies.impact.world import prepared, seed  # noqa: F401  (fixtures used by name)


@pytest.fixture
def admin_client(client: Client, policy_admin: User) -> Client:
    client.force_login(policy_admin)
    return client
