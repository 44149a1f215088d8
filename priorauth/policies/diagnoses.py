"""ICD-10-CM diagnosis codes as office staff type them: split, normalised, checked, described.

Pure functions over the code set that simple-icd-10-cm ships. The intake form and
`route_preview` both refuse a code the same way, with a plain-words message.
"""

from __future__ import annotations

import re

import simple_icd_10_cm as icd10


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
