"""The label check as the request pages show it: the request's facts read for the pure check.

A hint beside the request, never a decision: nothing here routes, pends or decides.
"""

from __future__ import annotations

from priorauth.policies.label import LabelCheck, LabelFacts, age_in_months, label_check
from priorauth.requests.models import PriorAuthRequest


def label_check_for(pa: PriorAuthRequest) -> LabelCheck | None:
    """Return the label check of a request with a product and a diagnosis, else None.

    The member's age is taken on the date of service; with no date of service yet it is unknown,
    and an age the label asks about makes the check unclear rather than wrong.
    """
    if pa.product is None or not pa.diagnoses:
        return None
    born = pa.member.date_of_birth
    facts = LabelFacts(
        diagnoses=tuple(pa.diagnoses),
        age_months=age_in_months(born, pa.date_of_service) if pa.date_of_service else None,
        prior_lines=pa.prior_lines_of_therapy,
    )
    return label_check(pa.product.labeled_indications, facts)
