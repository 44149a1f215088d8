"""Reads about members for provider staff: the lookup and eligibility at a glance."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from priorauth.members.models import CoveragePeriod, Member
from priorauth.policies import vocab


def member_find(*, member_id: str, date_of_birth: datetime.date) -> Member | None:
    """Return the member with this ID and date of birth, or None.

    Both must match, so a member ID alone reveals nothing.
    """
    return (
        Member.objects.select_related("plan")
        .prefetch_related("coverage_periods")
        .filter(member_id__iexact=member_id.strip(), date_of_birth=date_of_birth)
        .first()
    )


@dataclass(frozen=True)
class Eligibility:
    member: Member
    plan_code: str
    plan_name: str
    line_of_business: str
    state: str
    periods: tuple[CoveragePeriod, ...]
    on: datetime.date | None
    active_period: CoveragePeriod | None

    @property
    def active(self) -> bool | None:
        """Return whether coverage is active on the date asked about; None when no date was asked."""
        return None if self.on is None else self.active_period is not None


def eligibility(member: Member, on: datetime.date | None) -> Eligibility:
    """Return the member's plan, state and coverage, and the period active on `on` if a date is given."""
    plan = member.plan
    return Eligibility(
        member=member,
        plan_code=plan.code,
        plan_name=plan.name or plan.code,
        line_of_business=vocab.LINES_OF_BUSINESS.get(plan.line_of_business, plan.line_of_business),
        state=vocab.US_STATES.get(plan.state, plan.state),
        periods=tuple(member.coverage_periods.all()),
        on=on,
        active_period=member.coverage_on(on) if on else None,
    )
