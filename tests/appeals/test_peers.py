"""The clinical-peer rule, a pure function: which states ask, and what matches."""

from __future__ import annotations

import pytest

from priorauth.appeals.peers import DIFFERENT, SAME, SIMILAR, UNKNOWN, peer_check, specialty_match


@pytest.mark.parametrize(
    ("reviewer", "ordering", "match"),
    [
        ("hematology_oncology", "hematology_oncology", SAME),
        ("hematology_oncology", "medical_oncology", SIMILAR),
        ("transplant_cellular_therapy", "hematology", SIMILAR),
        ("neurology", "child_neurology", SIMILAR),
        ("ophthalmology", "hematology_oncology", DIFFERENT),
        ("", "hematology", UNKNOWN),
        ("other", "other", UNKNOWN),
    ],
)
def test_specialty_match(reviewer, ordering, match):
    assert specialty_match(reviewer, ordering) == match


@pytest.mark.parametrize(
    ("state", "urgency", "reviewer", "ordering", "required", "ok"),
    [
        # Indiana: the same specialty (IC 27-1-37.5): a similar one is not enough.
        ("IN", "standard", "medical_oncology", "medical_oncology", True, True),
        ("IN", "standard", "hematology_oncology", "medical_oncology", True, False),
        ("IN", "standard", "", "medical_oncology", True, False),
        # Ohio: the same or a similar specialty (ORC 1751.72).
        ("OH", "standard", "hematology_oncology", "medical_oncology", True, True),
        ("OH", "standard", "ophthalmology", "medical_oncology", True, False),
        # West Virginia: for expedited reviews only (114 CSR 96-7.4).
        ("WV", "standard", "ophthalmology", "medical_oncology", False, True),
        ("WV", "expedited", "ophthalmology", "medical_oncology", True, False),
        # Georgia: no specialty test.
        ("GA", "expedited", "ophthalmology", "medical_oncology", False, True),
    ],
)
def test_peer_check(state, urgency, reviewer, ordering, required, ok):
    check = peer_check(state=state, urgency=urgency, reviewer=reviewer, ordering=ordering)
    assert (check.required, check.ok) == (required, ok)
