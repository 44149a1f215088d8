"""Import an enrollment file: upsert members and their coverage periods, row by row, in batches.

The file is read once, row by row: each row is checked alone (`rows.row_check`), the good ones
are sorted by member ID on disk (`staging`), and the members are then decided (`reconcile`) and
written a batch at a time, each batch in its own transaction. A run holds one sorting run and
one batch in memory, whatever the file's size. Nothing is written before the whole file has been
read, so an unreadable file (not UTF-8, broken quoting) changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import json
import logging
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from priorauth.members.enrollment import staging
from priorauth.members.enrollment.reconcile import (
    MemberDecision,
    StoredMember,
    StoredPeriod,
    member_reconcile,
)
from priorauth.members.enrollment.rows import (
    EnrollmentRow,
    HeaderInvalid,
    RowRules,
    header_positions,
    row_check,
    row_values,
)
from priorauth.members.models import CoveragePeriod, Member, Plan, User

logger = logging.getLogger(__name__)

BATCH_ROWS = 2_000
_DETAIL_MODEL_FIELDS = {
    "first_name": "first_name",
    "last_name": "last_name",
    "date_of_birth": "date_of_birth",
}
_CHANGE_REASON_LENGTH = 100


class EnrollmentFileInvalid(Exception):
    """The file cannot be read as an enrollment file at all; nothing was written."""


@dataclass
class ImportSummary:
    rows: int = 0
    applied: int = 0
    unchanged: int = 0
    rejected: int = 0
    members_created: int = 0
    members_changed: int = 0
    periods_added: int = 0
    periods_ended: int = 0
    dry_run: bool = False

    def as_json(self) -> str:
        return json.dumps(
            {
                "rows": self.rows,
                "applied": self.applied,
                "unchanged": self.unchanged,
                "rejected": self.rejected,
            }
        )

    def changes_text(self) -> str:
        """Return one sentence of what the import changed (or, in a dry run, would change)."""
        create, change, add, give = (
            ("Would create", "change", "would add", "give")
            if self.dry_run
            else ("Created", "changed", "added", "gave")
        )
        return (
            f"{create} {self.members_created} member(s) and {change} {self.members_changed}; "
            f"{add} {self.periods_added} coverage period(s) and {give} {self.periods_ended} a new end date."
        )


def enrollment_import(
    *,
    source: IO[str],
    file_name: str,
    errors_to: IO[str],
    dry_run: bool = False,
    user: User | None = None,
    today: datetime.date | None = None,
) -> ImportSummary:
    """Import an enrollment CSV read from `source`; write its rejected rows as CSV to `errors_to`.

    `source` is text opened with newline="". The error file has the input's columns between the
    row's `line` and its `reason`. Raise EnrollmentFileInvalid (nothing written) when the file has
    no header, lacks a required column, or cannot be read. In a dry run nothing is written to the
    database; the summary and the error file are what the import would give.
    """
    # Strict: an unclosed quote is an error, not the rest of the file read as one value.
    reader = csv.reader(source, strict=True)
    header = _next_record(reader)
    if header is None:
        raise EnrollmentFileInvalid("The file is empty: an enrollment file starts with a header row.")
    try:
        positions = header_positions(header)
    except HeaderInvalid as invalid:
        raise EnrollmentFileInvalid(str(invalid)) from None
    summary = ImportSummary(dry_run=dry_run)
    plans = {plan.code: plan for plan in Plan.objects.all()}
    rules = RowRules(
        plan_codes=frozenset(plans), max_lengths=_max_lengths(), today=today or timezone.localdate()
    )
    writes = _Writes(plans=plans, user=user, reason=f"enrollment file {file_name}"[:_CHANGE_REASON_LENGTH])
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as rejected_file:
        rejects = csv.writer(rejected_file)
        good = _checked_rows(reader, positions, rules, summary, rejects)
        by_member = staging.sorted_rows(good, key=lambda staged: (staged[0], int(staged[1])))
        for batch in _batches(by_member, positions, rules):
            # Read, decide and write in one transaction, the stored members locked: an edit made
            # in the admin meanwhile is never overwritten with details decided before it.
            with transaction.atomic():
                stored = _stored([group[0].member_id for group in batch.groups], lock=not dry_run)
                decisions = _decide(batch, stored)
                if not dry_run:
                    writes.apply(decisions, stored)
            for decision in decisions:
                _count(decision, summary)
                for line, reason in decision.rejected.items():
                    rejects.writerow([str(line), reason, *batch.fields[line]])
        rejected_file.seek(0)
        _errors_write(errors_to, header, csv.reader(rejected_file))
    logger.info(
        "enrollment import%s: %d rows, %d applied, %d unchanged, %d rejected",
        " (dry run)" if dry_run else "",
        summary.rows,
        summary.applied,
        summary.unchanged,
        summary.rejected,
    )
    return summary


def _next_record(reader: Any) -> list[str] | None:
    """Return the reader's next record, None at the end; raise EnrollmentFileInvalid if unreadable."""
    try:
        return next(reader, None)
    except UnicodeDecodeError:
        raise EnrollmentFileInvalid(
            f"The file is not UTF-8 text (near line {reader.line_num + 1}): save it as CSV UTF-8."
        ) from None
    except csv.Error as error:
        raise EnrollmentFileInvalid(f"Line {reader.line_num}: the file is not valid CSV ({error}).") from None


def _max_lengths() -> dict[str, int]:
    return {
        column: Member._meta.get_field(column).max_length
        for column in ("member_id", "first_name", "last_name")
    }


def _checked_rows(
    reader: Any, positions: dict[str, int], rules: RowRules, summary: ImportSummary, rejects: Any
) -> Iterator[list[str]]:
    """Yield the rows that pass the checks of one row, staged as [member ID, line, *fields]."""
    while True:
        line = reader.line_num + 1
        fields = _next_record(reader)
        if fields is None:
            return
        if not any(value.strip() for value in fields):
            continue
        summary.rows += 1
        checked = row_check(line, row_values(fields, positions), rules)
        if isinstance(checked, str):
            summary.rejected += 1
            rejects.writerow([str(line), checked, *fields])
            continue
        yield [checked.member_id, str(line), *fields]


@dataclass
class _Batch:
    groups: list[list[EnrollmentRow]]
    fields: dict[int, list[str]]


_Stored = dict[str, tuple[Member, dict[int, CoveragePeriod]]]


def _batches(staged: Iterable[list[str]], positions: dict[str, int], rules: RowRules) -> Iterator[_Batch]:
    """Yield the members' rows in batches of about BATCH_ROWS rows, never splitting a member."""
    groups: list[list[EnrollmentRow]] = []
    fields: dict[int, list[str]] = {}
    for _, member_rows in itertools.groupby(staged, key=lambda row: row[0]):
        group = []
        for row in member_rows:
            line, raw = int(row[1]), row[2:]
            fields[line] = raw
            # The row passed these checks before it was staged; the same rules give the same row.
            checked = row_check(line, row_values(raw, positions), rules)
            assert isinstance(checked, EnrollmentRow), checked
            group.append(checked)
        groups.append(group)
        if len(fields) >= BATCH_ROWS:
            yield _Batch(groups, fields)
            groups, fields = [], {}
    if groups:
        yield _Batch(groups, fields)


def _stored(member_ids: list[str], *, lock: bool) -> _Stored:
    """Return the stored members of these IDs with their periods by primary key, locked if asked."""
    members = Member.objects.filter(member_id__in=member_ids).select_related("plan")
    if lock:
        members = members.select_for_update(of=("self",))
    periods: dict[int, dict[int, CoveragePeriod]] = {}
    for period in CoveragePeriod.objects.filter(member__member_id__in=member_ids):
        periods.setdefault(period.member_id, {})[period.pk] = period
    return {member.member_id: (member, periods.get(member.pk, {})) for member in members}


def _decide(batch: _Batch, stored_members: _Stored) -> list[MemberDecision]:
    decisions = []
    for group in batch.groups:
        found = stored_members.get(group[0].member_id)
        stored = None
        if found:
            member, periods = found
            stored = StoredMember(
                pk=member.pk,
                first_name=member.first_name,
                last_name=member.last_name,
                date_of_birth=member.date_of_birth,
                plan_code=member.plan.code,
                periods=tuple(StoredPeriod(p.pk, p.start, p.end) for p in periods.values()),
            )
        decisions.append(member_reconcile(group, stored))
    return decisions


def _count(decision: MemberDecision, summary: ImportSummary) -> None:
    summary.applied += len(decision.applied)
    summary.unchanged += len(decision.unchanged)
    summary.rejected += len(decision.rejected)
    summary.members_created += decision.create
    summary.members_changed += bool(decision.changed_fields)
    summary.periods_added += len(decision.periods_added)
    summary.periods_ended += len(decision.periods_ended)


@dataclass
class _Writes:
    plans: dict[str, Plan]
    user: User | None
    reason: str

    def apply(self, decisions: list[MemberDecision], stored: _Stored) -> None:
        """Write a batch's decisions (in the caller's transaction), each change with a history row."""
        decisions = [d for d in decisions if d.writes]
        if not decisions:
            return
        history = {"default_user": self.user, "default_change_reason": self.reason}
        created = {d.member_id: self._member(Member(), d) for d in decisions if d.create}
        bulk_create_with_history(list(created.values()), Member, **history)
        changed = [self._member(stored[d.member_id][0], d) for d in decisions if d.changed_fields]
        fields = [*_DETAIL_MODEL_FIELDS, "plan"]
        bulk_update_with_history(changed, Member, fields=fields, **history)
        members = {member_id: member for member_id, (member, _) in stored.items()} | created
        added = [
            CoveragePeriod(member=members[d.member_id], start=start, end=end)
            for d in decisions
            for start, end in d.periods_added
        ]
        bulk_create_with_history(added, CoveragePeriod, **history)
        ended = []
        for d in decisions:
            periods = stored[d.member_id][1] if d.periods_ended else {}
            for pk, end in d.periods_ended:
                periods[pk].end = end
                ended.append(periods[pk])
        bulk_update_with_history(ended, CoveragePeriod, fields=["end"], **history)

    def _member(self, member: Member, decision: MemberDecision) -> Member:
        details = decision.details
        assert details is not None
        member.member_id = details.member_id
        for name in _DETAIL_MODEL_FIELDS:
            setattr(member, name, getattr(details, name))
        member.plan = self.plans[details.plan_code]
        return member


def _errors_write(errors_to: IO[str], header: list[str], rejected: Iterable[list[str]]) -> None:
    """Write the rejected rows in line order: line, the input's columns, reason."""
    writer = csv.writer(errors_to)
    writer.writerow(["line", *header, "reason"])
    for row in staging.sorted_rows(rejected, key=lambda r: int(r[0])):
        line, reason, fields = row[0], row[1], row[2:]
        writer.writerow([line, *fields, reason])
