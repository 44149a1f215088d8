"""Pure checks of what office staff type or upload: NPIs, ICD-10-CM codes, document content.

Each returns a plain-words message for the form to show next to the field, or a normal value.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import simple_icd_10_cm as icd10

from priorauth.members.validation import npi_error

# The content types we accept, recognised by their first bytes (never by the file name).
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024

__all__ = ["npi_error"]  # re-exported: the intake form checks NPIs through this module


def split_codes(text: str) -> list[str]:
    """Return the codes typed in a field, separated by commas, semicolons, spaces or new lines."""
    return [code for code in re.split(r"[\s,;]+", text.strip()) if code]


def normalise_code(code: str) -> str:
    """Return an ICD-10-CM code in its usual form: upper case, with the dot (C8330 -> C83.30)."""
    code = code.strip().upper()
    if "." in code or len(code) <= 3:
        return code
    try:
        return icd10.add_dot(code)
    except ValueError:
        return code  # not a code at all: diagnosis_error says so in words


def diagnosis_error(code: str) -> str | None:
    """Return why a code cannot be used on a request, or None for a valid billable ICD-10-CM code."""
    if not icd10.is_valid_item(code) or icd10.is_chapter_or_block(code):
        return f"{code} is not an ICD-10-CM diagnosis code."
    if not icd10.is_leaf(code):
        return f"{code} is a heading, not a billable code: please use a more specific code under it."
    return None


def describe(code: str) -> str:
    """Return the code's description, or an empty string for an unknown code."""
    try:
        return icd10.get_description(code)
    except ValueError:
        return ""


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
