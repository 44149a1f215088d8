"""The pure checks: NPIs, ICD-10-CM codes and document content, with no database."""

from __future__ import annotations

import pytest

from priorauth.policies import diagnoses
from priorauth.requests import validation


@pytest.mark.parametrize("npi", ["1234567893", "1245319599"])
def test_it_accepts_an_npi_whose_check_digit_holds(npi):
    assert validation.npi_error(npi) is None


@pytest.mark.parametrize(
    ("npi", "words"),
    [("1234567890", "check digit"), ("12345", "10 digits"), ("12345678ab", "10 digits")],
)
def test_it_explains_a_bad_npi(npi, words):
    assert words in validation.npi_error(npi)


@pytest.mark.parametrize(("typed", "code"), [("c83.30", "C83.30"), ("C8330", "C83.30"), (" f32.a ", "F32.A")])
def test_it_normalises_codes_as_typed(typed, code):
    assert diagnoses.normalise_code(typed) == code


@pytest.mark.parametrize("code", ["C83.30", "D57.1", "F20.9", "S72.001A"])
def test_it_accepts_billable_icd10cm_codes(code):
    assert diagnoses.diagnosis_error(code) is None


@pytest.mark.parametrize(
    ("code", "words"),
    [("XYZ.1", "not an ICD-10-CM"), ("C81-C96", "not an ICD-10-CM"), ("C83", "more specific")],
)
def test_it_refuses_unknown_codes_and_headings(code, words):
    assert words in diagnoses.diagnosis_error(code)


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (b"%PDF-1.4", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff\xe0", "image/jpeg"),
        (b"hello wo", None),
        (b"GIF89a", None),
        (b"", None),
    ],
)
def test_it_recognises_documents_by_their_first_bytes(head, content_type):
    assert validation.detect_content_type(head) == content_type
