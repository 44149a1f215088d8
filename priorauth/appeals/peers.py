"""Is the appeal's deciding physician a clinical peer of the ordering provider? (pure)

Federal law asks that an appeal of a medical judgment consult a health professional with
appropriate training and experience in the field of medicine involved (29 CFR
2560.503-1(h)(3)(iii)). Some states ask for a clinical peer by specialty (regulatory.md 3.2):

- Indiana: a clinical peer in the same specialty (IC 27-1-37.5, as amended by SEA 480 (2025));
- Ohio: a clinical peer in the same or a similar specialty (ORC 1751.72);
- West Virginia: a clinical peer in the same or a similar specialty for expedited reviews
  (114 CSR 96-7.4).

Georgia asks only for an "appropriate provider" (O.C.G.A. 33-46-22), no specialty test.
"""

from __future__ import annotations

from dataclasses import dataclass

SAME = "same"
SIMILAR = "similar"
DIFFERENT = "different"
UNKNOWN = "unknown"

# Specialties that treat the same patients with these therapies: a reviewer in one is a
# similar-specialty peer of an ordering provider in another of the same family.
FAMILIES: tuple[frozenset[str], ...] = (
    frozenset(
        {
            "hematology_oncology",
            "medical_oncology",
            "hematology",
            "pediatric_hematology_oncology",
            "transplant_cellular_therapy",
        }
    ),
    frozenset({"neurology", "child_neurology"}),
    frozenset({"internal_medicine", "family_medicine", "pediatrics"}),
    frozenset({"medical_genetics", "pediatrics"}),
)


@dataclass(frozen=True)
class PeerRule:
    needs: str  # SAME or SIMILAR
    source: str
    expedited_only: bool = False


PEER_RULES: dict[str, PeerRule] = {
    "IN": PeerRule(SAME, "IC 27-1-37.5, as amended by SEA 480 (2025)"),
    "OH": PeerRule(SIMILAR, "ORC 1751.72"),
    "WV": PeerRule(SIMILAR, "114 CSR 96-7.4", expedited_only=True),
}


def specialty_match(reviewer: str, ordering: str) -> str:
    """Return SAME, SIMILAR, DIFFERENT, or UNKNOWN when either specialty is missing or "other"."""
    if not reviewer or not ordering or "other" in (reviewer, ordering):
        return UNKNOWN
    if reviewer == ordering:
        return SAME
    if any(reviewer in family and ordering in family for family in FAMILIES):
        return SIMILAR
    return DIFFERENT


@dataclass(frozen=True)
class PeerCheck:
    """What the state asks (`needs`: SAME, SIMILAR or "" for nothing) and whether the reviewer meets it."""

    needs: str
    match: str
    source: str = ""

    @property
    def required(self) -> bool:
        return bool(self.needs)

    @property
    def ok(self) -> bool:
        if not self.needs:
            return True
        return self.match == SAME or (self.needs == SIMILAR and self.match == SIMILAR)


def peer_check(*, state: str, urgency: str, reviewer: str, ordering: str) -> PeerCheck:
    """Return whether a reviewer of `reviewer`'s specialty meets the state's clinical-peer rule.

    A state with no rule (or a rule for expedited appeals only, on a standard one) needs
    nothing and is always met; a missing specialty on either side cannot be shown to match.
    """
    rule = PEER_RULES.get(state)
    match = specialty_match(reviewer, ordering)
    if rule is None or (rule.expedited_only and urgency != "expedited"):
        return PeerCheck(needs="", match=match)
    return PeerCheck(needs=rule.needs, match=match, source=rule.source)
