"""The pages of the extension and the peer-to-peer talk: who sees which form, and what it does."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from priorauth.policies.models import TimeframeRule
from priorauth.review.models import TalkOutcome
from priorauth.review.peer_to_peer.services import (
    peer_to_peer_record_outcome,
    peer_to_peer_request,
    peer_to_peer_schedule,
)
from priorauth.review.services import determination_record
from tests.review.world import MONDAY, approval, claimed, denial, seed, submitted  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("seed")
SLOT = MONDAY + datetime.timedelta(days=2, hours=4)


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def denied(staff, physician):
    pa = claimed(physician, submitted(staff, "OH"))
    determination_record(user=physician, request_id=pa.pk, **denial())
    return pa


def test_staff_ask_for_a_talk_from_their_page(clock, client, provider_staff, physician):
    pa = denied(provider_staff, physician)
    client.force_login(provider_staff)
    detail = client.get(reverse("requests:detail", args=[pa.pk]))
    assert reverse("peer_to_peer:request", args=[pa.pk]) in detail.content.decode()
    url = reverse("peer_to_peer:request", args=[pa.pk])
    refused = client.post(url, {"talk-phone": "555-0142", "talk-availability": "Noon"})
    assert refused.status_code == 200 and "10-digit phone number" in refused.content.decode()
    assert not pa.peer_to_peer_talks.exists()
    done = client.post(url, {"talk-phone": "(317) 555-0142", "talk-availability": "Weekdays at noon"})
    assert done.status_code == 302 and pa.peer_to_peer_talks.get().phone == "(317) 555-0142"
    again = client.get(url)
    assert "already requested or scheduled" in again.content.decode()


def test_a_refused_talk_request_says_why_once(clock, client, provider_staff, physician):
    pa = denied(provider_staff, physician)
    client.force_login(provider_staff)
    url = reverse("peer_to_peer:request", args=[pa.pk])
    fields = {"talk-phone": "(317) 555-0142", "talk-availability": "Weekdays at noon"}
    client.post(url, fields)
    again = client.post(url, fields).content.decode()
    assert again.count("already requested or scheduled") == 1
    assert again.count('role="alert"') == 1


def test_another_organization_gets_404(clock, client, provider_staff, other_staff, physician):
    pa = denied(provider_staff, physician)
    client.force_login(other_staff)
    url = reverse("peer_to_peer:request", args=[pa.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"talk-phone": "317-555-0142", "talk-availability": "Noon"}).status_code == 404
    assert not pa.peer_to_peer_talks.exists()


def test_the_physician_schedules_from_the_review_page_and_staff_see_the_time(
    clock, client, provider_staff, physician
):
    pa = denied(provider_staff, physician)
    talk = peer_to_peer_request(
        user=provider_staff, request_id=pa.pk, phone="317-555-0142", availability="Noon"
    )
    client.force_login(physician)
    page = client.get(reverse("review:request", args=[pa.pk])).content.decode()
    assert "317-555-0142" in page and "Offer and confirm a time" in page
    response = client.post(
        reverse("review:act", args=[pa.pk, "talk_schedule"]),
        {"talk-schedule-talk": talk.pk, "talk-schedule-slot_at": "2026-06-03T14:00"},
    )
    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.slot_at == datetime.datetime(2026, 6, 3, 18, 0, tzinfo=datetime.UTC)
    client.force_login(provider_staff)
    detail = client.get(reverse("requests:detail", args=[pa.pk])).content.decode()
    assert "Scheduled for Wednesday, 06/03/2026 2:00 PM EDT" in detail


def test_the_letter_page_shows_the_current_letter_and_links_the_replaced_one(
    clock, client, provider_staff, physician
):
    pa = denied(provider_staff, physician)
    old = pa.determination
    talk = peer_to_peer_request(
        user=provider_staff, request_id=pa.pk, phone="317-555-0142", availability="Noon"
    )
    peer_to_peer_schedule(user=physician, request_id=pa.pk, talk_id=talk.pk, slot_at=SLOT)
    peer_to_peer_record_outcome(
        user=physician,
        request_id=pa.pk,
        talk_id=talk.pk,
        outcome=TalkOutcome.CHANGED,
        note="New ECOG assessment of 1.",
        decision=approval(),
    )
    client.force_login(provider_staff)
    current = client.get(reverse("letters:letter", args=[pa.pk])).content.decode()
    assert (
        "Your request is approved." in current
        and "This letter replaces our letter of June 1, 2026" in current
    )
    assert reverse("letters:letter_of", args=[pa.pk, old.pk]) in current
    earlier = client.get(reverse("letters:letter_of", args=[pa.pk, old.pk])).content.decode()
    assert "Your request is denied." in earlier and "This letter was replaced by a later decision" in earlier
    pdf = client.get(reverse("letters:pdf_of", args=[pa.pk, old.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # A determination of another request is not this request's letter.
    other = denied(provider_staff, physician)
    assert client.get(reverse("letters:letter_of", args=[other.pk, old.pk])).status_code == 404


def test_the_review_page_offers_the_extension_only_when_allowed(clock, client, provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    client.force_login(nurse)
    page = client.get(reverse("review:request", args=[pa.pk])).content.decode()
    assert "Not available: The due time is set by the OH standard rule" in page
    TimeframeRule.objects.filter(urgency="standard", state="GA").update(
        extension_unit="calendar_days", extension_amount=7
    )
    ga = claimed(nurse, submitted(provider_staff, "GA"))
    page = client.get(reverse("review:request", args=[ga.pk])).content.decode()
    assert 'data-testid="extend-submit"' in page and "The due time moves by 7 calendar days" in page
    response = client.post(
        reverse("review:act", args=[ga.pk, "extend"]), {"extend-reason": "Consultant report due."}
    )
    assert response.status_code == 302
    ga.refresh_from_db()
    assert ga.due_at == MONDAY + datetime.timedelta(days=14)
    client.force_login(provider_staff)
    detail = client.get(reverse("requests:detail", args=[ga.pk])).content.decode()
    assert "The reviewer extended the time to decide" in detail and "Consultant report due." in detail


def test_the_notification_centre_tells_staff_of_the_talk_and_the_extension(
    clock, client, provider_staff, physician, nurse
):
    pa = denied(provider_staff, physician)
    talk = peer_to_peer_request(
        user=provider_staff, request_id=pa.pk, phone="317-555-0142", availability="Noon"
    )
    peer_to_peer_schedule(user=physician, request_id=pa.pk, talk_id=talk.pk, slot_at=SLOT)
    TimeframeRule.objects.filter(urgency="standard", state="GA").update(
        extension_unit="calendar_days", extension_amount=7
    )
    ga = claimed(nurse, submitted(provider_staff, "GA"))
    client.force_login(nurse)
    client.post(reverse("review:act", args=[ga.pk, "extend"]), {"extend-reason": "Consultant report due."})
    client.force_login(provider_staff)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "A peer-to-peer talk is scheduled for 06/03/2026 2:00 PM EDT." in page
    assert (
        "The reviewer extended the time to decide, once: a decision is now due by 06/15/2026 10:00 AM EDT."
        in page
    )
    assert "317-555-0142" not in page and "Consultant report due." not in page
