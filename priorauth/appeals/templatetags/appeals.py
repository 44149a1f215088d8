"""Template tags that show appeals on pages other packages own (they cannot import this one).

`{% appeal_panel pa %}` on the provider's request page: the request's appeals, and the way to
file one while the window is open. `{% appeals_summary %}` on a reviewer's queues page: the
open appeals of the queues they work.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from priorauth.appeals import rules, selectors, services
from priorauth.policies import vocab
from priorauth.requests.models import PriorAuthRequest

register = template.Library()


@register.inclusion_tag("appeals/_panel.html")
def appeal_panel(pa: PriorAuthRequest) -> dict[str, Any]:
    appeals = selectors.appeals_of(pa)
    determination = getattr(pa, "determination", None)
    can_file, last_day = False, None
    if determination is not None and determination.is_adverse:
        zone = vocab.state_time_zone(pa.plan_state or pa.member.plan.state)
        last_day = rules.last_filing_day(determination.decided_at, zone=zone)
        open_one = any(appeal.is_open for appeal in appeals)
        can_file = not open_one and not services.appeal_window_problem(pa, determination, timezone.now())
    return {"pa": pa, "appeals": appeals, "can_file": can_file, "last_day": last_day}


@register.inclusion_tag("appeals/_summary.html", takes_context=True)
def appeals_summary(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    now = timezone.now()
    rows = selectors.rows(selectors.open_appeals(user)[:5], now)
    total = selectors.open_appeals(user).count()
    return {"rows": rows, "total": total, "works_appeals": services.works_appeals(user)}


@register.simple_tag
def overturning_appeal(pa: PriorAuthRequest) -> Any:
    """Return the appeal whose decision is the request's current one (None if none is).

    An overturned or partly overturned appeal changes the request's status but not its
    determination, which stays the first (adverse) decision; a later determination (a
    peer-to-peer change) replaces the appeal's decision again.
    """
    return services.current_overturn(pa, selectors.appeals_of(pa))
