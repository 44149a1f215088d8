"""The access log tests share the intake world, with a decided request and a privacy officer."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from priorauth.members.models import Member, Role, User
from priorauth.requests import services
from priorauth.requests.form_fields import check_uploads
from priorauth.requests.models import PriorAuthRequest
from priorauth.review.models import Determination, Outcome
from tests.conftest import make_user
from tests.requests.conftest import fast_passwords, media_root, member, pdf, records  # noqa: F401 (fixtures)


@pytest.fixture
def privacy_officer(db) -> User:
    return make_user("priya", Role.PRIVACY_OFFICER)


@pytest.fixture
def submitted(provider_staff: User, member: Member, records: dict[str, Any]) -> PriorAuthRequest:
    from tests.requests.conftest import car_t_details, start_draft

    pa = start_draft(provider_staff, member)
    uploads, _ = check_uploads([pdf()])
    services.request_save_draft(
        user=provider_staff, request_id=pa.pk, details=car_t_details(records), uploads=uploads
    )
    return services.request_submit(user=provider_staff, request_id=pa.pk, attested=True)


@pytest.fixture
def decided(submitted: PriorAuthRequest, physician: User) -> PriorAuthRequest:
    PriorAuthRequest.objects.filter(pk=submitted.pk).update(status=Outcome.APPROVED)
    Determination.objects.create(
        request=submitted, decided_by=physician, outcome=Outcome.APPROVED, decided_at=timezone.now()
    )
    return submitted
