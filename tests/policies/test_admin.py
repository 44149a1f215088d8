"""A policy administrator edits policy records in the admin, and sees no health information."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from priorauth.members.models import Plan, User
from priorauth.policies.models import Holiday, Policy, Product, ReviewQueue, RoutingEntry, TimeframeRule
from priorauth.policies.services import bundle_import

SEED = Path(__file__).resolve().parents[2] / "policies" / "mp-ad-1623.bundle.json"
POLICY_RECORDS = [Policy, Product, ReviewQueue, RoutingEntry, TimeframeRule, Holiday, Plan]


@pytest.fixture
def seeded(db) -> None:
    bundle_import(data=json.loads(SEED.read_text()))


@pytest.fixture
def admin_client(client: Client, policy_admin: User, seeded) -> Client:
    client.force_login(policy_admin)
    return client


def _url(model: type, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def routing_list_moving(entry: RoutingEntry, queue: ReviewQueue) -> dict[str, str]:
    """Return the routing changelist's list-edit form with only this entry moved to the queue."""
    entries = list(RoutingEntry.objects.order_by("key", "category"))
    data = {"form-TOTAL_FORMS": str(len(entries)), "form-INITIAL_FORMS": str(len(entries)), "_save": "Save"}
    for i, row in enumerate(entries):
        data[f"form-{i}-id"] = str(row.pk)
        data[f"form-{i}-queue"] = str(queue.pk if row == entry else row.queue_id)
    return data


def form_data(response: HttpResponse) -> dict[str, Any]:
    """Return the POST data an unchanged submit of a rendered admin change form would send."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value if isinstance(value, list) else str(value)
    return data


def _policy() -> Policy:
    return Policy.objects.get(number="MP-AD-1623")


def test_it_opens_every_policy_record_page(admin_client):
    for model in POLICY_RECORDS:
        record = model.objects.first()
        for url in (
            _url(model, "changelist"),
            _url(model, "add"),
            _url(model, "change", record.pk),
            _url(model, "history", record.pk),
        ):
            assert admin_client.get(url).status_code == 200, url


def test_it_shows_the_sections_in_the_statements_order(admin_client):
    page = admin_client.get(_url(Policy, "change", _policy().pk)).content.decode()
    headings = [
        "A. Subject",
        "B. Background",
        "C. Definitions",
        "D. Policy",
        "E. State-specific",
        "F. Conditions",
        "G. Related",
        "H. Review/revision history",
        "I. References",
    ]
    positions = [page.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_it_saves_an_edit_with_a_history_record_by_the_editor(admin_client, policy_admin):
    policy = _policy()
    data = form_data(admin_client.get(_url(Policy, "change", policy.pk)))
    data["conditions"] = "Prior authorization is required for every product in scope."
    data["related"] = "Medical Necessity Determinations\nMedical Benefit Medication\nTransplant Services"

    response = admin_client.post(_url(Policy, "change", policy.pk), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    policy.refresh_from_db()
    assert policy.conditions.startswith("Prior authorization is required")
    assert policy.related[-1] == "Transplant Services"
    assert policy.states == ["GA", "IN", "OH", "WV"]
    assert policy.revisions.count() == 2
    latest = policy.history.latest()
    assert latest.history_user == policy_admin
    assert latest.history_type == "~"
    assert latest.prev_record.conditions == "N/A"


def test_it_keeps_line_ends_as_the_browser_sends_them_unchanged(admin_client):
    policy = _policy()
    data = form_data(admin_client.get(_url(Policy, "change", policy.pk)))
    for section in ("background", "definitions", "references"):
        data[section] = data[section].replace("\n", "\r\n")

    admin_client.post(_url(Policy, "change", policy.pk), data)

    saved = _policy()
    assert (saved.background, saved.references) == (policy.background, policy.references)
    changes = saved.history.latest().diff_against(saved.history.earliest()).changed_fields
    assert changes == []


def test_it_saves_a_new_version_and_keeps_the_old(admin_client):
    policy = _policy()
    data = form_data(admin_client.get(_url(Policy, "change", policy.pk)))
    data.update({"effective": "2027-01-01", "_saveasnew": "Save as new"})

    response = admin_client.post(_url(Policy, "change", policy.pk), data)

    assert response.status_code == 302
    versions = Policy.objects.filter(number="MP-AD-1623").order_by("effective")
    assert [str(v.effective) for v in versions] == ["2026-05-01", "2027-01-01"]
    assert versions[1].revisions.count() == 2


def test_it_refuses_an_archived_date_before_the_effective_date(admin_client):
    policy = _policy()
    history = policy.history.count()
    data = form_data(admin_client.get(_url(Policy, "change", policy.pk)))
    data["archived"] = "2026-04-01"

    response = admin_client.post(_url(Policy, "change", policy.pk), data)

    assert response.status_code == 200
    assert "The archived date must be after the effective date." in response.content.decode()
    policy.refresh_from_db()
    assert policy.archived is None
    assert policy.history.count() == history


def test_it_refuses_an_unknown_state_on_a_policy(admin_client):
    policy = _policy()
    data = form_data(admin_client.get(_url(Policy, "change", policy.pk)))
    data["states"] = ["GA", "ZZ"]

    response = admin_client.post(_url(Policy, "change", policy.pk), data)

    assert "Unknown state “ZZ”" in response.content.decode()
    policy.refresh_from_db()
    assert policy.states == ["GA", "IN", "OH", "WV"]


def test_it_refuses_an_unknown_state_in_a_timeframe_rule(admin_client):
    count = TimeframeRule.objects.count()
    data = {
        "urgency": "standard",
        "state": "ZZ",
        "amount": "5",
        "unit": "calendar_days",
        "clock": "receipt",
        "missed": "breach",
    }

    response = admin_client.post(_url(TimeframeRule, "add"), data)

    assert response.status_code == 200
    assert "Unknown state “ZZ”" in response.content.decode()
    assert TimeframeRule.objects.count() == count


def test_it_adds_a_state_timeframe_rule(admin_client, policy_admin):
    data = {
        "urgency": "standard",
        "state": "KY",
        "amount": "7",
        "unit": "calendar_days",
        "clock": "receipt",
        "missed": "breach",
        "source": "example",
    }

    assert admin_client.post(_url(TimeframeRule, "add"), data).status_code == 302
    rule = TimeframeRule.objects.get(state="KY")
    assert rule.history.get().history_user == policy_admin


def test_it_refuses_a_duplicate_routing_entry(admin_client):
    count = RoutingEntry.objects.count()
    queue = ReviewQueue.objects.get(code="mn-general")
    data = {"key": "medical-necessity", "category": "car_t", "queue": str(queue.pk)}

    response = admin_client.post(_url(RoutingEntry, "add"), data)

    assert response.status_code == 200
    assert "already has an entry for this routing key and category" in response.content.decode()
    assert RoutingEntry.objects.count() == count


def test_it_changes_a_routing_target_from_the_list(admin_client):
    entry = RoutingEntry.objects.get(key="medical-necessity", category="car_t")
    general = ReviewQueue.objects.get(code="mn-general")
    data = routing_list_moving(entry, general)

    response = admin_client.post(_url(RoutingEntry, "changelist"), data)

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.queue == general


def test_it_finds_a_product_by_brand(admin_client):
    page = admin_client.get(_url(Product, "changelist"), {"q": "Kymriah"}).content.decode()
    assert "tisagenlecleucel" in page
    assert "axicabtagene" not in page


def test_it_filters_policies_by_state(admin_client):
    in_ohio = admin_client.get(_url(Policy, "changelist"), {"state": "OH"}).context["cl"].result_count
    in_kentucky = admin_client.get(_url(Policy, "changelist"), {"state": "KY"}).context["cl"].result_count
    assert (in_ohio, in_kentucky) == (1, 0)


def test_it_forbids_the_policy_admin_member_records(admin_client):
    from priorauth.members.models import Member

    assert admin_client.get(_url(Member, "changelist")).status_code == 403
    assert admin_client.get(_url(Member, "add")).status_code == 403


def test_it_keeps_provider_staff_out_of_the_admin(client, provider_staff):
    client.force_login(provider_staff)
    response = client.get(_url(Policy, "changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
