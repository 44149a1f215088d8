"""Reads of the PHI access log for the privacy officer: filtered, newest first, and as CSV rows."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from priorauth.audit.models import SUPERUSER_ROLE, PhiAccess
from priorauth.members.models import Role

ROLE_LABELS = {**dict(Role.choices), SUPERUSER_ROLE: "Superuser"}

CSV_HEADER = [
    "when (UTC)",
    "user",
    "role",
    "organization",
    "action",
    "what",
    "object id",
    "request number",
    "member record",
    "member ID",
    "address",
]
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def access_log(filters: dict[str, Any]) -> QuerySet[PhiAccess]:
    """Return the log rows matching the filters (user name, member pk, request number, dates)."""
    rows = PhiAccess.objects.select_related("member", "request", "organization").order_by("-at", "-pk")
    if filters.get("username"):
        rows = rows.filter(username__iexact=filters["username"])
    if filters.get("member_pk"):
        rows = rows.filter(member_id=filters["member_pk"])
    if filters.get("request_number"):
        rows = rows.filter(request__number__iexact=filters["request_number"])
    if filters.get("date_from"):
        rows = rows.filter(at__date__gte=datetime.date.fromisoformat(filters["date_from"]))
    if filters.get("date_to"):
        rows = rows.filter(at__date__lte=datetime.date.fromisoformat(filters["date_to"]))
    return rows


def role_label(role: str) -> str:
    """Return the role's name as people read it ("Provider office staff"), or the stored code."""
    return ROLE_LABELS.get(role, role)


def with_role_labels(rows: Iterable[PhiAccess]) -> list[PhiAccess]:
    """Return the rows, each given its `role_label` for display."""
    found = list(rows)
    for row in found:
        row.role_label = role_label(row.role)
    return found


def member_disclosures(member_pk: int) -> QuerySet[PhiAccess]:
    """Return every access to one member's information, newest first."""
    return access_log({"member_pk": member_pk})


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def csv_rows(rows: Iterable[PhiAccess]) -> Iterator[list[str]]:
    """Return the header and one line per log row, each cell safe to open in a spreadsheet."""
    yield CSV_HEADER
    for row in rows:
        yield [
            _cell(value)
            for value in (
                row.at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S"),
                row.username,
                role_label(row.role),
                row.organization.name if row.organization else row.organization_id,
                row.get_action_display(),
                row.get_kind_display(),
                row.object_id,
                row.request.number if row.request else row.request_id,
                row.member_id,
                row.member.member_id if row.member else "",
                row.address,
            )
        ]
