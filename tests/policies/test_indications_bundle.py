"""Product indications in the policy bundle, the model and the admin: checked, exported, round-tripped."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from priorauth.policies.bundle import parse_bundle
from priorauth.policies.models import Product
from priorauth.policies.services import BundleInvalid, bundle_export, bundle_import

SEED = Path(__file__).resolve().parents[2] / "policies" / "mp-ad-1623.bundle.json"

LBCL = {
    "condition": "relapsed or refractory large B-cell lymphoma after two or more lines",
    "icd10": ["C83.3"],
    "age_at_least": "18 years",
    "min_prior_lines": 2,
    "clinical_signoff": {"status": "pending"},
}


def seed() -> dict[str, Any]:
    return json.loads(SEED.read_text())


def with_indications(bundle: dict[str, Any], indications: Any, index: int = 0) -> dict[str, Any]:
    bundle = copy.deepcopy(bundle)
    bundle["products"][index]["indications"] = indications
    return bundle


def problems_of(indications: Any) -> list[str]:
    bundle = {"products": [{**seed()["products"][0], "indications": indications}]}
    return [str(problem) for problem in parse_bundle(bundle)[1]]


@pytest.mark.parametrize(
    ("indications", "problem"),
    [
        ("C83.3", "products[0].indications: not a list of indications"),
        (["C83.3"], "products[0].indications[0]: not an object with a condition and its ICD-10-CM codes"),
        ([{**LBCL, "condition": ""}], "products[0].indications[0].condition: missing"),
        ([{**LBCL, "icd10": []}], "products[0].indications[0].icd10: missing: give the condition's"),
        (
            [{**LBCL, "icd10": ["C83.3", "C8.3"]}],
            'products[0].indications[0].icd10[1]: "C8.3" is not an ICD-10-CM code or family of codes',
        ),
        ([{**LBCL, "icd10": ["C96-C81"]}], 'products[0].indications[0].icd10[0]: "C96-C81" is not a range'),
        ([{**LBCL, "icd10": ["C00-C14-C20"]}], '[0].icd10[0]: "C00-C14-C20" is not a code, a family'),
        ([{**LBCL, "icd10": ["2"]}], '[0].icd10[0]: "2" is not an ICD-10-CM code or family of codes'),
        ([{**LBCL, "age_at_least": "18"}], "products[0].indications[0].age_at_least: not an age: '18'"),
        (
            [{**LBCL, "age_under": "12 years"}],
            "products[0].indications[0].age_under: not above age_at_least (18 years): no age would fit",
        ),
        ([{**LBCL, "min_prior_lines": "2"}], "products[0].indications[0].min_prior_lines: not a number"),
        ([{**LBCL, "min_prior_lines": True}], "products[0].indications[0].min_prior_lines: not a number"),
        ([{**LBCL, "to_verify": "HLA"}], "products[0].indications[0].to_verify: not a list of texts"),
        ([{**LBCL, "lines": 2}], "products[0].indications[0].lines: unknown key"),
        (
            [{k: v for k, v in LBCL.items() if k != "clinical_signoff"}],
            "products[0].indications[0].clinical_signoff: missing: every mapping carries its sign-off",
        ),
        (
            [{**LBCL, "clinical_signoff": {"status": "approved"}}],
            "products[0].indications[0].clinical_signoff.status: unknown sign-off status 'approved'",
        ),
        (
            [{**LBCL, "clinical_signoff": {"status": "signed_off", "by": "Dr. Ruth Chen"}}],
            "products[0].indications[0].clinical_signoff.on: missing: a signed-off mapping says when",
        ),
        (
            [
                {
                    **LBCL,
                    "clinical_signoff": {"status": "signed_off", "by": "Dr. Ruth Chen", "on": "06/01/2026"},
                }
            ],
            "products[0].indications[0].clinical_signoff.on: not a date: '06/01/2026' (use YYYY-MM-DD)",
        ),
        ([{**LBCL, "condition": "a\x00b"}], "products[0].indications[0].condition: contains a NUL character"),
    ],
)
def test_it_names_each_problem_of_an_indication_by_its_path(indications, problem):
    problems = problems_of(indications)
    assert len(problems) == 1, problems
    assert problem in problems[0], problems


def test_it_accepts_a_signed_off_mapping_and_an_empty_list():
    signed = {**LBCL, "clinical_signoff": {"status": "signed_off", "by": "Dr. Ruth Chen", "on": "2026-06-01"}}
    assert problems_of([signed]) == []
    assert problems_of([]) == []


def test_a_bad_indication_refuses_the_whole_bundle_and_writes_nothing(db):
    bad = with_indications(seed(), [{**LBCL, "icd10": ["NOT-A-CODE"]}], index=3)
    with pytest.raises(BundleInvalid) as refused:
        bundle_import(data=bad)
    assert [p.path for p in refused.value.problems] == ["products[3].indications[0].icd10[0]"]
    assert Product.objects.count() == 0


def test_it_imports_exports_and_round_trips_the_seed_indications(db):
    bundle_import(data=seed())
    kymriah = Product.objects.get(hcpcs="Q2042")
    assert [i.condition for i in kymriah.labeled_indications][1] == (
        "relapsed or refractory large B-cell lymphoma after two or more lines"
    )
    exported = bundle_export()
    by_code = {p["hcpcs"]: p for p in exported["products"]}
    assert by_code["Q2042"]["indications"] == kymriah.indications
    assert by_code["Q2042"]["indications"][1]["clinical_signoff"]["status"] == "pending"
    history = Product.history.count()

    again = bundle_import(data=exported)

    assert again.counts["products"]["updated"] == 0 and not again.changed
    assert Product.history.count() == history
    assert bundle_export() == exported


def test_it_stores_one_form_so_a_differently_written_bundle_imports_once(db):
    bundle_import(data=seed())
    written = {**LBCL, "icd10": ["c83.3"], "age_at_least": "18 years", "to_verify": []}
    changed = with_indications(seed(), [written])
    first = bundle_import(data=changed)
    second = bundle_import(data=changed)
    assert first.counts["products"]["updated"] == 1
    assert second.counts["products"]["updated"] == 0
    stored = Product.objects.get(hcpcs=changed["products"][0]["hcpcs"]).indications
    assert stored[0]["icd10"] == ["C83.3"] and "to_verify" not in stored[0]


def test_a_bundle_without_the_key_leaves_stored_indications_alone(db):
    bundle_import(data=seed())
    older = seed()
    for product in older["products"]:
        del product["indications"]
    result = bundle_import(data=older)
    assert result.counts["products"]["updated"] == 0
    assert Product.objects.get(hcpcs="Q2042").labeled_indications
    emptied = bundle_import(data=with_indications(seed(), []))
    assert emptied.counts["products"]["updated"] == 1


def test_the_model_refuses_bad_indications_in_words(db):
    product = Product(hcpcs="Q9999", brand="Test", generic="test", category="car_t")
    product.indications = [{**LBCL, "icd10": ["C83.3-"]}]
    with pytest.raises(ValidationError) as refused:
        product.full_clean()
    assert "indications[0].icd10[0]" in str(refused.value)


@pytest.fixture
def admin_client(client, policy_admin):
    bundle_import(data=seed())
    client.force_login(policy_admin)
    return client


def test_a_policy_administrator_reads_the_mappings_with_their_sign_off(admin_client):
    kymriah = Product.objects.get(hcpcs="Q2042")
    page = admin_client.get(reverse("admin:policies_product_change", args=[kymriah.pk])).content.decode()
    assert "relapsed or refractory large B-cell lymphoma after two or more lines" in page
    assert "pending clinical sign-off" in page
    listing = admin_client.get(reverse("admin:policies_product_changelist")).content.decode()
    assert "3, 3 pending clinical sign-off" in listing


def _product_post(product: Product, indications: str) -> dict[str, Any]:
    return {
        "hcpcs": product.hcpcs,
        "brand": product.brand,
        "generic": product.generic,
        "manufacturer": product.manufacturer,
        "category": product.category,
        "genetically_modified": "on",
        "benefit": product.benefit,
        "requires_prior_auth": "on",
        "indication": product.indication,
        "indications": indications,
    }


def test_a_policy_administrator_signs_off_a_mapping_in_the_admin(admin_client):
    product = Product.objects.get(hcpcs="Q2055")
    signed = copy.deepcopy(product.indications)
    signed[0]["clinical_signoff"] = {
        "status": "signed_off",
        "by": "Dr. Ruth Chen",
        "on": "2026-06-01",
        "note": "",
    }
    url = reverse("admin:policies_product_change", args=[product.pk])

    response = admin_client.post(url, _product_post(product, json.dumps(signed)))

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.indications[0]["clinical_signoff"]["by"] == "Dr. Ruth Chen"
    assert not product.labeled_indications[0].signoff.pending


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ('[{"condition": "myeloma"', "The indications are not valid JSON"),
        ('[{"condition": "myeloma", "icd10": ["C90.0"]}]', "indications[0].clinical_signoff: missing"),
    ],
)
def test_the_admin_refuses_bad_indications_in_words_and_keeps_the_record(admin_client, typed, message):
    product = Product.objects.get(hcpcs="Q2055")
    before = product.indications
    url = reverse("admin:policies_product_change", args=[product.pk])

    response = admin_client.post(url, _product_post(product, typed))

    assert response.status_code == 200
    assert message in response.content.decode()
    product.refresh_from_db()
    assert product.indications == before
