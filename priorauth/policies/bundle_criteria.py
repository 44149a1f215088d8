"""A policy's `criteria` in the bundle: the ordered checklist reviewers work (pure).

`policies[i].criteria` is a list of `{text, section, group, evidence}`: the criterion as the
policy words it, where it comes from, a one-of group label (null or absent: required; criteria
sharing a label: one of them is enough) and what evidence shows it, in plain words a provider
can act on. Left out, the policy's criteria stay as they are (a plain import never deletes);
`[]` empties them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from priorauth.policies.bundle_fields import FieldReader, Problem, quote

# Column sizes of `Criterion`; the texts are bounded so a letter stays a letter.
SECTION_LENGTH = 100
GROUP_LENGTH = 100
TEXT_LENGTH = 2_000


@dataclass(frozen=True)
class CriterionData:
    text: str
    section: str
    group: str  # "" for a required criterion
    evidence: str


def read_criteria(policy: FieldReader) -> tuple[CriterionData, ...] | None:
    """Return the policy's criteria in order, or None when the bundle does not give them.

    Problems go to the policy's reader with their paths (`policies[0].criteria[2].evidence: missing`).
    """
    value = policy.raw.get("criteria")
    if value is None:
        return None
    if not isinstance(value, list):
        policy.problem("criteria", "not a list of {text, section, group, evidence} entries")
        return ()
    criteria: list[CriterionData] = []
    for index, raw in enumerate(value):
        path = f"{policy.path}.criteria[{index}]"
        if not isinstance(raw, dict):
            policy.problems.append(Problem(path, "not an object"))
            continue
        criteria.append(_criterion(FieldReader(raw, path, policy.problems)))
    _check_groups(policy, criteria)
    _check_duplicates(policy, criteria)
    return tuple(criteria)


def _criterion(item: FieldReader) -> CriterionData:
    sizes = {"text": TEXT_LENGTH, "section": SECTION_LENGTH, "evidence": TEXT_LENGTH}
    values = {key: item.text(key) for key in sizes}
    for key, limit in sizes.items():
        if len(values[key]) > limit:
            item.problem(key, f"longer than {limit:,} characters")
    group = item.text("group", required=False)
    if len(group) > GROUP_LENGTH:
        item.problem("group", f"longer than {GROUP_LENGTH} characters")
    return CriterionData(
        text=values["text"].strip(),
        section=values["section"].strip(),
        group=group.strip(),
        evidence=values["evidence"].strip(),
    )


def _check_groups(policy: FieldReader, criteria: list[CriterionData]) -> None:
    # A group of one is a required criterion written wrongly: "one of" needs a choice.
    sizes: dict[str, list[int]] = {}
    for index, criterion in enumerate(criteria):
        if criterion.group:
            sizes.setdefault(criterion.group, []).append(index)
    for label, indexes in sizes.items():
        if len(indexes) == 1:
            policy.problem(
                f"criteria[{indexes[0]}].group",
                f"the only criterion in one-of group {quote(label)}: a group needs two or more "
                "(leave group empty for a required criterion)",
            )


def _check_duplicates(policy: FieldReader, criteria: list[CriterionData]) -> None:
    seen: dict[str, int] = {}
    for index, criterion in enumerate(criteria):
        if not criterion.text:
            continue
        if criterion.text in seen:
            policy.problem(f"criteria[{index}].text", f"duplicate of criteria[{seen[criterion.text]}]")
        else:
            seen[criterion.text] = index


def export_criteria(criteria: Any) -> list[dict[str, Any]]:
    """Return criteria records (anything with text, section, group, evidence) as the bundle writes them."""
    return [
        {"text": c.text, "section": c.section, "group": c.group or None, "evidence": c.evidence}
        for c in criteria
    ]
