"""Re-decide requests under the records as they are and as a draft change would make them.

Pure: request rows and two snapshots in, what would move out. A row carries the request's
number, therapy, status, plan state and queue, and the facts the deferral logic reads; never
a member's name, ID, birth date or diagnoses (the policy administrator who reads the result
sees no health information, and the deferral logic never reads diagnoses anyway).

Fast enough for tens of thousands of requests: steps 1 to 7 read the plan, the service, the
urgency, whether coverage is active on the date of service and which policies are in effect
that day, which many requests share, so each distinct set of those is decided once; the due
time (step 8) is computed per request only where the two snapshots' timeframe rules or
holidays for it differ. Only the requests something happens to are kept.
"""

from __future__ import annotations

import bisect
import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from priorauth.policies.deferral import Coverage, Decision, RequestFacts, Snapshot, UndecidableRequest, decide
from priorauth.policies.due_time import due_at, matching_rules
from priorauth.policies.timeframes import BUSINESS_UNITS

NO_AUTH = "no authorization required"
UNDECIDABLE = "cannot be decided"
# Steps 1 to 7 do not read the receipt time; any fixed moment stands in for it there.
_ANY_RECEIPT = datetime.datetime(2000, 1, 3, 12, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class RequestRow:
    """A request as the preview knows it: no member data, only what is shown and decided."""

    id: int
    number: str
    status: str
    queue: str | None
    therapy: str
    plan_state: str
    is_open: bool
    facts: RequestFacts
    # The queue its routing decision named when it was routed (a supervisor may have moved it since).
    routed_to: str | None = None


@dataclass(frozen=True)
class Outcome:
    """Where one snapshot sends a request: a queue, no authorization required, or an error."""

    label: str
    queue: str | None
    decision: Decision | None
    error: str = ""
    due_at: datetime.datetime | None = None


@dataclass(frozen=True)
class Redecided:
    row: RequestRow
    before: Outcome
    after: Outcome

    @property
    def moves(self) -> bool:
        return self.before.label != self.after.label

    @property
    def outcome_changes(self) -> bool:
        kind = {NO_AUTH: NO_AUTH, UNDECIDABLE: UNDECIDABLE}
        return kind.get(self.before.label, "routed") != kind.get(self.after.label, "routed")

    @property
    def due_shift(self) -> str:
        """Return "earlier", "later" or "" (the same, or not due under one of the two)."""
        before, after = self.before.due_at, self.after.due_at
        if before is None or after is None or before == after:
            return ""
        return "earlier" if after < before else "later"


@dataclass(frozen=True)
class Impact:
    """What a change does to one set of requests: counts, and the requests behind each."""

    decided: int
    moves: tuple[tuple[str, str, int], ...]
    moved: tuple[Redecided, ...]
    earlier: tuple[Redecided, ...]
    later: tuple[Redecided, ...]
    outcome_changed: tuple[Redecided, ...]

    @property
    def changes_nothing(self) -> bool:
        return not (self.moved or self.earlier or self.later or self.outcome_changed)


@dataclass(frozen=True)
class Preview:
    open: Impact
    recent: Impact


class Decider:
    """Decide request facts under one snapshot, deciding each distinct routing question once."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._routing: dict[tuple[object, ...], Outcome] = {}
        # Which policies are in effect changes only on these days: between two of them, steps
        # 1 and 6 find the same policies whatever the date of service.
        self._turns = sorted(
            {p.effective for p in snapshot.policies} | {p.archived for p in snapshot.policies if p.archived}
        )

    def route(self, facts: RequestFacts) -> Outcome:
        """Return the outcome of steps 1 to 7 (its due time not computed; its trace, a stand-in's)."""
        covered = any(c.start <= facts.date_of_service <= c.end for c in facts.coverage)
        key = (
            facts.plan,
            facts.hcpcs,
            facts.category,
            facts.genetically_modified,
            facts.urgency,
            bisect.bisect_right(self._turns, facts.date_of_service),
            covered,
        )
        if key not in self._routing:
            # Step 3 reads only whether a period covers the date of service; one period stands for all.
            day = facts.date_of_service
            stand_in = replace(
                facts,
                coverage=(Coverage(day, day),) if covered else (),
                diagnoses=(),
                received_at=_ANY_RECEIPT,
            )
            self._routing[key] = self._decide(stand_in)
        return self._routing[key]

    def _decide(self, facts: RequestFacts) -> Outcome:
        try:
            decision = decide(facts, self.snapshot)
        except UndecidableRequest as error:
            return Outcome(UNDECIDABLE, None, None, str(error))
        if decision.outcome == "no_auth_required":
            return Outcome(NO_AUTH, None, decision)
        return Outcome(decision.queue or UNDECIDABLE, decision.queue, decision)

    def with_due(self, outcome: Outcome, facts: RequestFacts) -> Outcome:
        """Return the outcome with the request's own due time (step 8), if it is routed."""
        if outcome.queue is None:
            return outcome
        try:
            return replace(outcome, due_at=due_at(facts, self.snapshot.plans[facts.plan], self.snapshot))
        except UndecidableRequest as error:
            return Outcome(UNDECIDABLE, None, None, str(error))


def _due_may_differ(before: Decider, after: Decider, facts: RequestFacts) -> bool:
    """Return whether the two snapshots could give this request different due times."""
    plans = (before.snapshot.plans.get(facts.plan), after.snapshot.plans.get(facts.plan))
    if plans[0] is None or plans[1] is None:
        return False
    try:
        rules = [
            matching_rules(facts.urgency, plan.state, decider.snapshot)
            for plan, decider in zip(plans, (before, after), strict=True)
        ]
    except UndecidableRequest:
        return True
    if sorted(map(repr, rules[0])) != sorted(map(repr, rules[1])) or plans[0].state != plans[1].state:
        return True
    business = any(rule.unit in BUSINESS_UNITS for rule in rules[0])
    return business and before.snapshot.holidays != after.snapshot.holidays


def redecide(rows: Iterable[RequestRow], before: Snapshot, after: Snapshot) -> list[Redecided]:
    """Return the rows that would move, change outcome or due time, decided under both snapshots.

    Due times are computed only where the two snapshots may give different ones.
    """
    old, new = Decider(before), Decider(after)
    due_differs: dict[tuple[str, str], bool] = {}
    result = []
    for row in rows:
        facts = row.facts
        first, second = old.route(facts), new.route(facts)
        key = (facts.plan, facts.urgency)
        if key not in due_differs:
            due_differs[key] = _due_may_differ(old, new, facts)
        if due_differs[key] and first.queue and second.queue:
            first, second = old.with_due(first, facts), new.with_due(second, facts)
        elif first is second or first.label == second.label:
            continue
        item = Redecided(row, first, second)
        if item.moves or item.due_shift:
            result.append(item)
    return result


def impact(decided: int, redecided: Sequence[Redecided]) -> Impact:
    """Return the counts and lists of one set of requests (lists in request-number order)."""
    ordered = sorted(redecided, key=lambda item: item.row.number)
    moved = tuple(item for item in ordered if item.moves)
    moves = Counter((item.before.label, item.after.label) for item in moved)
    return Impact(
        decided=decided,
        moves=tuple(
            (old, new, count) for (old, new), count in sorted(moves.items(), key=lambda m: (-m[1], m[0]))
        ),
        moved=moved,
        earlier=tuple(item for item in ordered if item.due_shift == "earlier"),
        later=tuple(item for item in ordered if item.due_shift == "later"),
        outcome_changed=tuple(item for item in ordered if item.outcome_changes),
    )


def preview(
    rows: Sequence[RequestRow], before: Snapshot, after: Snapshot, *, since: datetime.datetime
) -> Preview:
    """Return the impact on (a) the open requests and (b) those received at or after `since`."""
    redecided = redecide(rows, before, after)
    return Preview(
        open=impact(sum(row.is_open for row in rows), [item for item in redecided if item.row.is_open]),
        recent=impact(
            sum(row.facts.received_at >= since for row in rows),
            [item for item in redecided if item.row.facts.received_at >= since],
        ),
    )


def rerouted(rows: Iterable[RequestRow], snapshot: Snapshot) -> list[tuple[RequestRow, Outcome]]:
    """Return the open rows the records would now route to another queue, with where to.

    Only rows whose routing decision's queue is not the one the records now give (the records
    changed since they were routed) and that are not already there: a request a supervisor
    moved by hand, under unchanged records, stays where they put it. A request the records
    would no longer send to a queue at all is not re-routed: that is a reviewer's decision.
    """
    decider = Decider(snapshot)
    found = []
    for row in rows:
        outcome = decider.route(row.facts)
        if row.is_open and outcome.queue and outcome.queue not in (row.queue, row.routed_to):
            found.append((row, outcome))
    return sorted(found, key=lambda pair: pair[0].number)
