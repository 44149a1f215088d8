"""A year of decided requests whose figures are known by hand (see test_known_answers)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from bench.events import events_create
from priorauth.members.models import Member, Plan, ProviderOrganization, Role, User
from priorauth.policies.models import Product, ReviewQueue
from priorauth.requests.models import EventKind, PriorAuthRequest, RequestEvent, Status

HOUR = datetime.timedelta(hours=1)
FIRST_RECEIPT = datetime.datetime(2026, 2, 2, 14, 0, tzinfo=datetime.UTC)  # a Monday, 9:00 Eastern
DUE = {"standard": datetime.timedelta(days=15), "expedited": datetime.timedelta(hours=72)}


@dataclass
class World:
    service: Product  # NOC- code: a service by default
    drug: Product  # Q-code: a drug by default
    overridden_service: Product  # a J-code the administrator says is not a drug
    plans: dict[str, Plan]
    queues: dict[str, ReviewQueue]
    member: dict[str, Member]
    organization: ProviderOrganization
    staff: User
    count: int = 0


def world_create() -> World:
    plans = {
        state: Plan.objects.create(code=f"{state}-TEST", line_of_business="marketplace", state=state)
        for state in ("OH", "IN")
    }
    organization = ProviderOrganization.objects.create(
        name="Known Answers Oncology", npi="1234567893", tin="1"
    )
    return World(
        service=Product.objects.create(hcpcs="NOC-service", brand="Service", generic="s", category="til"),
        drug=Product.objects.create(hcpcs="Q9999", brand="Drug", generic="d", category="car_t"),
        overridden_service=Product.objects.create(
            hcpcs="J9998", brand="Overridden", generic="o", category="gene_therapy", cms_counts_as_drug=False
        ),
        plans=plans,
        queues={code: ReviewQueue.objects.create(code=code, name=code.title()) for code in ("cart", "genes")},
        member={
            state: Member.objects.create(
                member_id=f"{state}1",
                first_name="A",
                last_name="B",
                date_of_birth=datetime.date(1960, 1, 1),
                plan=plan,
            )
            for state, plan in plans.items()
        },
        organization=organization,
        staff=User.objects.create(
            username="known-staff", role=Role.PROVIDER_STAFF, organization=organization
        ),
    )


def decided(
    world: World,
    *,
    urgency: str,
    hours: float,
    outcome: str,
    product: Product | None = None,
    state: str = "OH",
    queue: str = "cart",
    extended: bool = False,
    appeal: str = "",
    first_receipt: datetime.datetime = FIRST_RECEIPT,
) -> PriorAuthRequest:
    """Return a request received, possibly extended, decided `hours` later, possibly appealed."""
    received = first_receipt + world.count * HOUR
    world.count += 1
    decided_at = received + hours * HOUR
    pa = PriorAuthRequest.objects.create(
        number=f"PA-K-{world.count:05d}",
        organization=world.organization,
        member=world.member[state],
        submitted_by=world.staff,
        status=appeal or ("approved" if outcome == EventKind.DEEMED_APPROVED else outcome),
        product=product or world.service,
        urgency=urgency,
        queue=world.queues[queue],
        plan_state=state,
        received_at=received,
        decided_at=decided_at,
        due_at=received + DUE[urgency],
        at_risk_at=received + DUE[urgency] * 3 / 4,
    )
    kind = EventKind.DEEMED_APPROVED if outcome == EventKind.DEEMED_APPROVED else EventKind.DETERMINED
    to_status = Status.APPROVED if kind == EventKind.DEEMED_APPROVED else outcome
    events = [RequestEvent(request=pa, kind=EventKind.SUBMITTED, to_status=Status.SUBMITTED, at=received)]
    if extended:
        events.append(RequestEvent(request=pa, kind=EventKind.EXTENDED, at=received + HOUR / 2))
    events.append(RequestEvent(request=pa, kind=kind, to_status=to_status, at=decided_at))
    if appeal:
        events.append(RequestEvent(request=pa, kind=EventKind.APPEAL_FILED, at=decided_at + 24 * HOUR))
        events.append(
            RequestEvent(
                request=pa, kind=EventKind.APPEAL_DECIDED, to_status=appeal, at=decided_at + 48 * HOUR
            )
        )
    events_create(events)
    return pa


def pended(pa: PriorAuthRequest, *, at: datetime.datetime, answered_after: float | None) -> None:
    events = [RequestEvent(request=pa, kind=EventKind.PENDED, to_status=Status.PENDED, at=at)]
    if answered_after is not None:
        events.append(
            RequestEvent(request=pa, kind=EventKind.INFORMATION_RECEIVED, at=at + answered_after * HOUR)
        )
    events_create(events)


def _standard(world: World) -> list[PriorAuthRequest]:
    made = []
    for i in range(1, 31):
        hours = 1000 if i == 30 else 10 * i
        outcome = (
            EventKind.DEEMED_APPROVED
            if i == 30
            else "approved"
            if i <= 20
            else "denied"
            if i <= 26
            else "partially_approved"
            if i <= 28
            else "modified"
        )
        appeal = {21: "approved", 22: "partially_approved", 23: "approved", 24: "denied"}.get(i, "")
        made.append(
            decided(
                world,
                urgency="standard",
                hours=hours,
                outcome=outcome,
                product=world.overridden_service if i == 29 else None,
                state="IN" if i % 2 else "OH",
                queue="cart" if i <= 15 else "genes",
                extended=i <= 12 or i == 21,
                appeal=appeal,
            )
        )
    return made


def known_year_create() -> World:
    """Return the world with the known-answers year in it (see test_known_answers)."""
    world = world_create()
    standard = _standard(world)
    for i in range(1, 26):
        outcome = "approved" if i <= 13 else "denied"
        decided(world, urgency="expedited", hours=100 if i == 25 else i, outcome=outcome)
    for _ in range(5):
        decided(world, urgency="standard", hours=5, outcome="approved", product=world.drug)
    for _ in range(2):
        decided(world, urgency="expedited", hours=2, outcome="denied", product=world.drug)
    later = datetime.datetime(2027, 1, 5, 14, 0, tzinfo=datetime.UTC)
    decided(world, urgency="standard", hours=3, outcome="denied", first_receipt=later)
    for pa, after in zip(standard, (2, 4, 12, None), strict=False):
        pended(pa, at=pa.received_at + HOUR / 4, answered_after=after)
    return world
