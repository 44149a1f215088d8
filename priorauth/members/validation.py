"""Pure checks of provider identifiers, shared by the intake form and the admin."""

from __future__ import annotations

import re

from stdnum import luhn

# The NPI check digit is a Luhn digit computed over the NPI prefixed with 80840, the
# card-issuer prefix the NPI standard borrows from ISO 7812.
NPI_LUHN_PREFIX = "80840"


def npi_error(npi: str) -> str | None:
    """Return why an NPI is not valid, or None: 10 digits whose Luhn check (prefix 80840) holds."""
    if not re.fullmatch(r"\d{10}", npi):
        return "An NPI is exactly 10 digits."
    if not luhn.is_valid(NPI_LUHN_PREFIX + npi):
        return f"{npi} is not a valid NPI: its check digit does not match. Please check for a typo."
    return None
