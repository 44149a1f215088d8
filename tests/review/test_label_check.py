"""The label check on the review screen: a hint for the reviewer, in words, never a decision."""

from __future__ import annotations

import pytest
from django.urls import reverse

from priorauth.policies.models import Product
from priorauth.requests.models import Status
from tests.review.world import assign, seed, submitted  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("seed")


def review_page(client, reviewer, pa) -> str:
    assign(reviewer, pa)
    client.force_login(reviewer)
    response = client.get(reverse("review:request", args=[pa.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_nurse_an_on_label_request_with_what_to_check(client, nurse, provider_staff):
    pa = submitted(provider_staff, "OH", prior_lines_of_therapy=3)
    page = review_page(client, nurse, pa)
    assert 'data-verdict="on_label"' in page
    assert (
        "On label: relapsed or refractory large B-cell lymphoma after two or more lines; C83.30 matches; "
        "3 prior lines; age 65 years." in page
    )
    assert "not primary central nervous system lymphoma" in page  # the label asks; the form does not record
    assert "check them in the documents" in page
    assert "A hint for the reviewer, never a decision" in page
    assert "pending clinical sign-off" in page


def test_it_shows_the_physician_a_miss_without_deciding_anything(client, physician, provider_staff):
    pa = submitted(provider_staff, "GA", diagnoses=["C50.911"])
    page = review_page(client, physician, pa)
    assert 'data-verdict="off_label"' in page
    assert "Not on label" in page
    assert "No labeled indication matches C50.911." in page
    pa.refresh_from_db()
    assert pa.status == Status.IN_REVIEW and pa.claimed_by is None


def test_it_says_which_condition_fails(client, nurse, provider_staff):
    pa = submitted(
        provider_staff,
        "IN",
        diagnoses=["C90.02"],
        product=Product.objects.get(hcpcs="Q2055"),
        prior_lines_of_therapy=1,
    )
    page = review_page(client, nurse, pa)
    assert "C90.02 matches, but the label asks for 2 or more prior lines; 1 given." in page
