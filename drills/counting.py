"""Count a drill's outcome from the rows written and the messages the SMTP sink received (pure).

A message is matched to its row by recipient and subject: a subject names the request number
and the event (or the digest's day), so together with the recipient it names one row, whatever
the delivery code stores. Copies beyond the rows of a key are duplicates; a copy carrying the
Message-ID of an earlier copy is a repeat a receiver can drop (the issue's "unavoidable"
duplicate: the mail server accepted it, the crash came before the row was marked), counted
apart from the others.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from drills.sink import Record

Key = tuple[str, str]


@dataclass(frozen=True)
class RowFact:
    """An email row as the drill sees it: whom, the subject it is sent with, its status."""

    recipient: str
    subject: str
    status: str
    created: float = 0.0  # when the row was written (time.time())

    @property
    def key(self) -> Key:
        return message_key(self.recipient, self.subject)


@dataclass
class Tally:
    expected: int = 0
    delivered: int = 0
    lost: int = 0
    duplicated: int = 0
    unavoidable_duplicates: int = 0
    # When the last expected message arrived (time.time()); None while any is missing.
    completed_at: float | None = None
    # Seconds from the fault's end (or a row's writing, if later) to its message, at most; None if lost.
    recovery_s: float | None = None
    statuses: Counter[str] = field(default_factory=Counter)
    # Rows whose message arrived but which are not marked sent (the code cannot tell they went).
    delivered_not_marked: int = 0


def message_key(recipient: str, subject: str) -> Key:
    """Return the key a row and its message share: the address lowercased, the subject's spaces folded."""
    return recipient.strip().lower(), " ".join(subject.split())


def tally(rows: Iterable[RowFact], records: Iterable[Record], fault_end: float = 0.0) -> Tally:
    """Return the counts for these rows; records matching no row (another drill's) are ignored.

    Per key: the first n copies deliver the n rows; a later copy is an unavoidable duplicate
    when an earlier copy had the same non-empty Message-ID, otherwise a duplicate. Rows whose
    key has fewer copies than rows are lost. Recovery counts from the fault's end, or from a
    row's writing when that came later, so submissions that go on after the fault do not count
    as recovery time: it is how long after the fault the outbox was still behind.
    """
    result = Tally()
    wanted: Counter[Key] = Counter()
    written: dict[Key, float] = {}
    unmarked: Counter[Key] = Counter()
    for row in rows:
        wanted[row.key] += 1
        written[row.key] = max(written.get(row.key, 0.0), row.created)
        result.statuses[row.status] += 1
        if row.status != "sent":
            unmarked[row.key] += 1
    copies: dict[Key, list[Record]] = defaultdict(list)
    for record in sorted(records, key=lambda r: r.at):
        key = message_key(record.recipient, record.subject)
        if key in wanted:
            copies[key].append(record)
    result.expected = sum(wanted.values())
    finished: list[float] = []
    lags: list[float] = []
    for key, count in wanted.items():
        arrived = copies.get(key, [])
        delivered = min(len(arrived), count)
        result.delivered += delivered
        result.lost += count - delivered
        result.delivered_not_marked += min(unmarked[key], delivered)
        if delivered:
            finished.append(arrived[delivered - 1].at)
            lags.append(arrived[delivered - 1].at - max(fault_end, written[key]))
        seen = {record.message_id for record in arrived[:count]}
        for extra in arrived[count:]:
            if extra.message_id and extra.message_id in seen:
                result.unavoidable_duplicates += 1
            else:
                result.duplicated += 1
            seen.add(extra.message_id)
    if result.lost == 0:
        result.completed_at = max(finished, default=None)
        result.recovery_s = max(0.0, *lags)
    return result
