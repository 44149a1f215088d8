"""The admin's "Preview impact": exact counts on the prepared requests, and nothing written."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from priorauth.members.models import Plan
from priorauth.policies.impact.compare import NO_AUTH, Impact
from priorauth.policies.models import Policy, Product, ReviewQueue, RoutingEntry, TimeframeRule
from priorauth.requests.models import PriorAuthRequest
from tests.policies.test_admin import form_data


def _change_url(record: Model) -> str:
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])


def preview(client: Client, record: Model, **changes: Any) -> Any:
    """Return the response to "Preview impact" on the record's change form with `changes` made."""
    url = _change_url(record)
    data = form_data(client.get(url))
    data.update(changes)
    data["_preview_impact"] = "Preview impact"
    return client.post(url, data)


def moves(impact: Impact) -> dict[tuple[str, str], int]:
    return {(old, new): count for old, new, count in impact.moves}


def numbers(items: Any) -> set[str]:
    return {item.row.number for item in items}


def row_counts() -> dict[str, int]:
    """Return the number of rows of every model, history tables and the access log included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_it_counts_the_requests_a_routing_change_moves(admin_client, prepared):
    entry = RoutingEntry.objects.get(key="medical-necessity", category="car_t")

    response = preview(admin_client, entry, queue=str(ReviewQueue.objects.get(code="mn-general").pk))

    assert response.status_code == 200
    impact = response.context["impact"]
    assert moves(impact.open) == {("mn-car-t", "mn-general"): 3}
    assert numbers(impact.open.moved) == {pa.number for pa in prepared["yescarta"]}
    # The request approved last week is among the last 90 days; the one of 200 days ago is not.
    assert moves(impact.recent) == {("mn-car-t", "mn-general"): 4}
    assert impact.recent.decided == 7
    assert not (impact.open.earlier or impact.open.later or impact.open.outcome_changed)
    page = response.content.decode()
    assert "Impact of this change (not saved)" in page and prepared["yescarta"][0].number in page
    # The form keeps the draft; the title names the entry as stored.
    assert response.context["subtitle"].endswith("-> mn-car-t")
    assert response.context["adminform"].form["queue"].value() == str(
        ReviewQueue.objects.get(code="mn-general").pk
    )


def test_it_counts_the_due_times_a_timeframe_change_moves_earlier_and_later(admin_client, prepared):
    ohio = TimeframeRule.objects.get(urgency="standard", state="OH")
    georgia = TimeframeRule.objects.get(urgency="standard", state="GA")

    shorter = preview(admin_client, ohio, amount="5").context["impact"]
    # Georgia's own 7 days give way to the federal 15 once Georgia's rule says 20.
    longer = preview(admin_client, georgia, amount="20").context["impact"]

    assert numbers(shorter.open.earlier) == {pa.number for pa in prepared["yescarta"]}
    assert len(shorter.recent.earlier) == 4 and not shorter.open.later and not shorter.open.moves
    first = shorter.open.earlier[0]
    assert (first.before.due_at - first.after.due_at).days == 5
    assert numbers(longer.open.later) == {pa.number for pa in prepared["zolgensma"]}
    assert not longer.open.earlier and not longer.open.moves
    assert (longer.open.later[0].after.due_at - longer.open.later[0].before.due_at).days == 8


def test_it_counts_the_requests_a_plan_exclusion_sends_to_benefits_review(admin_client, prepared):
    georgia = Plan.objects.get(code="GA-MKT-SILVER-2026")

    impact = preview(admin_client, georgia, excluded_products=[str(Product.objects.get(hcpcs="J3399").pk)])

    assert moves(impact.context["impact"].open) == {("mn-gene-therapy", "benefits"): 2}
    assert moves(impact.context["impact"].recent) == {("mn-gene-therapy", "benefits"): 2}


def test_it_lists_requests_that_would_need_no_authorization(admin_client, prepared):
    ohio = Plan.objects.get(code="OH-MKT-SILVER-2026")
    yescarta = str(Product.objects.get(hcpcs="Q2041").pk)

    impact = preview(admin_client, ohio, no_auth_products=[yescarta]).context["impact"]

    assert moves(impact.open) == {("mn-car-t", NO_AUTH): 3}
    assert numbers(impact.open.outcome_changed) == {pa.number for pa in prepared["yescarta"]}
    assert len(impact.recent.outcome_changed) == 4


def test_it_writes_nothing(admin_client, prepared):
    entry = RoutingEntry.objects.get(key="medical-necessity", category="car_t")
    rule = TimeframeRule.objects.get(urgency="standard", state="OH")
    plan = Plan.objects.get(code="GA-MKT-SILVER-2026")
    gene = str(Product.objects.get(hcpcs="J3399").pk)
    admin_client.get(_change_url(entry))  # the session row exists before counting
    before = row_counts()
    queues = dict(PriorAuthRequest.objects.values_list("pk", "queue__code"))

    preview(admin_client, entry, queue=str(ReviewQueue.objects.get(code="mn-general").pk))
    preview(admin_client, rule, amount="5")
    preview(admin_client, plan, excluded_products=[gene])

    assert row_counts() == before
    assert dict(PriorAuthRequest.objects.values_list("pk", "queue__code")) == queues
    assert RoutingEntry.objects.get(pk=entry.pk).queue.code == "mn-car-t"
    assert TimeframeRule.objects.get(pk=rule.pk).amount == 10
    assert not Plan.objects.get(pk=plan.pk).excluded_products.exists()
    assert entry.history.count() == 1 and rule.history.count() == 1 and plan.history.count() == 1


def test_it_shows_no_member_data_to_the_policy_administrator(admin_client, prepared):
    entry = RoutingEntry.objects.get(key="medical-necessity", category="car_t")

    page = preview(admin_client, entry, queue=str(ReviewQueue.objects.get(code="mn-general").pk))

    text = page.content.decode()
    member = prepared["yescarta"][0].member
    assert prepared["yescarta"][0].number in text
    for secret in (member.member_id, member.first_name, member.last_name, "1961", "C83.30", "DLBCL"):
        assert secret not in text


def test_it_shows_the_errors_and_no_preview_for_an_invalid_draft(admin_client, prepared):
    rule = TimeframeRule.objects.get(urgency="standard", state="OH")

    response = preview(admin_client, rule, amount="0")

    assert response.status_code == 200
    assert "impact" not in response.context
    assert "Nothing previewed: correct the errors below" in response.content.decode()
    assert TimeframeRule.objects.get(pk=rule.pk).amount == 10


def test_it_offers_preview_beside_save_on_every_policy_record(admin_client, prepared):
    from tests.policies.test_admin import POLICY_RECORDS

    for model in POLICY_RECORDS:
        page = admin_client.get(_change_url(model.objects.first())).content.decode()
        assert 'name="_preview_impact"' in page, model
        assert page.index('name="_save"') < page.index('name="_preview_impact"')


def test_it_previews_a_new_routing_entry_from_the_add_form(admin_client, prepared):
    data = {
        "key": "medical-necessity",
        "category": "cell_therapy",
        "queue": str(ReviewQueue.objects.get(code="mn-car-t").pk),
        "_preview_impact": "Preview impact",
    }

    response = admin_client.post(reverse("admin:policies_routingentry_add"), data)

    assert moves(response.context["impact"].open) == {("mn-general", "mn-car-t"): 1}
    assert not RoutingEntry.objects.filter(category="cell_therapy").exists()


def test_it_previews_a_routing_entry_deleted_on_its_queues_page(admin_client, prepared):
    queue = ReviewQueue.objects.get(code="mn-car-t")
    url = _change_url(queue)
    data = form_data(admin_client.get(url))
    data.update({"routing_entries-0-DELETE": "on", "_preview_impact": "Preview impact"})

    response = admin_client.post(url, data)

    # Without its CAR-T entry, medical necessity falls back to the key's default queue.
    assert moves(response.context["impact"].open) == {("mn-car-t", "mn-general"): 3}
    assert queue.routing_entries.count() == 1


def test_it_previews_a_policy_archived_before_the_dates_of_service(admin_client, prepared):
    policy = Policy.objects.get(number="MP-AD-1623")

    impact = preview(admin_client, policy, archived="2026-12-31").context["impact"]

    # Not governed on 01/15/2027: every open request would go to intake triage.
    assert moves(impact.open) == {
        ("mn-car-t", "triage"): 3,
        ("mn-gene-therapy", "triage"): 2,
        ("mn-general", "triage"): 1,
    }
    assert Policy.objects.get(pk=policy.pk).archived is None


def test_it_previews_a_product_that_no_longer_needs_prior_authorization(admin_client, prepared):
    provenge = Product.objects.get(hcpcs="Q2043")
    # An unticked box is absent from a post.
    url = _change_url(provenge)
    posted = {k: v for k, v in form_data(admin_client.get(url)).items() if k != "requires_prior_auth"}
    impact = admin_client.post(url, {**posted, "_preview_impact": "Preview impact"}).context["impact"]

    assert moves(impact.open) == {("mn-general", NO_AUTH): 1}
    assert numbers(impact.open.outcome_changed) == {prepared["provenge"][0].number}
    assert Product.objects.get(pk=provenge.pk).requires_prior_auth
