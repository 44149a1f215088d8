"""The label check, pure: the seed bundle's indications against request facts, no database.

Each case is a request a reviewer might see; the words are what the request page and the review
screen show, so they are asserted whole where the issue gives them.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from priorauth.policies.indications import Indication, code_in, read_indications
from priorauth.policies.label import (
    NOT_MAPPED,
    OFF_LABEL,
    ON_LABEL,
    UNCLEAR,
    LabelFacts,
    age_in_months,
    label_check,
)

SEED = Path(__file__).resolve().parents[2] / "policies" / "mp-ad-1623.bundle.json"
PRODUCTS = {p["hcpcs"]: p for p in json.loads(SEED.read_text())["products"]}
CAR_T = sorted(hcpcs for hcpcs, p in PRODUCTS.items() if p["category"] == "car_t")


def indications(hcpcs: str) -> tuple[Indication, ...]:
    found, problems = read_indications(PRODUCTS[hcpcs]["indications"])
    assert not problems
    return found


def check(
    hcpcs: str, *codes: str, years: int | None = 50, months: int | None = None, lines: int | None = None
):
    age = months if months is not None else (years * 12 if years is not None else None)
    return label_check(indications(hcpcs), LabelFacts(diagnoses=codes, age_months=age, prior_lines=lines))


def test_it_knows_every_car_t_product_of_the_seed_catalog():
    # The cases below cover each of these; a new CAR-T product in the seed needs its own.
    assert CAR_T == ["Q2041", "Q2042", "Q2053", "Q2054", "Q2055", "Q2056", "Q2058"]


def test_it_says_on_label_in_the_issues_words():
    result = check("Q2042", "C83.30", lines=3)
    assert result.verdict == ON_LABEL
    assert result.words.startswith(
        "on label: relapsed or refractory large B-cell lymphoma after two or more lines; C83.30 matches; "
        "3 prior lines"
    )


def test_it_says_which_condition_fails_in_the_issues_words():
    result = check("Q2042", "C83.30", lines=1)
    assert result.verdict == OFF_LABEL
    assert result.words == "C83.30 matches, but the label asks for 2 or more prior lines; 1 given"


def test_it_says_no_labeled_indication_matches_a_breast_cancer_code():
    result = check("Q2042", "C50.9", lines=3)
    assert (result.verdict, result.words) == (OFF_LABEL, "no labeled indication matches C50.9")


CAR_T_CASES = [
    # Kymriah: ALL up to 25 years, LBCL and FL after two lines.
    ("Q2042", ("C91.02",), 19, 1, ON_LABEL, "B-cell precursor acute lymphoblastic leukemia"),
    ("Q2042", ("C91.02",), 26, 1, OFF_LABEL, "the label asks for age under 26 years; 26 years given"),
    ("Q2042", ("C82.90",), 50, 2, ON_LABEL, "follicular lymphoma after two or more lines; C82.90 matches"),
    ("Q2042", ("C90.00",), 50, 4, OFF_LABEL, "no labeled indication matches C90.00"),
    # Yescarta: second line LBCL, or third line; PMBCL too.
    ("Q2041", ("C83.30",), 60, 1, ON_LABEL, "refractory to first-line chemoimmunotherapy"),
    ("Q2041", ("C85.20",), 60, 3, ON_LABEL, "after two or more lines; C85.20 matches; 3 prior lines"),
    ("Q2041", ("C83.30",), 60, 0, OFF_LABEL, "the label asks for 1 or more prior lines; 0 given"),
    ("Q2041", ("C83.30",), 16, 3, OFF_LABEL, "the label asks for age 18 years or older; 16 years given"),
    # Tecartus: mantle cell lymphoma, adult ALL.
    ("Q2053", ("C83.10",), 70, 2, ON_LABEL, "mantle cell lymphoma; C83.10 matches"),
    ("Q2053", ("C91.00",), 15, 1, OFF_LABEL, "the label asks for age 18 years or older; 15 years given"),
    ("Q2053", ("C83.30",), 70, 2, OFF_LABEL, "no labeled indication matches C83.30"),
    # Breyanzi: LBCL, CLL/SLL, FL, MCL, MZL.
    ("Q2054", ("C91.10",), 66, 2, ON_LABEL, "chronic lymphocytic leukemia or small lymphocytic lymphoma"),
    ("Q2054", ("C91.10",), 66, 1, OFF_LABEL, "C91.10 matches, but the label asks for 2 or more prior lines"),
    ("Q2054", ("C88.4",), 66, 2, ON_LABEL, "marginal zone lymphoma; C88.4 matches"),
    ("Q2054", ("C92.00",), 66, 2, OFF_LABEL, "no labeled indication matches C92.00"),
    # Abecma: myeloma after two lines.
    (
        "Q2055",
        ("C90.02",),
        64,
        4,
        ON_LABEL,
        "multiple myeloma after two or more lines; C90.02 matches; 4 prior lines",
    ),
    ("Q2055", ("C90.02",), 64, 1, OFF_LABEL, "the label asks for 2 or more prior lines; 1 given"),
    # Carvykti: myeloma after one line.
    (
        "Q2056",
        ("C90.00",),
        64,
        1,
        ON_LABEL,
        "multiple myeloma after one or more lines; C90.00 matches; 1 prior line",
    ),
    ("Q2056", ("C83.30",), 64, 1, OFF_LABEL, "no labeled indication matches C83.30"),
    # Aucatzyl: adult ALL only.
    ("Q2058", ("C91.02",), 30, 2, ON_LABEL, "acute lymphoblastic leukemia in adults; C91.02 matches"),
    ("Q2058", ("C91.02",), 12, 2, OFF_LABEL, "the label asks for age 18 years or older; 12 years given"),
    ("Q2058", ("C83.30",), 30, 2, OFF_LABEL, "no labeled indication matches C83.30"),
]


@pytest.mark.parametrize(("hcpcs", "codes", "years", "lines", "verdict", "words"), CAR_T_CASES)
def test_it_checks_car_t_requests_against_their_labels(hcpcs, codes, years, lines, verdict, words):
    result = check(hcpcs, *codes, years=years, lines=lines)
    assert result.verdict == verdict
    assert words in result.words


def test_every_car_t_product_has_a_match_and_a_miss_above():
    cases = {(hcpcs, verdict) for hcpcs, _, _, _, verdict, _ in CAR_T_CASES}
    assert {(hcpcs, v) for hcpcs in CAR_T for v in (ON_LABEL, OFF_LABEL)} <= cases


@pytest.mark.parametrize(
    ("hcpcs", "codes", "months", "verdict", "words"),
    [
        # Zolgensma: under two years; Itvisma: two years and older. Same codes, ages apart.
        ("J3399", ("G12.0",), 8, ON_LABEL, "G12.0 matches; age 8 months"),
        ("J3399", ("G12.0",), 23, ON_LABEL, "age 23 months"),
        (
            "J3399",
            ("G12.1",),
            24,
            OFF_LABEL,
            "G12.1 matches, but the label asks for age under 2 years; 2 years given",
        ),
        ("NOC-itvisma", ("G12.1",), 24, ON_LABEL, "G12.1 matches; age 2 years"),
        (
            "NOC-itvisma",
            ("G12.1",),
            20,
            OFF_LABEL,
            "the label asks for age 2 years or older; 20 months given",
        ),
        # Hemgenix and Roctavian: the diagnosis decides, hemophilia B against hemophilia A.
        (
            "J1411",
            ("D67",),
            40 * 12,
            ON_LABEL,
            "on label: hemophilia B (congenital factor IX deficiency) in adults; D67 matches",
        ),
        ("J1411", ("D66",), 40 * 12, OFF_LABEL, "no labeled indication matches D66"),
        (
            "J1412",
            ("D66",),
            40 * 12,
            ON_LABEL,
            "severe hemophilia A in adults without AAV5 antibodies; D66 matches",
        ),
        ("J1412", ("D67",), 40 * 12, OFF_LABEL, "no labeled indication matches D67"),
        ("J1412", ("D66",), 16 * 12, OFF_LABEL, "D66 matches, but the label asks for age 18 years or older"),
        # Casgevy: two indications, sickle cell disease and thalassemia, from 12 years.
        ("J3392", ("D57.1",), 12 * 12, ON_LABEL, "sickle cell disease"),
        ("J3392", ("D56.1",), 30 * 12, ON_LABEL, "transfusion-dependent beta-thalassemia"),
        ("J3392", ("D57.3",), 30 * 12, OFF_LABEL, "no labeled indication matches D57.3"),  # the trait
    ],
)
def test_it_checks_gene_therapy_requests_by_age_and_diagnosis(hcpcs, codes, months, verdict, words):
    result = label_check(indications(hcpcs), LabelFacts(diagnoses=codes, age_months=months))
    assert result.verdict == verdict
    assert words in result.words


def test_it_finds_the_matching_code_among_several_diagnoses():
    result = check("Q2055", "I10", "C90.02", lines=3)
    assert result.verdict == ON_LABEL and "C90.02 matches" in result.words


def test_it_cannot_tell_without_the_facts_the_label_asks():
    no_lines = check("Q2055", "C90.02", lines=None)
    assert no_lines.verdict == UNCLEAR
    assert no_lines.words == (
        "C90.02 matches, but the number of prior lines of therapy is not given; "
        "the label asks for 2 or more prior lines"
    )
    no_age = check("J3399", "G12.0", years=None)
    assert no_age.verdict == UNCLEAR and "age on the date of service is not known" in no_age.words
    assert label_check(indications("J3399"), LabelFacts(diagnoses=())).verdict == UNCLEAR


def test_it_says_so_when_a_product_has_no_indications_on_record():
    result = label_check((), LabelFacts(diagnoses=("C83.30",), age_months=600, prior_lines=3))
    assert result.verdict == NOT_MAPPED and result.indication is None


def test_it_lists_what_the_label_asks_that_the_form_does_not_record_and_the_sign_off():
    result = check("Q2057", "C49.9", lines=1)
    assert result.verdict == ON_LABEL
    assert any("MAGE-A4" in fact for fact in result.to_verify)
    assert result.pending_signoff


def test_every_seed_product_is_mapped_and_pending_clinical_sign_off():
    for hcpcs in PRODUCTS:
        found = indications(hcpcs)
        assert found, hcpcs
        assert all(i.signoff.status == "pending" for i in found), hcpcs


@pytest.mark.parametrize(
    ("code", "pattern", "inside"),
    [
        ("C83.30", "C83.3", True),
        ("C83.39", "C83.3", True),
        ("C83.10", "C83.3", False),
        ("C83.3", "C83.3", True),
        ("c8330", "C83.3", True),
        ("C90.00", "C81-C96", True),
        ("C96.9", "C81-C96", True),
        ("C80.1", "C81-C96", False),
        ("D57.20", "D57.0-D57.2", True),
        ("D57.3", "D57.0-D57.2", False),
    ],
)
def test_it_matches_codes_families_and_ranges(code, pattern, inside):
    assert code_in(code, pattern) is inside


@pytest.mark.parametrize(
    ("born", "on", "months"),
    [
        (datetime.date(2025, 3, 15), datetime.date(2027, 3, 14), 23),
        (datetime.date(2025, 3, 15), datetime.date(2027, 3, 15), 24),
        (datetime.date(2024, 1, 31), datetime.date(2024, 2, 29), 1),  # a birthday past the month's end
        (datetime.date(2024, 1, 31), datetime.date(2024, 2, 28), 0),
        (datetime.date(2000, 6, 1), datetime.date(2000, 6, 1), 0),
    ],
)
def test_it_counts_age_in_whole_months(born, on, months):
    assert age_in_months(born, on) == months
