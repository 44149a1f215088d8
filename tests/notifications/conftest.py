"""The notification tests' world: the review world's seed and requests, a clock, mail in memory."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from priorauth.members.models import ProviderOrganization, Role, User
from priorauth.notifications.models import Channel, Notification
from tests.conftest import make_user
from tests.review.world import MONDAY, seed  # noqa: F401 (fixture)

# What the test requests carry that is health information: none of it may be in a subject or
# (beyond the provider's own question) in a body.
PHI = ("Ada", "Lovelace", "C83.30", "lymphoma", "Lymphoma", "Yescarta", "axicabtagene", "DLBCL", "2000001")


def days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _seeded(seed) -> None:
    return None


@pytest.fixture
def teammate(organization: ProviderOrganization) -> User:
    return make_user("tomas", Role.PROVIDER_STAFF, organization)


def rows(**filters: object) -> list[tuple[str, str, str]]:
    """Return (event, recipient username, channel) of the matching rows, sorted."""
    found = Notification.objects.filter(**filters).select_related("recipient")
    return sorted((n.event, n.recipient.username, n.channel) for n in found)


def emails(**filters: object) -> list[Notification]:
    return list(Notification.objects.filter(channel=Channel.EMAIL, **filters).order_by("pk"))
