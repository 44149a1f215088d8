"""Pure checks of what office staff type or upload: NPIs and document content.

Each returns a plain-words message for the form to show next to the field, or a normal value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

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
