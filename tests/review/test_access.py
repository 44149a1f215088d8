"""Who reaches the review side: reviewers their queues' requests, supervisors all, others nothing."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from priorauth.requests import services
from priorauth.review.access import get_request_for_reviewer, reviewer_required
from priorauth.review.models import QueueAssignment
from tests.review.world import assign, claimed, member_in, seed, submitted  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("seed")


@reviewer_required
def reviewer_page(request):
    return HttpResponse("queue")


def visit(user):
    request = RequestFactory().get("/review/")
    request.user = user
    return reviewer_page(request)


@pytest.mark.parametrize("persona", ["nurse", "physician", "supervisor"])
def test_it_opens_reviewer_pages_to_reviewers(request, persona):
    assert visit(request.getfixturevalue(persona)).status_code == 200


@pytest.mark.parametrize("persona", ["provider_staff", "policy_admin"])
def test_it_answers_404_to_everyone_else(request, persona):
    with pytest.raises(Http404):
        visit(request.getfixturevalue(persona))


def test_it_sends_a_visitor_to_log_in():
    response = visit(AnonymousUser())
    assert response.status_code == 302 and "login" in response.url


def test_it_shows_a_reviewer_the_requests_in_their_queues(provider_staff, nurse):
    pa = submitted(provider_staff, "OH")
    with pytest.raises(Http404):
        get_request_for_reviewer(nurse, pa.pk)
    assign(nurse, pa)
    assert get_request_for_reviewer(nurse, pa.pk) == pa


def test_it_shows_a_reviewer_a_request_they_hold_after_leaving_its_queue(provider_staff, nurse):
    pa = claimed(nurse, submitted(provider_staff, "OH"))
    QueueAssignment.objects.filter(reviewer=nurse).delete()
    assert get_request_for_reviewer(nurse, pa.pk) == pa


def test_it_shows_a_supervisor_every_submitted_request(provider_staff, supervisor):
    pa = submitted(provider_staff, "GA")
    assert get_request_for_reviewer(supervisor, pa.pk) == pa


def test_it_hides_drafts_from_the_review_side(provider_staff, supervisor):
    draft = services.request_start(user=provider_staff, member=member_in("OH"), token=uuid.uuid4())
    with pytest.raises(Http404):
        get_request_for_reviewer(supervisor, draft.pk)


@pytest.mark.parametrize("persona", ["provider_staff", "policy_admin"])
def test_it_hides_requests_from_everyone_else(request, provider_staff, persona):
    pa = submitted(provider_staff, "OH")
    with pytest.raises(Http404):
        get_request_for_reviewer(request.getfixturevalue(persona), pa.pk)
