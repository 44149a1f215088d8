"""The row lock at work (PostgreSQL): a double click extends once, two staff asking at once make one talk."""

from __future__ import annotations

import pytest
from django.db import connection

from priorauth.policies.models import TimeframeRule
from priorauth.requests.models import EventKind
from priorauth.review.peer_to_peer.services import peer_to_peer_request
from priorauth.review.services import ReviewError, determination_record, review_extend
from tests.conftest import make_user
from tests.review.test_claim_race import run_together
from tests.review.world import claimed, denial, seed, submitted  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (SQLite serialises writers): set DATABASE_URL")


def test_an_extension_asked_twice_at_once_is_granted_once(seed, provider_staff, nurse):
    TimeframeRule.objects.filter(urgency="standard", state="GA").update(
        extension_unit="calendar_days", extension_amount=7
    )
    pa = claimed(nurse, submitted(provider_staff, "GA"))
    first_due = pa.due_at

    def extend():
        return review_extend(user=nurse, request_id=pa.pk, reason="Consultant report due.").due_at

    results = run_together(extend, extend)
    granted = [result for result in results if not isinstance(result, Exception)]
    refused = [result for result in results if isinstance(result, ReviewError)]
    assert len(granted) == 1 and len(refused) == 1, results
    assert "already extended once" in str(refused[0])
    pa.refresh_from_db()
    assert pa.due_at == first_due + (first_due - pa.received_at)
    assert pa.events.filter(kind=EventKind.EXTENDED).count() == 1


def test_two_staff_asking_for_a_talk_at_once_make_one_talk(seed, organization, provider_staff, physician):
    colleague = make_user("omar", provider_staff.role, organization)
    pa = claimed(physician, submitted(provider_staff, "OH"))
    determination_record(user=physician, request_id=pa.pk, **denial())

    def ask(user):
        return lambda: peer_to_peer_request(
            user=user, request_id=pa.pk, phone="317-555-0142", availability="Noon"
        ).pk

    results = run_together(ask(provider_staff), ask(colleague))
    assert len([r for r in results if isinstance(r, int)]) == 1, results
    assert "already requested or scheduled" in str(next(r for r in results if isinstance(r, ReviewError)))
    assert pa.peer_to_peer_talks.count() == 1
