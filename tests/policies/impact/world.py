"""The impact preview's world: a prepared set of requests, submitted through the intake services.

Open: three Yescarta (CAR-T) requests in Ohio (queue mn-car-t), two Zolgensma (gene therapy)
in Georgia (mn-gene-therapy), one Provenge (cell therapy) in West Virginia (mn-general).
Closed: one Ohio Yescarta request received today and approved (within the last 90 days) and one
received 200 days ago (outside them).
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from priorauth.members.models import User
from priorauth.policies.models import Product
from priorauth.requests.models import PriorAuthRequest, Status
from tests.review.world import seed, submitted  # noqa: F401  (fixtures used by name)


@pytest.fixture
def prepared(seed, provider_staff: User) -> dict[str, list[PriorAuthRequest]]:
    yescarta = [submitted(provider_staff, "OH") for _ in range(3)]
    zolgensma = [
        submitted(provider_staff, "GA", product=Product.objects.get(hcpcs="J3399")) for _ in range(2)
    ]
    provenge = [submitted(provider_staff, "WV", product=Product.objects.get(hcpcs="Q2043"))]
    recent, old = submitted(provider_staff, "OH"), submitted(provider_staff, "OH")
    PriorAuthRequest.objects.filter(pk=recent.pk).update(status=Status.APPROVED)
    PriorAuthRequest.objects.filter(pk=old.pk).update(
        status=Status.APPROVED, received_at=timezone.now() - datetime.timedelta(days=200)
    )
    return {"yescarta": yescarta, "zolgensma": zolgensma, "provenge": provenge, "closed": [recent, old]}
