"""The letter benchmark: the worst letter the limits allow, rendered as a PDF, timed.

Worst case: a partial approval for an Indiana member (the longest notice: what is approved,
the denied part, alternatives, state rights) whose every text is at its limit and written as
one unbroken word, the case that made reportlab's layout quadratic before words were broken.
Built from unsaved rows: the rendering is measured, not the database.
"""

from __future__ import annotations

import datetime
import statistics
import time

from priorauth import limits
from priorauth.letters.content import build_letter
from priorauth.letters.pdf import render_pdf
from priorauth.members.models import Member, Plan, ProviderOrganization, Role, User
from priorauth.policies.models import Product
from priorauth.requests.models import PriorAuthRequest, Status
from priorauth.review.models import DenialCode, Determination, Outcome

# The target: no letter takes more than a second to render.
TARGET_MS = 1000.0


def worst_letter_rows() -> tuple[PriorAuthRequest, Determination]:
    """Return an unsaved request and determination with every letter text at its limit, unbroken."""
    day = datetime.date(2027, 1, 15)
    received = datetime.datetime(2026, 12, 1, 14, 0, tzinfo=datetime.UTC)
    plan = Plan(code="IN-MKT-SILVER-2026", name="Indiana Marketplace Silver", state="IN")
    member = Member(
        member_id="IN" + "9" * 28,
        first_name="W" * limits.NAME,
        last_name="W" * limits.NAME,
        date_of_birth=datetime.date(1961, 4, 21),
        plan=plan,
    )
    pa = PriorAuthRequest(
        pk=1,
        number="PA-2026-000001",
        member=member,
        organization=ProviderOrganization(name="O" * limits.NAME),
        product=Product(hcpcs="Q2041", brand="Yescarta", generic="axicabtagene ciloleucel", category="car_t"),
        category="car_t",
        date_of_service=day,
        ordering_name="N" * limits.NAME,
        ordering_npi="1234567893",
        facility_name="F" * limits.NAME,
        facility_npi="1234567893",
        urgency="standard",
        received_at=received,
        due_at=received + datetime.timedelta(days=15),
        status=Status.PARTIALLY_APPROVED,
    )
    determination = Determination(
        request=pa,
        outcome=Outcome.PARTIALLY_APPROVED,
        decided_by=User(username="physician", first_name="R", last_name="P", role=Role.PHYSICIAN_REVIEWER),
        decided_at=received + datetime.timedelta(days=3),
        approved_service="S" * limits.APPROVED_SERVICE,
        approved_units=20_000,
        approved_start=day,
        approved_end=day + datetime.timedelta(days=364),
        reason="R" * limits.REASON,
        criteria_policy="C" * limits.CRITERIA_POLICY,
        criteria_section="X" * limits.CRITERIA_SECTION,
        denial_code=DenialCode.NOT_MEDICALLY_NECESSARY,
        peer_to_peer_offered=True,
        peer_to_peer_instructions="P" * limits.PEER_TO_PEER_INSTRUCTIONS,
        alternatives="A" * limits.ALTERNATIVES,
    )
    return pa, determination


def measure(runs: int) -> tuple[float, float, int]:
    """Return the median and worst milliseconds of `runs` renderings, and the PDF's size in bytes."""
    pa, determination = worst_letter_rows()
    letter = build_letter(pa, determination)
    timings, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = len(render_pdf(letter))
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings), size


def report(median_ms: float, worst_ms: float, size: int, runs: int) -> str:
    verdict = "PASS" if worst_ms <= TARGET_MS else "MISS"
    return (
        f"worst-case letter PDF ({runs} renders, {size / 1024:.0f} KB): median {median_ms:.0f} ms, "
        f"slowest {worst_ms:.0f} ms; target at most {TARGET_MS:.0f} ms: {verdict}"
    )
