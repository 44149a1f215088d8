"""The `indications` key of a bundle's product entries: read with the product, checked, stored whole.

Absent, the product's stored indications are left as they are, so a bundle written before the
key existed does not erase what administrators mapped since; `[]` empties them.
"""

from __future__ import annotations

from typing import Any

from priorauth.policies.bundle_fields import FieldReader
from priorauth.policies.indications import indications_json, read_indications


def product_indications(item: FieldReader) -> list[dict[str, Any]] | None:
    """Return the product entry's indications in their stored form, None if it gives none."""
    if "indications" not in item.raw:
        return None
    indications, problems = read_indications(item.raw["indications"])
    for path, message in problems:
        item.problem(f"indications{path}", message)
    return indications_json(indications)
