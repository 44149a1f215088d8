"""A policy administrator previews a routing change; a supervisor then re-routes, in a real browser."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from priorauth.members.models import User
from priorauth.policies.models import ReviewQueue, RoutingEntry
from priorauth.requests.models import EventKind, PriorAuthRequest, RequestEvent
from tests.browser.helpers import SEED_BUNDLE, assert_accessible, log_in_as, save_screenshot
from tests.review.world import submitted

pytestmark = pytest.mark.browser


@pytest.fixture
def three_car_t_requests(transactional_db, settings, tmp_path) -> list[PriorAuthRequest]:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    call_command("import_policies", SEED_BUNDLE, verbosity=0)
    call_command("seed_demo", "--force", stdout=io.StringIO(), stderr=io.StringIO())
    staff = User.objects.get(username="staff_buckeye")
    return [submitted(staff, "OH") for _ in range(3)]


def _car_t_entry() -> RoutingEntry:
    return RoutingEntry.objects.get(key="medical-necessity", category="car_t")


def test_a_policy_administrator_previews_a_routing_change_and_sees_the_moved_counts(
    page: Page, three_car_t_requests
):
    entry = _car_t_entry()
    log_in_as(page, "policy_admin")
    page.goto(f"/admin/policies/routingentry/{entry.pk}/change/")
    assert_accessible(page)

    page.get_by_label("Queue").select_option(label=str(ReviewQueue.objects.get(code="mn-general")))
    page.get_by_role("button", name="Preview impact").click()

    expect(page.get_by_role("heading", name="Impact of this change (not saved)")).to_be_visible()
    moves = page.locator("#impact-open ~ table.impact-moves").first
    expect(moves.locator("tr.impact-move")).to_have_count(1)
    expect(moves.locator("tr.impact-move td")).to_have_text(["mn-car-t", "mn-general", "3"])
    for pa in three_car_t_requests:
        expect(page.locator(".impact-requests").first).to_contain_text(pa.number)
    expect(page.get_by_label("Queue")).to_have_value(str(ReviewQueue.objects.get(code="mn-general").pk))
    assert_accessible(page)
    save_screenshot(page, "impact-preview")
    # Nothing saved: the entry still points at the CAR-T queue, and no request moved.
    assert _car_t_entry().queue.code == "mn-car-t"
    assert set(PriorAuthRequest.objects.values_list("queue__code", flat=True)) == {"mn-car-t"}


def test_a_supervisor_re_routes_the_requests_a_saved_change_sends_elsewhere(page: Page, three_car_t_requests):
    RoutingEntry.objects.filter(pk=_car_t_entry().pk).update(queue=ReviewQueue.objects.get(code="mn-general"))
    log_in_as(page, "supervisor")
    page.goto("/review/supervisor/reroute/")
    assert_accessible(page)
    save_screenshot(page, "reroute-list")

    page.get_by_label("I have checked the list").check()
    page.get_by_role("button", name="Re-route these 3 requests").click()

    expect(page.get_by_text("Re-routed 3 requests.")).to_be_visible()
    expect(page.locator("#reroute-none")).to_be_visible()
    assert_accessible(page)
    assert set(PriorAuthRequest.objects.values_list("queue__code", flat=True)) == {"mn-general"}
    assert RequestEvent.objects.filter(kind=EventKind.MOVED).count() == 3
