"""The criteria checklist on the review screen: shown, saved through its action, refused with a reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from priorauth.policies.models import Criterion
from priorauth.review.models import CriterionAssessment
from tests.review.test_checklists import GENERAL_CRITERIA, claim, document
from tests.review.world import assign, seed, submitted  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def pa(provider_staff):
    return submitted(provider_staff, "OH")


def posted(pa, **given: tuple[str, str, str]) -> dict[str, str]:
    """Return the checklist form's data: for criteria numbered 1 to 5, (mark, document id, note)."""
    data = {}
    for number, criterion in enumerate(Criterion.objects.order_by("position"), start=1):
        mark, doc, note = given.get(f"c{number}", ("", "", ""))
        pk = criterion.pk
        data |= {f"checklist-mark_{pk}": mark, f"checklist-document_{pk}": doc, f"checklist-note_{pk}": note}
    return data


def test_it_shows_the_holder_the_checklist_with_the_requests_documents(client, physician, pa):
    claim(physician, pa)
    document(pa, "pet-ct.pdf")
    client.force_login(physician)
    page = client.get(reverse("review:request", args=[pa.pk])).content.decode()
    assert 'id="checklist-action"' in page
    positions = [page.index(text.replace("'", "&#x27;")) for text in GENERAL_CRITERIA]
    assert positions == sorted(positions)
    assert page.count('data-testid="criterion"') == 5
    assert ">pet-ct.pdf</option>" in page


def test_it_saves_the_marks_posted_to_the_checklist_action(client, physician, pa):
    claim(physician, pa)
    report = document(pa)
    client.force_login(physician)
    data = posted(pa, c1=("met", str(report.pk), ""), c4=("not_met", "", "Two lines only."))
    response = client.post(reverse("review:act", args=[pa.pk, "checklist"]), data)
    assert response.status_code == 302
    saved = {a.criterion.position: (a.mark, a.document_id, a.note) for a in CriterionAssessment.objects.all()}
    assert saved == {0: ("met", report.pk, ""), 3: ("not_met", None, "Two lines only.")}


def test_it_shows_a_refused_checklist_with_its_message_and_keeps_the_input(client, physician, pa):
    claim(physician, pa)
    client.force_login(physician)
    data = posted(pa, c2=("unclear", "", "w" * 1001))
    response = client.post(reverse("review:act", args=[pa.pk, "checklist"]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#checklist-action"' in page
    assert "Ensure this value has at most 1000 characters" in page
    assert not CriterionAssessment.objects.exists()


def test_it_shows_a_reviewer_who_does_not_hold_the_request_the_marks_read_only(client, nurse, physician, pa):
    claim(physician, pa)
    client.force_login(physician)
    client.post(reverse("review:act", args=[pa.pk, "checklist"]), posted(pa, c3=("not_met", "", "")))
    client.force_login(nurse)
    assign(nurse, pa)
    page = client.get(reverse("review:request", args=[pa.pk])).content.decode()
    assert 'id="checklist"' in page and 'id="checklist-action"' not in page
    assert page.count('data-testid="criterion-mark"') == 5
    assert "Not met" in page


def test_it_shows_no_checklist_for_a_policy_with_no_criteria(client, physician, pa):
    Criterion.objects.all().delete()
    claim(physician, pa)
    client.force_login(physician)
    page = client.get(reverse("review:request", args=[pa.pk])).content.decode()
    assert 'id="checklist"' not in page
    response = client.post(reverse("review:act", args=[pa.pk, "checklist"]), {})
    assert "has no criteria checklist" in response.content.decode()
