"""The product's CMS-0057-F drug setting: read from its code unless set, carried by the bundle."""

from __future__ import annotations

import copy

import pytest

from priorauth.policies.bundle import parse_bundle
from priorauth.policies.models import Product, counts_as_drug_by_code
from priorauth.policies.services import bundle_export, bundle_import


@pytest.mark.parametrize(
    ("hcpcs", "drug"),
    [("Q2041", True), ("J3392", True), ("j1411", True), ("NOC-amtagvi", False), ("38240", False)],
)
def test_it_reads_j_and_q_codes_as_drugs(hcpcs, drug):
    assert counts_as_drug_by_code(hcpcs) is drug


@pytest.mark.parametrize(("setting", "excluded"), [(None, True), (False, False), (True, True)])
def test_it_lets_the_setting_overrule_the_code(setting, excluded):
    assert Product(hcpcs="Q2041", cms_counts_as_drug=setting).excluded_from_cms_metrics is excluded
    assert Product(hcpcs="NOC-x", cms_counts_as_drug=True).excluded_from_cms_metrics is True


def test_it_names_a_setting_that_is_not_true_or_false(example_bundle):
    bundle = copy.deepcopy(example_bundle)
    bundle["products"][0]["cms_counts_as_drug"] = "yes"
    problems = [str(p) for p in parse_bundle(bundle)[1]]
    assert problems == ['products[0].cms_counts_as_drug: not true or false: "yes"']


def test_it_imports_and_exports_the_setting(db, example_bundle):
    bundle = copy.deepcopy(example_bundle)
    bundle["products"][0]["cms_counts_as_drug"] = False
    bundle_import(data=bundle)
    code = bundle["products"][0]["hcpcs"]
    assert Product.objects.get(hcpcs=code).cms_counts_as_drug is False
    exported = {p["hcpcs"]: p for p in bundle_export()["products"]}
    assert exported[code]["cms_counts_as_drug"] is False
    # Absent: read from the code, exported as null, and importing the export changes nothing.
    assert exported[bundle["products"][1]["hcpcs"]]["cms_counts_as_drug"] is None
    again = bundle_import(data=bundle_export())
    assert not again.changed
