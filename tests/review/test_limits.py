"""Review text limits: refused by the services with a message, nothing written; shown on the forms."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from priorauth import limits
from priorauth.requests.models import InformationRequest, RequestEvent, Status
from priorauth.review.models import Determination, InternalNote
from priorauth.review.services import (
    ReviewError,
    determination_record,
    review_add_note,
    review_escalate,
    review_pend,
)
from tests.review.world import claimed, denial, seed, submitted  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("seed")


def test_it_refuses_a_pend_question_over_its_limit(provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    events = RequestEvent.objects.count()
    with pytest.raises(ReviewError, match="to 4,000 characters"):
        review_pend(
            user=nurse,
            request_id=pa.pk,
            needed="q" * (limits.PEND_QUESTION + 1),
            respond_by=timezone.now() + datetime.timedelta(days=50),
        )
    pa.refresh_from_db()
    assert pa.status == Status.IN_REVIEW
    assert not InformationRequest.objects.exists() and RequestEvent.objects.count() == events


def test_it_refuses_a_long_note_and_a_long_escalation_reason(provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    with pytest.raises(ReviewError, match="4,000 characters"):
        review_add_note(user=nurse, request_id=pa.pk, text="n" * 4001)
    with pytest.raises(ReviewError, match="4,000 characters"):
        review_escalate(user=nurse, request_id=pa.pk, reason="e" * 4001)
    pa.refresh_from_db()
    assert not InternalNote.objects.exists() and not pa.needs_physician


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("reason", limits.REASON),
        ("criteria_policy", limits.CRITERIA_POLICY),
        ("criteria_section", limits.CRITERIA_SECTION),
        ("peer_to_peer_instructions", limits.PEER_TO_PEER_INSTRUCTIONS),
        ("alternatives", limits.ALTERNATIVES),
    ],
)
def test_it_refuses_each_determination_text_over_its_limit(provider_staff, physician, field, limit):
    pa = claimed(physician, submitted(provider_staff, "OH"))
    with pytest.raises(ReviewError, match=f"to {limit:,} characters"):
        determination_record(user=physician, request_id=pa.pk, **denial(**{field: "w" * (limit + 1)}))
    pa.refresh_from_db()
    assert pa.status == Status.IN_REVIEW and not Determination.objects.exists()


def test_the_review_screen_shows_the_limits(client, provider_staff, physician):
    pa = claimed(physician, submitted(provider_staff, "OH"))
    client.force_login(physician)
    page = client.get(reverse("review:request", args=[pa.pk])).content.decode()
    assert 'name="pend-needed"' in page and 'maxlength="4000"' in page
    assert 'name="adverse-reason"' in page and "Up to 4,000 characters." in page
    assert 'maxlength="1000"' in page and "Up to 2,000 characters." in page


def test_the_pend_form_refuses_a_long_question_with_a_message(client, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    client.force_login(nurse)
    response = client.post(
        reverse("review:act", args=[pa.pk, "pend"]),
        {"pend-needed": "q" * 4001, "pend-respond_by": "2099-01-01T10:00"},
    )
    assert response.status_code == 200
    assert "Please keep this to 4000 characters (it has 4001)." in response.content.decode()
    assert not InformationRequest.objects.exists()
