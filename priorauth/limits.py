"""The limits on what people type and upload: one place that names them, for services and forms alike.

The services enforce them (the web forms and a future API call the same services); the forms
show them (a `maxlength` and "Up to 4,000 characters."). The text columns stay unbounded
`TextField`s: a limit lowered later must not make stored rows invalid, and PostgreSQL stores
text of any length at the same cost.
"""

from __future__ import annotations

# Free text, in characters. A clinical summary or a pend answer may quote notes at length; a
# reason, question or note is a few paragraphs; the letter prints the reason whole.
CLINICAL_SUMMARY = 10_000
EXPEDITED_STATEMENT = 4_000
PEND_ANSWER = 10_000
PEND_QUESTION = 4_000
NOTE = 4_000
REASON = 4_000
PEER_TO_PEER_INSTRUCTIONS = 1_000
ALTERNATIVES = 2_000
# A reviewer's note on one criterion of the checklist: a sentence or two, beside the document.
CRITERION_NOTE = 1_000
# One-line values, as their columns already hold them.
NAME = 200
GENETIC_TEST_RESULT = 500
APPROVED_SERVICE = 300
CRITERIA_POLICY = 300
CRITERIA_SECTION = 100
PRODUCT_SEARCH = 200
DIAGNOSES_TEXT = 300
DIAGNOSES = 25
MEMBER_ID = 30

# Documents: per file, and per request across the draft, the submission and pend answers.
DOCUMENT_BYTES = 20 * 1024 * 1024
DOCUMENTS_PER_REQUEST = 25
REQUEST_DOCUMENT_BYTES = 100 * 1024 * 1024
# A PAS Bundle posted to the FHIR API, its base64 documents included (a third larger than the files).
PAS_BUNDLE_BYTES = 40 * 1024 * 1024
# Its entries: a Claim and what it references (patient, providers, coverage, documents) are tens;
# checking a Bundle costs time in proportion to its entries, and 40 MB could hold 100,000 tiny ones.
PAS_BUNDLE_ENTRIES = 1_000
# What opening a document may cost: a PDF's pages and its streams once decompressed; an image's pixels.
PDF_PAGES = 2_000
PDF_OBJECTS = 200_000
PDF_DECOMPRESSED_BYTES = 50 * 1024 * 1024
IMAGE_PIXELS = 50_000_000

# The letter's layout breaks a word longer than this (a pasted URL, a run of characters).
LETTER_WORD = 40


def help_text(limit: int) -> str:
    """Return the form's note for a text limit, e.g. "Up to 4,000 characters."."""
    return f"Up to {limit:,} characters."


def text_problem(what: str, value: str | None, limit: int) -> str:
    """Return why the text is refused ("" if it is not): longer than `limit`, or holding a NUL.

    A NUL character is refused because PostgreSQL cannot store it in text.
    """
    value = value or ""
    if len(value) > limit:
        return f"Please keep {what} to {limit:,} characters (it has {len(value):,})."
    if "\x00" in value:
        return f"{what[:1].upper()}{what[1:]} contains a character we cannot store (a NUL)."
    return ""


def text_problems(values: dict[str, tuple[str | None, int]]) -> list[str]:
    """Return the problems of several texts, given as {what: (value, limit)}, in order."""
    return [
        problem for what, (value, limit) in values.items() if (problem := text_problem(what, value, limit))
    ]


def documents_help() -> str:
    """Return the forms' note on documents: the accepted types, and the limits per file and per request."""
    return (
        f"PDF, PNG or JPEG, up to {DOCUMENT_BYTES // 1048576} MB each; a request holds at most "
        f"{DOCUMENTS_PER_REQUEST} documents and {REQUEST_DOCUMENT_BYTES // 1048576} MB in all."
    )


def megabytes(size: int) -> str:
    return f"{size / 1048576:.1f} MB"
