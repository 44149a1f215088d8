"""A request from an EHR is the organization's: its office staff hear of it, not the API client's account."""

from __future__ import annotations

from priorauth.notifications.models import Event, Notification
from priorauth.requests.models import PriorAuthRequest
from priorauth.review.determinations import determination_record
from tests.pas.bundles import submit_bundle
from tests.review.world import claimed, denial


def _told(event: str) -> set[str]:
    return set(Notification.objects.filter(event=event).values_list("recipient__username", flat=True))


def test_office_staff_hear_of_the_submission_and_the_decision(
    ehr, member, physician, provider_staff, other_staff
):
    ehr.submit(submit_bundle(member_id=member.member_id))
    pa = PriorAuthRequest.objects.get()
    assert not pa.submitted_by.is_active
    assert _told(Event.SUBMITTED) == {provider_staff.username}
    determination_record(user=physician, request_id=claimed(physician, pa).pk, **denial())
    assert _told(Event.DETERMINED) == {provider_staff.username}
    assert not Notification.objects.filter(recipient=pa.submitted_by).exists()
