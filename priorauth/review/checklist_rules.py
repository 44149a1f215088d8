"""The criteria checklist's rules: what an approval and an adverse determination need (pure).

A criteria policy lists its criteria; each is required, or one of a group of which one is
enough. The reviewer marks each met, not met or unclear, with the document that shows it and a
note. An approval needs every required criterion (and every group) met, or explained in a note;
a denial, partial approval or modification names at least one criterion not met, and its letter
tells the provider, for each, what would change the decision (the criterion's evidence).

No Django and no database: the caller passes the checklist as `Item`s, the rules return problems
in words a reviewer reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

MET, NOT_MET, UNCLEAR = "met", "not_met", "unclear"
MARK_WORDS = {MET: "Met", NOT_MET: "Not met", UNCLEAR: "Unclear", "": "Not marked"}


@dataclass(frozen=True)
class Item:
    """One criterion of a request's checklist with the reviewer's mark ("" if not marked yet)."""

    text: str
    section: str
    group: str
    evidence: str
    mark: str = ""
    note: str = ""
    document: str = ""

    @property
    def explained(self) -> bool:
        return bool(self.note.strip())

    @property
    def mark_label(self) -> str:
        return MARK_WORDS.get(self.mark, self.mark)


def _short(text: str, size: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else f"{text[: size - 1].rstrip()}…"


def _satisfied(members: Iterable[Item]) -> bool:
    return any(member.mark == MET or member.explained for member in members)


def unsatisfied(items: Sequence[Item]) -> list[str]:
    """Return the required criteria and one-of groups that are neither met nor explained, in order.

    Criteria are named by their number on the checklist. A required criterion is satisfied when
    marked met or given a note; a group when one of its members is met or any of them carries a
    note. An empty checklist asks nothing.
    """
    groups: dict[str, list[int]] = {}
    for number, item in enumerate(items, start=1):
        if item.group:
            groups.setdefault(item.group, []).append(number)
    words: list[str] = []
    for number, item in enumerate(items, start=1):
        if not item.group:
            if not _satisfied([item]):
                words.append(f"criterion {number} (“{_short(item.text)}”)")
        elif groups[item.group][0] == number:
            members = groups[item.group]
            if not _satisfied(items[n - 1] for n in members):
                listed = ", ".join(str(n) for n in members)
                words.append(f"one of criteria {listed} (“{item.group}”)")
    return words


def approval_problem(items: Sequence[Item]) -> str:
    """Return why an approval is refused by the checklist ("" if it is not)."""
    missing = unsatisfied(items)
    if not missing:
        return ""
    return (
        "Before approving, mark each required criterion met on the checklist, or explain in its note "
        f"why the request is approved without it: {'; '.join(missing)}."
    )


def adverse_problem(items: Sequence[Item]) -> str:
    """Return why a denial, partial approval or modification is refused by the checklist ("" if not)."""
    if not items or any(item.mark == NOT_MET for item in items):
        return ""
    return (
        "Please mark at least one criterion not met on the checklist (and save it): the letter tells "
        "the provider which criteria were not met and what would change the decision."
    )


def recorded(items: Iterable[Item]) -> list[dict[str, Any]]:
    """Return the checklist as the determination keeps it (JSON: one object per criterion, in order)."""
    return [asdict(item) for item in items]


def not_met(checklist: Iterable[dict[str, Any]]) -> list[Item]:
    """Return the criteria a recorded checklist marks not met, in order (what a letter lists)."""
    fields = Item.__dataclass_fields__
    items = (Item(**{k: v for k, v in entry.items() if k in fields}) for entry in checklist)
    return [item for item in items if item.mark == NOT_MET]
