"""Issue 2's promise end to end: a policy administrator logs in, edits the records in the admin,
and route_preview decides differently afterwards. Every change goes through the admin's forms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from priorauth.accounts.services import totp_code
from priorauth.members.models import User
from priorauth.policies.models import Policy, Product
from priorauth.policies.services import bundle_import
from tests.conftest import PASSWORD
from tests.policies.conftest import run_command
from tests.policies.test_admin import form_data

SEED = Path(__file__).resolve().parents[2] / "policies" / "mp-ad-1623.bundle.json"
YESCARTA_IN_OHIO: dict[str, Any] = {
    "id": "yescarta",
    "plan": "OH-MKT-SILVER-2026",
    "coverage_start": "2026-01-01",
    "coverage_end": "2026-12-31",
    "hcpcs": "Q2041",
    "diagnoses": ["C83.30"],
    "urgency": "standard",
    "date_of_service": "2026-06-01",
    "received_at": "2026-05-20T09:00:00-04:00",
}


@pytest.fixture
def logged_in(client: Client, policy_admin: User) -> Client:
    bundle_import(data=json.loads(SEED.read_text()))
    phone = TOTPDevice.objects.create(user=policy_admin, name="phone", confirmed=True)
    response = client.post(
        reverse("admin:login"),
        {"username": policy_admin.username, "password": PASSWORD, "next": reverse("admin:index")},
    )
    assert response.status_code == 302 and response.url == reverse("admin:index")
    # The admin, too, waits for the code of a policy administrator's authenticator.
    code_page = client.get(response.url).url
    assert code_page.startswith(reverse("accounts:code"))
    response = client.post(code_page, {"code": totp_code(phone)})
    assert response.status_code == 302 and response.url == reverse("admin:index")
    return client


def decide() -> dict[str, Any]:
    run = run_command("route_preview", stdin=json.dumps(YESCARTA_IN_OHIO) + "\n")
    assert run.code == 0, run.stderr
    [decision] = run.lines
    return decision


def admin_save(client: Client, model: type, changes: dict[str, Any], pk: int | None = None) -> None:
    """Open the admin's add or change page, change some fields as a person would, and save.

    A None value unticks a checkbox (an unticked box is absent from the POST).
    """
    view = f"admin:{model._meta.app_label}_{model._meta.model_name}_{'change' if pk else 'add'}"
    url = reverse(view, args=[pk] if pk else [])
    data = {**form_data(client.get(url)), **changes}
    data = {name: value for name, value in data.items() if value is not None}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_it_decides_differently_after_the_policy_admin_edits_the_records(logged_in, policy_admin):
    before = decide()
    assert (before["routing_key"], before["queue"], before["criteria_policy"]) == (
        "medical-necessity",
        "mn-car-t",
        None,
    )

    yescarta = Product.objects.get(hcpcs="Q2041")
    admin_save(
        logged_in,
        Policy,
        {
            "number": "EX-MP-0404",
            "title": "Axicabtagene ciloleucel (Yescarta)",
            "type": "medical",
            "effective": "2026-01-01",
            "lines_of_business": ["marketplace"],
            "states": ["OH"],
            "products": [str(yescarta.pk)],
        },
    )
    with_policy = decide()
    assert (with_policy["routing_key"], with_policy["queue"], with_policy["criteria_policy"]) == (
        "medical-policy",
        "mn-medical-policy",
        "EX-MP-0404",
    )

    admin_save(logged_in, Product, {"requires_prior_auth": None}, pk=yescarta.pk)
    no_auth = decide()
    assert (no_auth["outcome"], no_auth["queue"]) == ("no_auth_required", None)

    mp_ad_1623 = Policy.objects.get(number="MP-AD-1623")
    admin_save(logged_in, Policy, {"states": ["GA", "IN", "WV"]}, pk=mp_ad_1623.pk)
    outside = decide()
    assert (outside["routing_key"], outside["queue"]) == ("triage", "triage")

    edits = [
        Policy.history.get(number="EX-MP-0404", history_type="+"),
        yescarta.history.latest(),
        mp_ad_1623.history.latest(),
    ]
    assert {edit.history_user for edit in edits} == {policy_admin}
