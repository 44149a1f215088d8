"""Pure checks of what office staff type or upload: NPIs, document content, the limits on both.

Each returns a plain-words message for the form to show next to the field, or a normal value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from priorauth import limits
from priorauth.members.validation import npi_error

# The content types we accept, recognised by their first bytes (never by the file name).
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
DEFAULT_MAX_UPLOAD_BYTES = limits.DOCUMENT_BYTES

__all__ = ["npi_error"]  # re-exported: the intake form checks NPIs through this module


def detect_content_type(head: bytes) -> str | None:
    """Return the content type the first bytes show (PDF, PNG or JPEG), or None."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def sha256_of(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


# The intake's free-text fields, what a message calls them, and their limits (`priorauth.limits`).
INTAKE_TEXT: dict[str, tuple[str, int]] = {
    "ordering_name": ("the ordering provider name", limits.NAME),
    "ordering_npi": ("the ordering provider NPI", 10),
    "rendering_npi": ("the rendering provider NPI", 10),
    "facility_name": ("the treating facility", limits.NAME),
    "facility_npi": ("the treating facility NPI", 10),
    "expedited_statement": ("the statement for an expedited review", limits.EXPEDITED_STATEMENT),
    "clinical_summary": ("the clinical summary", limits.CLINICAL_SUMMARY),
    "genetic_test_name": ("the confirming genetic test", limits.NAME),
    "genetic_test_result": ("the test result", limits.GENETIC_TEST_RESULT),
}


def details_problems(details: Mapping[str, Any]) -> list[str]:
    """Return what is refused in the intake details: a text over its limit, too many diagnoses."""
    problems = limits.text_problems(
        {what: (details[name], limit) for name, (what, limit) in INTAKE_TEXT.items() if name in details}
    )
    if len(details.get("diagnoses") or ()) > limits.DIAGNOSES:
        problems.append(f"Please give at most {limits.DIAGNOSES} diagnoses.")
    return problems


def room_problem(held: list[int], new: list[int]) -> str:
    """Return why new documents of these sizes do not fit beside those held ("" if they do), and what is left.

    Counted across the draft, the submission and pend answers: at most DOCUMENTS_PER_REQUEST
    documents and REQUEST_DOCUMENT_BYTES in all.
    """
    if not new:
        return ""
    if len(held) + len(new) > limits.DOCUMENTS_PER_REQUEST:
        left = max(limits.DOCUMENTS_PER_REQUEST - len(held), 0)
        return (
            f"A request can hold at most {limits.DOCUMENTS_PER_REQUEST} documents; it has {len(held)}, so "
            f"{left} more can be added (you chose {len(new)}). Combine pages into fewer files."
        )
    if sum(held) + sum(new) > limits.REQUEST_DOCUMENT_BYTES:
        left = max(limits.REQUEST_DOCUMENT_BYTES - sum(held), 0)
        return (
            f"A request's documents can total at most {limits.megabytes(limits.REQUEST_DOCUMENT_BYTES)}; "
            f"{limits.megabytes(left)} is left and these documents are {limits.megabytes(sum(new))}."
        )
    return ""
