"""After the decision, in a real browser: a peer-to-peer talk after a denial, and a timeframe extension.

Office staff ask for a talk on their denied request; the demo physician offers and confirms a
time on the review screen; staff see it on their request page. Then the demo nurse extends a
standard Georgia request's timeframe (a Georgia rule given an extension for the test: the
seed's state rules have none), and staff read the new due time and why.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from priorauth.members.models import User
from priorauth.policies.models import TimeframeRule
from priorauth.requests.models import EventKind
from priorauth.review.models import TalkStatus
from priorauth.review.services import determination_record
from tests.browser.helpers import assert_accessible, log_in_as, log_out, press_review_action, save_screenshot
from tests.review.world import claimed, denial, submitted

pytestmark = pytest.mark.browser

STAFF, NURSE, PHYSICIAN = "staff_buckeye", "nurse", "physician"
TIMES = "Weekdays 12:00 to 1:00 PM Eastern"
REASON = "The independent oncology consultant's report is not back yet."


def test_staff_ask_for_a_talk_after_a_denial_and_see_the_time_the_physician_confirms(page: Page, demo_world):
    staff, physician = User.objects.get(username=STAFF), User.objects.get(username=PHYSICIAN)
    pa = claimed(physician, submitted(staff, "OH"))
    determination_record(user=physician, request_id=pa.pk, **denial())

    log_in_as(page, STAFF)
    page.goto(f"/requests/{pa.pk}/")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("[data-testid=talk-link]").click()
    assert_accessible(page)
    page.locator("#id_talk-phone").fill("555-0142")
    page.locator("#id_talk-availability").fill(TIMES)
    with page.expect_navigation():
        page.locator("[data-testid=talk-submit]").click()
    assert_accessible(page)
    expect(page.locator("#id_talk-phone-error, .invalid-feedback").first).to_contain_text(
        "10-digit phone number"
    )
    save_screenshot(page, "peer-to-peer-refused-phone")
    page.locator("#id_talk-phone").fill("(317) 555-0142")
    with page.expect_navigation():
        page.locator("[data-testid=talk-submit]").click()
    expect(page).to_have_url(re.compile(rf"/requests/{pa.pk}/$"))
    assert_accessible(page)
    expect(page.locator("#peer-to-peer")).to_contain_text(
        "Waiting for a physician reviewer to confirm a time"
    )
    log_out(page)

    slot = (timezone.localtime() + datetime.timedelta(days=1)).replace(
        hour=12, minute=30, second=0, microsecond=0
    )
    log_in_as(page, PHYSICIAN)
    page.goto(f"/review/requests/{pa.pk}/")
    assert_accessible(page)
    expect(page.locator("#peer-to-peer")).to_contain_text("(317) 555-0142")
    expect(page.locator("#peer-to-peer")).to_contain_text(TIMES)
    page.locator("#id_talk-schedule-slot_at").fill(slot.strftime("%Y-%m-%dT%H:%M"))
    press_review_action(page, "talk_schedule")
    expect(page.locator("[data-testid=talk-slot]")).to_contain_text(f"{slot:%m/%d/%Y} 12:30 PM")
    save_screenshot(page, "peer-to-peer-review-scheduled")
    log_out(page)

    log_in_as(page, STAFF)
    page.goto(f"/requests/{pa.pk}/")
    assert_accessible(page)
    expect(page.locator("#peer-to-peer [data-testid=talk-slot]")).to_contain_text(
        f"Scheduled for {slot:%A, %m/%d/%Y} 12:30 PM"
    )
    save_screenshot(page, "peer-to-peer-provider-scheduled")
    talk = pa.peer_to_peer_talks.get()
    assert talk.status == TalkStatus.SCHEDULED and talk.physician == physician
    assert list(pa.events.filter(kind__startswith="peer_to_peer").values_list("kind", flat=True)) == [
        EventKind.PEER_TO_PEER_REQUESTED,
        EventKind.PEER_TO_PEER_SCHEDULED,
    ]


def test_a_nurse_extends_a_standard_request_and_staff_see_the_new_due_time(page: Page, demo_world):
    TimeframeRule.objects.filter(urgency="standard", state="GA").update(
        extension_unit="calendar_days", extension_amount=7
    )
    staff, nurse = User.objects.get(username=STAFF), User.objects.get(username=NURSE)
    pa = claimed(nurse, submitted(staff, "GA"))
    first_due = pa.due_at

    log_in_as(page, NURSE)
    page.goto(f"/review/requests/{pa.pk}/")
    assert_accessible(page)
    expect(page.locator("#extend-action")).to_contain_text("The due time moves by 7 calendar days")
    page.locator("#id_extend-reason").fill(REASON)
    press_review_action(page, "extend")
    expect(page.locator("[data-testid=extended]")).to_contain_text(REASON)
    expect(page.locator("[data-testid=extend-unavailable]")).to_contain_text("already extended once")
    save_screenshot(page, "extension-review")
    log_out(page)

    pa.refresh_from_db()
    assert pa.due_at == first_due + datetime.timedelta(days=7)
    log_in_as(page, STAFF)
    page.goto(f"/requests/{pa.pk}/")
    assert_accessible(page)
    expect(page.locator("[data-testid=extended]")).to_contain_text(REASON)
    save_screenshot(page, "extension-provider")
