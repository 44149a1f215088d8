"""Approved units are a whole number up to 20,000: a typo gets a message next to the field, not an error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from priorauth.requests.models import Status
from priorauth.review.forms import MAX_APPROVED_UNITS
from priorauth.review.models import Determination
from tests.conftest import PASSWORD
from tests.review.world import claimed, seed, submitted  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("seed")
TOO_MANY = f"At most {MAX_APPROVED_UNITS:,} units can be approved: please check the number."
APPROVAL = {
    "approved_service": "Yescarta (Q2041)",
    "approved_start": "2027-01-15",
    "approved_end": "2027-02-14",
}
MODIFICATION = {
    "outcome": "modified",
    "reason": "One infusion is approved; the second is not medically necessary.",
    "criteria_policy": "MP-AD-1623",
    "criteria_section": "D.I",
    "denial_code": "MN01",
    "peer_to_peer_offered": "on",
    "peer_to_peer_instructions": "Call 1-800-555-0100.",
    **APPROVAL,
}


@pytest.fixture
def pa(client, physician, provider_staff):
    pa = submitted(provider_staff, "OH")
    claimed(physician, pa)
    assert client.login(username=physician.username, password=PASSWORD)
    return pa


def post(client, pa, action: str, fields: dict[str, str]):
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return client.post(reverse("review:act", args=[pa.pk, action]), data)


@pytest.mark.parametrize(
    ("action", "fields"), [("approve", APPROVAL), ("adverse", MODIFICATION)], ids=["approve", "modify"]
)
@pytest.mark.parametrize(
    ("units", "message"),
    [
        # Past PostgreSQL's integer column: it was a database error there.
        ("99999999999", TOO_MANY),
        (str(MAX_APPROVED_UNITS + 1), TOO_MANY),
        ("0", "Please approve at least 1 unit."),
        ("two", "Please give the units as a whole number."),
    ],
)
def test_it_refuses_absurd_approved_units_in_words(client, pa, action, fields, units, message):
    response = post(client, pa, action, {**fields, "approved_units": units})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Determination.objects.exists()
    pa.refresh_from_db()
    assert pa.status == Status.IN_REVIEW


def test_it_approves_the_largest_number_of_units(client, pa):
    response = post(client, pa, "approve", {**APPROVAL, "approved_units": str(MAX_APPROVED_UNITS)})

    assert response.status_code == 302
    assert Determination.objects.get(request=pa).approved_units == MAX_APPROVED_UNITS
