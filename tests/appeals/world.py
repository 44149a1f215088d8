"""The appeals tests' world: adverse determinations to appeal, and an independent physician."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from priorauth.appeals import services
from priorauth.appeals.models import Appeal
from priorauth.members.models import Role, User
from priorauth.policies.models import ReviewQueue
from priorauth.requests.models import PriorAuthRequest
from priorauth.review.models import QueueAssignment
from priorauth.review.services import determination_record
from tests.conftest import make_user
from tests.review.world import DATE_OF_SERVICE, claimed, denial, submitted


def decided(staff: User, physician: User, state: str, **changes: Any) -> PriorAuthRequest:
    """Return a request in `state` denied (or as `changes` say) by `physician`."""
    pa = claimed(physician, submitted(staff, state))
    arguments = denial(alternatives="Tisagenlecleucel, if the ECOG score improves.", **changes)
    determination_record(user=physician, request_id=pa.pk, **arguments)
    pa.refresh_from_db()
    return pa


def works_appeals(user: User) -> User:
    QueueAssignment.objects.get_or_create(reviewer=user, queue=ReviewQueue.objects.get(code="appeals"))
    return user


@pytest.fixture
def appeal_physician(db) -> User:
    """A physician who works the Appeals queue and took no part in any first decision."""
    user = make_user("dr_lindqvist", Role.PHYSICIAN_REVIEWER)
    user.specialty = "hematology_oncology"
    user.save()
    return works_appeals(user)


def filed(staff: User, pa: PriorAuthRequest, **changes: Any) -> Appeal:
    arguments: dict[str, Any] = {
        "user": staff,
        "request_id": pa.pk,
        "member_consents": True,
        "reason": "The new ECOG assessment (attached) shows a score of 1.",
        "ordering_specialty": "hematology_oncology",
    }
    arguments.update(changes)
    return services.appeal_file(**arguments)


def overturn(**changes: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "outcome": "overturned",
        "rationale": "The repeat assessment shows ECOG 1: the criteria are met.",
        "approval": services.Approval(
            "Yescarta (Q2041)", 1, DATE_OF_SERVICE, DATE_OF_SERVICE + datetime.timedelta(days=30)
        ),
    }
    arguments.update(changes)
    return arguments
