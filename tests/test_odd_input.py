"""Long, odd and malformed input at the intake, review and lookup forms: never a 500, never a half-write.

Hypothesis posts unicode, control characters and NULs, strings past every limit, impossible
dates, several values for one field and fields left out. Each example runs in a transaction
rolled back afterwards, so every example starts from the same draft or claimed request; when
the answer is not a redirect (the form came back with its message) the rows it would write
are counted before and after and must not have changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from priorauth.requests.models import InformationRequest, PriorAuthRequest, RequestEvent
from priorauth.review.models import Determination, InternalNote
from tests.requests.conftest import (  # noqa: F401 (fixtures)
    fast_passwords,
    form_data,
    media_root,
    member,
    records,
    start_draft,
)
from tests.review.world import claimed, seed, submitted  # noqa: F401 (fixtures)

BOUNDED = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD_VALUES = st.sampled_from(
    [
        "",
        " ",
        "0000-00-00",
        "2026-02-30",
        "9999-12-31",
        "0001-01-01",
        "99999-01-01",
        "12/31/99999",
        "-1",
        "1e309",
        "NaN",
        "null",
        "[]",
        "{'a': 1}",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "\u202eevil",
        "\ufeff",
        "😀" * 50,
        "yes",
        "no",
        "expedited",
        "submit",
    ]
)
CONTROL = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), min_size=1, max_size=10)
HUGE = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["x", "é", "😀", "\x00", " ", "C83.30,", "\r\n"]),
    st.integers(min_value=1, max_value=12_000),
)
ODD_TEXT = st.one_of(st.text(max_size=60), CONTROL, HUGE, ODD_VALUES)
# A field is left out, given one odd value, or given several (a form posts a list for it).
FIELD = st.one_of(st.none(), ODD_TEXT, st.lists(ODD_TEXT, min_size=2, max_size=3))


def posted(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not None}


def odd_form(names: list[str], base: dict[str, Any] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Return the base form with some of `names` left out or given odd values."""
    return st.fixed_dictionaries({}, optional={name: FIELD for name in names}).map(
        lambda changes: posted({**(base or {}), **changes})
    )


@contextlib.contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def counts(*models: Any) -> list[int]:
    return [model.objects.count() for model in models]


INTAKE_FIELDS = [*form_data(), "action", "attestation", "confirm_eligibility_review"]


@pytest.mark.django_db
def test_the_intake_form_answers_odd_input_without_a_500_or_a_half_write(
    client, provider_staff, member, records
):
    draft = start_draft(provider_staff, member)
    client.force_login(provider_staff)
    url = reverse("requests:edit", args=[draft.pk])

    @BOUNDED
    @given(data=odd_form(INTAKE_FIELDS, form_data(action="save")))
    def post(data: dict[str, Any]) -> None:
        with rolled_back():
            before = PriorAuthRequest.objects.filter(pk=draft.pk).values().get()
            rows = counts(PriorAuthRequest, RequestEvent)
            response = client.post(url, data)
            assert response.status_code in (200, 302), response.status_code
            if response.status_code == 200:
                assert PriorAuthRequest.objects.filter(pk=draft.pk).values().get() == before
                assert counts(PriorAuthRequest, RequestEvent) == rows

    post()


LOOKUP_FIELDS = ["member_id", "date_of_birth", "date_of_service"]


@pytest.mark.django_db
def test_the_member_lookup_answers_odd_input_without_a_500(client, provider_staff, member):
    client.force_login(provider_staff)
    url = reverse("members:lookup")
    base = {"member_id": member.member_id, "date_of_birth": "1961-04-21"}

    @BOUNDED
    @given(data=odd_form(LOOKUP_FIELDS, base))
    def post(data: dict[str, Any]) -> None:
        with rolled_back():
            rows = counts(PriorAuthRequest, RequestEvent)
            response = client.post(url, data)
            assert response.status_code < 500
            assert counts(PriorAuthRequest, RequestEvent) == rows

    post()


PEND_FIELDS = ["pend-needed", "pend-respond_by"]
ADVERSE_FIELDS = [
    "adverse-outcome",
    "adverse-reason",
    "adverse-criteria_policy",
    "adverse-criteria_section",
    "adverse-denial_code",
    "adverse-approved_service",
    "adverse-approved_units",
    "adverse-approved_start",
    "adverse-approved_end",
    "adverse-peer_to_peer_offered",
    "adverse-peer_to_peer_instructions",
    "adverse-alternatives",
]
ADVERSE_BASE = {
    "adverse-outcome": "denied",
    "adverse-reason": "ECOG 3; the criteria require 0 or 1.",
    "adverse-criteria_policy": "MP-MM-1234",
    "adverse-criteria_section": "A.2.c",
    "adverse-denial_code": "MN01",
    "adverse-peer_to_peer_offered": "on",
    "adverse-peer_to_peer_instructions": "Call 1-800-555-0100.",
}
REVIEW_ROWS = (InformationRequest, Determination, InternalNote, RequestEvent)


def review_answers_without_a_half_write(client, pa: PriorAuthRequest, url: str, data: dict[str, Any]) -> None:
    with rolled_back():
        status = PriorAuthRequest.objects.values_list("status", flat=True).get(pk=pa.pk)
        rows = counts(*REVIEW_ROWS)
        response = client.post(url, data)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert PriorAuthRequest.objects.values_list("status", flat=True).get(pk=pa.pk) == status
            assert counts(*REVIEW_ROWS) == rows


@pytest.mark.django_db
def test_the_pend_form_answers_odd_input_without_a_500_or_a_half_write(
    client, seed, provider_staff, physician
):
    pa = claimed(physician, submitted(provider_staff, "OH"))
    client.force_login(physician)
    url = reverse("review:act", args=[pa.pk, "pend"])

    @BOUNDED
    @given(data=odd_form(PEND_FIELDS, {"pend-needed": "PET-CT.", "pend-respond_by": "2026-01-01T10:00"}))
    def post(data: dict[str, Any]) -> None:
        review_answers_without_a_half_write(client, pa, url, data)

    post()


@pytest.mark.django_db
def test_the_determination_form_answers_odd_input_without_a_500_or_a_half_write(
    client, seed, provider_staff, physician
):
    pa = claimed(physician, submitted(provider_staff, "IN"))
    client.force_login(physician)
    url = reverse("review:act", args=[pa.pk, "adverse"])

    @BOUNDED
    @given(data=odd_form(ADVERSE_FIELDS, ADVERSE_BASE))
    def post(data: dict[str, Any]) -> None:
        review_answers_without_a_half_write(client, pa, url, data)

    post()
