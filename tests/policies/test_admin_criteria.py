"""A policy administrator edits a policy's criteria in the admin: an inline, versioned like the policy."""

from __future__ import annotations

import pytest

from priorauth.members.models import Role
from priorauth.policies.models import Criterion, Policy
from tests.conftest import make_user
from tests.policies.test_admin import _url, admin_client, form_data, seeded  # noqa: F401 (fixtures)


@pytest.fixture
def policy(seeded) -> Policy:
    return Policy.objects.get(number="MP-AD-1623")


def test_it_shows_the_criteria_inline_in_order(admin_client, policy):
    response = admin_client.get(_url(Policy, "change", policy.pk))
    page = response.content.decode()
    assert "Criteria: the reviewer&#x27;s checklist" in page
    formset = next(
        i.formset for i in response.context["inline_admin_formsets"] if i.formset.model is Criterion
    )
    assert [form.instance.text for form in formset.forms][3] == "The lowest cost alternative"


def test_it_saves_an_added_and_a_changed_criterion_with_the_editor_in_their_history(
    admin_client, policy_admin, policy
):
    data = form_data(admin_client.get(_url(Policy, "change", policy.pk)))
    first = Criterion.objects.filter(policy=policy).order_by("position").first()
    index = next(k.split("-")[1] for k, v in data.items() if k.endswith("-id") and v == str(first.pk))
    data[f"criteria-{index}-evidence"] = "The pathology report that confirms the diagnosis."
    data |= {
        "criteria-TOTAL_FORMS": "6",
        "criteria-5-position": "5",
        "criteria-5-section": "D.I",
        "criteria-5-text": "A covered benefit under the member's Evidence of Coverage",
        "criteria-5-evidence": "The plan's Schedule of Benefits entry for this therapy.",
        "criteria-5-policy": str(policy.pk),
    }

    response = admin_client.post(_url(Policy, "change", policy.pk), data)

    assert response.status_code == 302, [
        f.errors for i in response.context["inline_admin_formsets"] for f in i.formset
    ]
    criteria = list(policy.criteria.order_by("position"))
    assert len(criteria) == 6 and criteria[5].section == "D.I"
    assert criteria[0].evidence == "The pathology report that confirms the diagnosis."
    assert criteria[0].history.latest().history_user == policy_admin
    assert criteria[5].history.latest().history_type == "+"


def test_it_keeps_criteria_from_the_enrollment_administrator(client, policy):
    client.force_login(make_user("erin", Role.ENROLLMENT_ADMIN))
    assert client.get(_url(Policy, "change", policy.pk)).status_code == 403
