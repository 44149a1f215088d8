"""The intake form: every error next to its field, in plain words; a draft saves what it can."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from priorauth.requests.forms import SAVE, SUBMIT, IntakeForm
from tests.requests.conftest import PDF, PNG, form_data, pdf


def bound(member, action=SUBMIT, files=None, **changes):
    form = IntakeForm(form_data(**changes), MultiValueDict(files or {}), member=member, action=action)
    form.is_valid()
    return form


def test_it_accepts_a_complete_car_t_request(member):
    form = bound(member)
    assert form.errors == {}
    assert form.details()["product"].hcpcs == "Q2041"
    assert form.details()["category"] == "car_t"
    assert form.details()["active_infection"] is False


def test_it_explains_a_bad_npi_next_to_its_field(member):
    form = bound(member, ordering_npi="1234567890")
    assert "check digit" in form.errors["ordering_npi"][0]


def test_it_refuses_an_unknown_icd10_code(member):
    form = bound(member, diagnoses="C83.30, Q99.99X")
    assert form.errors["diagnoses"] == ["Q99.99X is not an ICD-10-CM diagnosis code."]


@pytest.mark.parametrize("typed", ["ZZZZ", "1234", "A0000"])
def test_it_refuses_a_code_without_a_dot_that_is_no_code(member, typed):
    form = bound(member, diagnoses=f"C83.30, {typed}")
    assert form.errors["diagnoses"] == [f"{typed} is not an ICD-10-CM diagnosis code."]


def test_it_shows_the_descriptions_of_valid_codes(member):
    form = bound(member, diagnoses="c8330 D57.1")
    assert form.cleaned_data["diagnoses"] == ["C83.30", "D57.1"]
    assert form.diagnosis_descriptions[1] == ("D57.1", "Sickle-cell disease without crisis")


def test_it_refuses_a_pdf_that_is_really_text(member):
    form = bound(
        member, files={"attachments": [SimpleUploadedFile("notes.pdf", b"just some text", "application/pdf")]}
    )
    assert "notes.pdf is not a PDF, PNG or JPEG" in form.errors["attachments"][0]


def test_it_accepts_documents_by_content_whatever_their_name(member):
    form = bound(member, files={"attachments": [pdf("scan"), SimpleUploadedFile("x.bin", PNG)]})
    assert form.errors == {}
    assert [u.content_type for u in form.uploads] == ["application/pdf", "image/png"]


def test_it_refuses_an_oversized_document_and_keeps_the_good_ones(member, settings):
    settings.PA_MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)
    form = bound(member, files={"attachments": [big, pdf("small.pdf")]})
    assert "big.pdf is 0.0 MB; each document may be at most" in form.errors["attachments"][0]
    assert [u.file.name for u in form.uploads] == ["small.pdf"]


def test_it_requires_the_jeopardy_statement_for_an_expedited_request(member):
    form = bound(member, urgency="expedited", expedited_statement="  ")
    assert "seriously jeopardize" in form.errors["expedited_statement"][0]
    assert bound(member, urgency="expedited", expedited_statement="Rapidly progressing disease.").is_valid()


def test_it_stops_a_submission_when_coverage_is_not_active_on_the_date_of_service(member):
    form = bound(member, date_of_service="2028-02-01")
    assert "coverage is not active on 02/01/2028" in form.errors["date_of_service"][0]


def test_it_lets_staff_send_an_inactive_coverage_to_eligibility_review_on_purpose(member):
    assert bound(member, date_of_service="2028-02-01", confirm_eligibility_review="on").is_valid()


def test_it_requires_the_car_t_facts_on_submission(member):
    form = bound(member, ecog="", active_cns_disease=None)
    assert set(form.errors) == {"ecog", "active_cns_disease"}


def test_it_requires_the_genetic_test_for_a_gene_therapy(member):
    form = bound(member, product="zolgensma")
    assert {"genetic_test_name", "genetic_test_result", "genetic_test_date", "prior_gene_therapy"} <= set(
        form.errors
    )


def test_it_asks_about_genetic_manipulation_for_a_transplant_without_product(member):
    form = bound(member, service="transplant", product="")
    assert "genetically_modified" in form.errors
    form = bound(member, service="transplant", product="", genetically_modified="yes")
    assert form.errors == {}
    assert form.details()["product"] is None
    assert form.details()["category"] == "stem_cell_transplant"
    assert form.details()["genetically_modified"] is True


def test_it_requires_the_attestation_to_submit(member):
    form = bound(member, attestation=None)
    assert "accurate" in form.errors["attestation"][0]


def test_it_explains_a_product_that_is_not_in_the_catalog(member):
    form = bound(member, product="Kymriahh")
    assert "could not find “Kymriahh”" in form.errors["product"][0]


def test_it_saves_a_partial_draft_without_demanding_everything(member):
    form = bound(member, action=SAVE, diagnoses="", ordering_npi="", attestation=None, ecog="")
    assert form.errors == {}


def test_it_still_checks_formats_when_saving_a_draft(member):
    form = bound(member, action=SAVE, rendering_npi="1111111111")
    assert "rendering_npi" in form.errors
    assert "rendering_npi" not in form.details()
    assert form.details()["date_of_service"] == datetime.date(2027, 1, 15)


@pytest.mark.parametrize("name", ["product", "brand", "generic"])
def test_it_finds_the_product_by_code_brand_or_generic_name(member, name):
    typed = {"product": "q2041", "brand": "YESCARTA", "generic": "axicabtagene ciloleucel"}[name]
    assert bound(member, product=typed).cleaned_data["product"].hcpcs == "Q2041"


def test_it_lets_a_draft_be_expedited_before_the_statement_is_written(member):
    assert bound(member, action=SAVE, urgency="expedited", expedited_statement="").errors == {}


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("urgency", "bogus", "Please choose the urgency from the list."),
        ("date_of_service", "31/31/2027", "Please enter the date of service as MM/DD/YYYY."),
        ("ecog", "7", "Please choose the ECOG performance status from the list."),
        ("active_infection", "maybe", "Please answer “Active infection?” with yes or no."),
        ("prior_lines_of_therapy", "two", "Please enter the prior lines of therapy as a whole number."),
        (
            "ordering_name",
            "x" * 201,
            "Please keep the ordering provider name to 200 characters (it has 201).",
        ),
    ],
)
def test_it_explains_a_bad_value_in_plain_words(member, field, typed, message):
    form = bound(member, action=SAVE, **{field: typed})
    assert form.errors[field] == [message]
