"""One world for the authorization matrix: a person per role and organization A's objects.

Organization A's office staff submitted three requests for one member: a draft, one pended
for information (by the nurse) and one denied (by the physician, with a document and a
letter). Organization B's staff have nothing of their own, so every object URL tests whether
B reaches A's data. Built through the services, as the app builds them.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import pathlib
import tempfile
import uuid
from dataclasses import dataclass

from axes.models import AccessFailureLog
from django.contrib.auth import authenticate
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.utils import timezone

from priorauth.appeals import services as appeal_services
from priorauth.appeals.models import Appeal
from priorauth.members.models import ProviderOrganization, Role, User
from priorauth.notifications.models import Notification
from priorauth.pas.services import api_client_create
from priorauth.pas.subscriptions.models import Subscription
from priorauth.policies.models import ReviewQueue
from priorauth.policies.services import bundle_import
from priorauth.requests import services
from priorauth.requests.models import Attachment, PriorAuthRequest
from priorauth.review import services as review
from priorauth.review.determinations import determination_record
from priorauth.review.models import QueueAssignment
from tests.browser.helpers import write_pdf
from tests.conftest import PASSWORD, make_user
from tests.review.world import BUNDLE, car_t, claimed, denial, member_in

# The matrix's columns, in its order: (column name, role, organization "a", "b" or None).
PERSONAS: list[tuple[str, Role | None, str | None]] = [
    ("anonymous", None, None),
    ("staff_a", Role.PROVIDER_STAFF, "a"),
    ("staff_b", Role.PROVIDER_STAFF, "b"),
    ("nurse", Role.CLINICAL_REVIEWER, None),
    ("physician", Role.PHYSICIAN_REVIEWER, None),
    ("supervisor", Role.SUPERVISOR, None),
    ("policy", Role.POLICY_ADMIN, None),
    ("enrollment", Role.ENROLLMENT_ADMIN, None),
    ("privacy", Role.PRIVACY_OFFICER, None),
    ("superuser", None, None),
]
COLUMNS = [name for name, _, _ in PERSONAS]


@dataclass
class World:
    users: dict[str, User]
    draft: PriorAuthRequest
    pended: PriorAuthRequest
    decided: PriorAuthRequest
    attachment: Attachment
    notification: Notification
    assignment: QueueAssignment
    appeal: Appeal
    subscription: Subscription


def _organizations() -> dict[str, ProviderOrganization]:
    create = ProviderOrganization.objects.create
    return {
        "a": create(name="Buckeye Oncology", npi="1234567893", tin="311234567"),
        "b": create(name="Peach State Hematology", npi="1245319599", tin="581234567"),
    }


def _users() -> dict[str, User]:
    organizations = _organizations()
    users: dict[str, User] = {}
    for name, role, organization in PERSONAS:
        if role is not None:
            users[name] = make_user(name, role, organizations[organization] if organization else None)
    users["superuser"] = User.objects.create_superuser("superuser", "root@example.org", PASSWORD)
    return users


def _submitted(staff: User, *, with_document: bool = False) -> PriorAuthRequest:
    pa = services.request_start(user=staff, member=member_in("OH"), token=uuid.uuid4())
    uploads = []
    if with_document:
        body = write_pdf_bytes()
        upload = SimpleUploadedFile("pathology.pdf", body, content_type="application/pdf")
        uploads = [services.Upload(upload, "application/pdf", hashlib.sha256(body).hexdigest())]
    services.request_save_draft(user=staff, request_id=pa.pk, details=car_t(), uploads=uploads)
    return services.request_submit(user=staff, request_id=pa.pk, attested=True)


def _failed_sign_in() -> None:
    """Record a failed sign-in (wrong password) for the sign-in records' admin pages."""
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "198.51.100.1"
    assert authenticate(request, username="staff_b", password="not-the-password") is None
    AccessFailureLog.objects.create(
        username="staff_b", ip_address="198.51.100.1", user_agent="", http_accept="", path_info="/"
    )


def write_pdf_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return write_pdf(pathlib.Path(folder) / "doc.pdf").read_bytes()


def build() -> World:
    """Return the world, written to the database (the caller rolls it back)."""
    bundle_import(data=json.loads(BUNDLE.read_text()))
    users = _users()
    staff = users["staff_a"]
    draft = services.request_start(user=staff, member=member_in("OH"), token=uuid.uuid4())
    pended = claimed(users["nurse"], _submitted(staff))
    review.review_pend(
        user=users["nurse"],
        request_id=pended.pk,
        needed="The most recent PET-CT report.",
        respond_by=timezone.now() + datetime.timedelta(days=60),
    )
    decided = claimed(users["physician"], _submitted(staff, with_document=True))
    determination_record(user=users["physician"], request_id=decided.pk, **denial())
    QueueAssignment.objects.get_or_create(reviewer=users["supervisor"], queue_id=decided.queue_id)
    _failed_sign_in()
    ehr = api_client_create(organization_npi=staff.organization.npi, name="EHR of organization A").client
    subscription = Subscription.objects.create(
        api_client=ehr, status="active", endpoint="https://ehr.example.org/notify", org_identifier="-"
    )
    appeal = _appealed(staff, decided, users["physician"])
    return World(
        users=users,
        draft=draft,
        pended=PriorAuthRequest.objects.get(pk=pended.pk),
        decided=PriorAuthRequest.objects.get(pk=decided.pk),
        attachment=Attachment.objects.get(request=decided),
        notification=Notification.objects.filter(recipient=staff).first() or Notification.objects.first(),
        assignment=QueueAssignment.objects.get(reviewer=users["nurse"], queue_id=decided.queue_id),
        appeal=appeal,
        subscription=subscription,
    )


def _appealed(staff: User, decided: PriorAuthRequest, physician: User) -> Appeal:
    """Return an appeal of the decided request, upheld by an appeals physician (not a column).

    The matrix's physician, who made the first decision, works the Appeals queue too: they may
    read the appeal, never decide it.
    """
    appeal = appeal_services.appeal_file(
        user=staff, request_id=decided.pk, member_consents=True, reason="New ECOG assessment."
    )
    queue = ReviewQueue.objects.get(code="appeals")
    QueueAssignment.objects.get_or_create(reviewer=physician, queue=queue)
    appeals_doc = make_user("appeals_doc", Role.PHYSICIAN_REVIEWER)
    QueueAssignment.objects.get_or_create(reviewer=appeals_doc, queue=queue)
    return appeal_services.appeal_decide(
        user=appeals_doc,
        appeal_id=appeal.pk,
        outcome="upheld",
        rationale="The criteria are still not met.",
        mismatch_confirmed=True,
    )
