"""The letter in a real browser, in English and in Spanish: the language switch, the taglines
each drawn in its own script and marked with its language, and axe-core on both pages."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from priorauth.members.models import User
from priorauth.requests.models import PriorAuthRequest, Status
from priorauth.review.models import DenialCode, Determination, Outcome
from tests.browser.helpers import (
    CarTRequest,
    assert_accessible,
    demo_member,
    log_in_as,
    save_screenshot,
    submit_car_t_request,
)

pytestmark = pytest.mark.browser

DATE_OF_SERVICE = datetime.date(timezone.localdate().year, 12, 15)
MEMBER = "OH-DEMO-0001"  # Ohio: its 15 tagline languages include Arabic (right to left), Chinese, Nepali
STAFF = "staff_buckeye"
REASON = "The records show active central nervous system lymphoma."


def deny(pk: int) -> None:
    """Record a physician's denial directly: the review screens have their own browser tests."""
    PriorAuthRequest.objects.filter(pk=pk).update(status=Status.DENIED)
    Determination.objects.create(
        request_id=pk,
        decided_by=User.objects.get(username="physician"),
        decided_at=timezone.now(),
        outcome=Outcome.DENIED,
        reason=REASON,
        criteria_policy="MP-CAR-T-001",
        criteria_section="D.2.c",
        denial_code=DenialCode.NOT_MEDICALLY_NECESSARY,
        peer_to_peer_offered=True,
    )


def glyphs_drawn(page: Page, lang: str) -> bool:
    """Return whether the tagline's web font is loaded (its own glyphs, not the fallback's boxes)."""
    return page.evaluate(
        """(lang) => {
            const item = document.querySelector(`[data-testid=tagline][lang="${lang}"]`);
            const family = getComputedStyle(item).fontFamily.split(",")[0];
            return document.fonts.check(`16px ${family}`, item.textContent);
        }""",
        lang,
    )


def test_it_shows_the_letter_in_english_and_in_spanish_with_every_tagline_in_its_own_language(
    page: Page, demo_world
) -> None:
    log_in_as(page, STAFF)
    pk = submit_car_t_request(page, demo_member(MEMBER), CarTRequest(date_of_service=DATE_OF_SERVICE))
    deny(pk)

    page.goto(f"/letters/{pk}/")
    letter = page.locator("[data-testid=letter]")
    expect(letter).to_have_attribute("lang", "en")
    expect(page.locator("[data-testid=letter-headline]")).to_have_text("Your request is denied.")
    taglines = page.locator("[data-testid=tagline]")
    expect(taglines).to_have_count(15)
    expect(page.locator("[data-testid=tagline][lang=ar]")).to_have_attribute("dir", "rtl")
    expect(page.locator("[data-testid=letter-nondiscrimination]")).to_contain_text("Office for Civil Rights")
    page.evaluate("document.fonts.ready")
    for lang in ["ar", "zh-Hant", "ne", "ja", "ko", "ru"]:
        assert glyphs_drawn(page, lang), lang
    assert_accessible(page)
    save_screenshot(page, "letter-english")

    page.get_by_role("navigation", name="Letter language").get_by_role("link", name="Español").click()
    expect(letter).to_have_attribute("lang", "es")
    expect(page.locator("[data-testid=letter-headline]")).to_have_text("Su solicitud está denegada.")
    expect(page.get_by_role("heading", name="Por qué tomamos esta decisión")).to_be_visible()
    expect(page.get_by_role("heading", name="Why we made this decision")).to_have_count(0)
    expect(page.locator("[data-testid=tagline]").first).to_have_attribute("lang", "en")
    expect(page.locator("[data-testid=letter-pdf]")).to_have_attribute("href", f"/letters/{pk}/pdf/?lang=es")
    assert_accessible(page)
    save_screenshot(page, "letter-spanish")
