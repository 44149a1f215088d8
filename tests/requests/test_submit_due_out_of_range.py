"""A submission whose due time falls past the year 9999 is refused in words, and nothing is written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from priorauth.notifications.models import Notification
from priorauth.policies.models import TimeframeRule
from priorauth.requests import services
from priorauth.requests.models import EventKind, Status
from tests.conftest import PASSWORD
from tests.requests.conftest import form_data, start_draft


@pytest.fixture
def typo_in_ohio(records) -> None:
    # An amount stored before amounts were bounded: the import and the admin now refuse it.
    TimeframeRule.objects.filter(urgency="standard", state="OH").update(amount=5_000_000)


def test_it_refuses_a_submission_whose_due_time_cannot_be_computed(provider_staff, draft, typo_in_ohio):
    events = list(draft.events.values_list("kind", flat=True))

    with pytest.raises(services.IntakeError, match="could not be routed") as refused:
        services.request_submit(user=provider_staff, request_id=draft.pk, attested=True)

    assert "the due time is out of range" in refused.value.message
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.number is None and draft.due_at is None
    assert list(draft.events.values_list("kind", flat=True)) == events
    assert EventKind.SUBMITTED not in events
    assert not Notification.objects.exists()


def test_it_shows_the_refusal_on_the_form_instead_of_failing(client, provider_staff, member, typo_in_ohio):
    pa = start_draft(provider_staff, member)
    assert client.login(username=provider_staff.username, password=PASSWORD)

    response = client.post(reverse("requests:edit", args=[pa.pk]), form_data(action="submit"))

    assert response.status_code == 200
    assert "could not be routed" in response.content.decode()
    pa.refresh_from_db()
    assert pa.status == Status.DRAFT and pa.product is not None
