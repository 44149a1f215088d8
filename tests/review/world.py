"""The review tests' world: the seed bundle's records, members in each state, submitted requests.

Requests are built through the intake services, so they carry what submission stores (the
matching timeframe rules, the due rule, the at-risk time). Import the fixtures by name.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import pathlib
import uuid
from typing import Any

import pytest

from priorauth.members.models import CoveragePeriod, Member, Plan, Role, User
from priorauth.policies.models import Product
from priorauth.policies.services import bundle_import
from priorauth.requests import services
from priorauth.requests.models import PriorAuthRequest
from priorauth.review import services as review
from priorauth.review.checklists import MarkInput, checklist_rows, checklist_save
from priorauth.review.models import QueueAssignment
from tests.conftest import make_user

BUNDLE = pathlib.Path(__file__).resolve().parents[2] / "policies" / "mp-ad-1623.bundle.json"
DATE_OF_SERVICE = datetime.date(2027, 1, 15)
# A Monday in June 2026, with no holiday in the weeks after it.
MONDAY = datetime.datetime(2026, 6, 1, 14, 0, tzinfo=datetime.UTC)


@pytest.fixture
def seed(db) -> None:
    bundle_import(data=json.loads(BUNDLE.read_text()))


@pytest.fixture
def other_nurse(db) -> User:
    return make_user("noah", Role.CLINICAL_REVIEWER)


@pytest.fixture
def other_physician(db) -> User:
    return make_user("dr_okafor", Role.PHYSICIAN_REVIEWER)


def member_in(state: str) -> Member:
    """Return a member of the state's Marketplace Silver plan, covered through 2027."""
    member, created = Member.objects.get_or_create(
        member_id=f"{state}2000001",
        defaults={
            "first_name": "Ada",
            "last_name": "Lovelace",
            "date_of_birth": datetime.date(1961, 4, 21),
            "plan": Plan.objects.get(code=f"{state}-MKT-SILVER-2026"),
        },
    )
    if created:
        CoveragePeriod.objects.create(
            member=member, start=datetime.date(2026, 1, 1), end=datetime.date(2027, 12, 31)
        )
    return member


def car_t(**changes: Any) -> dict[str, Any]:
    """Return a complete Yescarta request's intake details."""
    details = {
        "product": Product.objects.get(hcpcs="Q2041"),
        "diagnoses": ["C83.30"],
        "date_of_service": DATE_OF_SERVICE,
        "ordering_name": "Dr. Grace Hopper",
        "ordering_npi": "1234567893",
        "rendering_npi": "1245319599",
        "facility_name": "Buckeye Cancer Center",
        "facility_npi": "1234567893",
        "facility_accreditation": "fact",
        "urgency": "standard",
        "clinical_summary": "DLBCL, relapsed after 2 lines.",
        "prior_lines_of_therapy": 2,
        "ecog": 1,
        "active_cns_disease": False,
        "active_infection": False,
        "prior_car_t_or_gene_therapy": False,
    }
    details.update(changes)
    return details


def submitted(staff: User, state: str, **changes: Any) -> PriorAuthRequest:
    """Return a Yescarta request submitted now for a member in `state`, routed to its queue."""
    pa = services.request_start(user=staff, member=member_in(state), token=uuid.uuid4())
    services.request_save_draft(user=staff, request_id=pa.pk, details=car_t(**changes))
    return services.request_submit(user=staff, request_id=pa.pk, attested=True)


def assign(reviewer: User, pa: PriorAuthRequest) -> None:
    QueueAssignment.objects.get_or_create(reviewer=reviewer, queue_id=pa.queue_id)


def claimed(reviewer: User, pa: PriorAuthRequest) -> PriorAuthRequest:
    """Return the request claimed by the reviewer, who is assigned to its queue first.

    Its criteria checklist is worked (`checklist_worked`), so either decision may be recorded,
    unless the reviewer may not decide it (their own escalation, say): tests of that refusal follow.
    """
    assign(reviewer, pa)
    claimed = review.review_claim(user=reviewer, request_id=pa.pk)
    with contextlib.suppress(review.ReviewError):
        checklist_worked(reviewer, claimed)
    return claimed


def checklist_worked(reviewer: User, pa: PriorAuthRequest) -> None:
    """Mark the request's criteria checklist so that an approval and a denial are both allowed.

    The first criterion is not met but explained in its note (an approval may go without it, a
    denial names it); the others are met. A request with no checklist is left as it is.
    """
    rows = checklist_rows(pa)
    marks = {
        row.criterion.pk: MarkInput(mark="met")
        if number
        else MarkInput(mark="not_met", note="Records do not show it; approved on the peer-to-peer call.")
        for number, row in enumerate(rows)
    }
    if marks:
        checklist_save(user=reviewer, request_id=pa.pk, marks=marks)


def denial(**changes: Any) -> dict[str, Any]:
    """Return a complete denial's arguments for `determination_record`."""
    arguments = {
        "outcome": "denied",
        "reason": "Your records show an ECOG score of 3; the criteria require 0 or 1.",
        "criteria_policy": "MP-MM-1234 Axicabtagene ciloleucel (Yescarta)",
        "criteria_section": "A.2.c",
        "denial_code": "MN01",
        "peer_to_peer_offered": True,
        "peer_to_peer_instructions": "Call 1-800-555-0100 within 14 days to speak with the reviewer.",
    }
    arguments.update(changes)
    return arguments


def approval(**changes: Any) -> dict[str, Any]:
    """Return a complete approval's arguments for `determination_record`."""
    arguments = {
        "outcome": "approved",
        "approved_service": "Yescarta (Q2041)",
        "approved_units": 1,
        "approved_start": DATE_OF_SERVICE,
        "approved_end": DATE_OF_SERVICE + datetime.timedelta(days=30),
    }
    arguments.update(changes)
    return arguments
