"""An escalation's reason is a note between reviewers: on their timeline, never on the provider's page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from priorauth.requests.models import EventKind
from priorauth.review.services import review_escalate
from tests.conftest import PASSWORD
from tests.review.world import claimed, seed, submitted  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("seed")
REASON = "Prior CAR-T elsewhere is unclear; the nurse doubts the ECOG of 1."


def page(client: Client, user, url: str) -> str:
    assert client.login(username=user.username, password=PASSWORD)
    content = client.get(url).content.decode()
    client.logout()
    return content


def timeline(content: str) -> str:
    return re.search(r'<ol[^>]*id="timeline">(.*?)</ol>', content, re.S).group(1)


def test_it_keeps_the_escalation_reason_off_the_providers_page(client, nurse, provider_staff):
    pa = submitted(provider_staff, "OH")
    claimed(nurse, pa)

    review_escalate(user=nurse, request_id=pa.pk, reason=REASON)

    assert pa.events.get(kind=EventKind.ESCALATED).internal
    review_page = page(client, nurse, reverse("review:request", args=[pa.pk]))
    assert REASON in timeline(review_page)
    provider_page = page(client, provider_staff, reverse("requests:detail", args=[pa.pk]))
    assert REASON not in provider_page
    assert "ECOG of 1" not in provider_page
