"""The label check at intake: on the draft form once saved with a product and a diagnosis, and after."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse

from priorauth.policies.models import Product
from priorauth.requests import services
from priorauth.requests.models import Status
from tests.requests.conftest import car_t_details, form_data, start_draft

SEED = Path(__file__).resolve().parents[2] / "policies" / "mp-ad-1623.bundle.json"


def seed_indications(hcpcs: str) -> list[dict]:
    return next(p for p in json.loads(SEED.read_text())["products"] if p["hcpcs"] == hcpcs)["indications"]


@pytest.fixture
def labeled(records) -> None:
    for product in Product.objects.filter(hcpcs__in=["Q2041", "J3399"]):
        product.indications = seed_indications(product.hcpcs)
        product.save()


def labeled_records() -> dict:
    """Return the products car_t_details needs, with their indications as stored."""
    return {"products": {"yescarta": Product.objects.get(hcpcs="Q2041")}}


@pytest.fixture
def staff_client(client, provider_staff):
    client.force_login(provider_staff)
    return client


def test_it_shows_nothing_until_a_product_and_a_diagnosis_are_saved(
    staff_client, provider_staff, member, labeled
):
    pa = start_draft(provider_staff, member)
    page = staff_client.get(reverse("requests:edit", args=[pa.pk])).content.decode()
    assert 'id="label-check"' not in page


def test_it_shows_the_label_check_on_the_draft_once_saved(staff_client, provider_staff, member, labeled):
    pa = start_draft(provider_staff, member)
    saved = staff_client.post(
        reverse("requests:edit", args=[pa.pk]), form_data(action="save", prior_lines_of_therapy="3")
    )
    page = staff_client.get(saved.url).content.decode()
    assert 'data-verdict="on_label"' in page
    assert (
        "On label: relapsed or refractory large B-cell lymphoma after two or more lines; C83.30 matches; "
        "3 prior lines" in page
    )
    assert "pending clinical sign-off" in page
    assert "It reads the draft as last saved." in page


def test_it_says_which_condition_misses_on_the_draft(staff_client, provider_staff, member, labeled):
    pa = start_draft(provider_staff, member)
    services.request_save_draft(
        user=provider_staff,
        request_id=pa.pk,
        details=car_t_details(labeled_records(), prior_lines_of_therapy=0),
    )
    page = staff_client.get(reverse("requests:edit", args=[pa.pk])).content.decode()
    assert 'data-verdict="off_label"' in page
    assert "Not on label" in page  # the verdict in words, not only the card's colour
    assert "C83.30 matches, but the label asks for 1 or more prior lines; 0 given." in page


def test_an_off_label_request_is_submitted_and_routed_like_any_other(
    staff_client, provider_staff, member, labeled
):
    on = start_draft(provider_staff, member)
    off = start_draft(provider_staff, member)
    for pa, codes in ((on, ["C83.30"]), (off, ["C50.911"])):
        services.request_save_draft(
            user=provider_staff, request_id=pa.pk, details=car_t_details(labeled_records(), diagnoses=codes)
        )
        services.request_submit(user=provider_staff, request_id=pa.pk, attested=True)
    on.refresh_from_db()
    off.refresh_from_db()

    # A hint, never a decision: the same status, queue and routing either way.
    assert off.status == on.status == Status.IN_REVIEW
    assert (off.queue_id, off.routing_key, off.needs_physician) == (
        on.queue_id,
        on.routing_key,
        on.needs_physician,
    )
    page = staff_client.get(reverse("requests:detail", args=[off.pk])).content.decode()
    assert "No labeled indication matches C50.911." in page
    assert "it is not a decision" in page
    assert "It reads the draft as last saved." not in page


def test_it_judges_age_on_the_date_of_service_for_a_gene_therapy(
    staff_client, provider_staff, member, labeled
):
    pa = start_draft(provider_staff, member)
    zolgensma = Product.objects.get(hcpcs="J3399")
    services.request_save_draft(
        user=provider_staff,
        request_id=pa.pk,
        details=car_t_details(
            labeled_records(), product=zolgensma, category="gene_therapy", diagnoses=["G12.0"]
        ),
    )
    page = staff_client.get(reverse("requests:edit", args=[pa.pk])).content.decode()
    # The member was born in 1961: far past the label's two years.
    assert "G12.0 matches, but the label asks for age under 2 years; 65 years given." in page
