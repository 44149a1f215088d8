"""The limits as a person meets them in the browser: a refused document, the 413 page; both pass axe."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, Route, expect

from priorauth import limits
from priorauth.members.models import User
from tests.browser.accessibility import assert_accessible
from tests.browser.helpers import (
    demo_member,
    find_member,
    log_in_as,
    save_screenshot,
    start_request,
)
from tests.requests.test_limits import zip_bomb_pdf

pytestmark = pytest.mark.browser

DATE_OF_SERVICE = datetime.date(timezone.localdate().year, 12, 15)
MEMBER = "OH-DEMO-0001"
STAFF = "staff_buckeye"


def test_a_pdf_that_inflates_past_the_limit_is_refused_next_to_the_field(
    page: Page, demo_world, tmp_path: Path
) -> None:
    bomb = tmp_path / "labs.pdf"
    bomb.write_bytes(zip_bomb_pdf())
    log_in_as(page, STAFF)
    member = demo_member(MEMBER)
    find_member(page, member, DATE_OF_SERVICE)
    start_request(page, member)
    expect(page.locator("#id_clinical_summary")).to_have_attribute("maxlength", str(limits.CLINICAL_SUMMARY))
    page.locator("#id_attachments").set_input_files([bomb])
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("labs.pdf expands to more than 50.0 MB when opened")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "limits-refused-document")


def test_the_upload_too_large_page_passes_axe(page: Page, demo_world) -> None:
    # A browser cannot be made to announce a 105 MB body it does not send: the page the server
    # answers is fetched here and given to the browser for the same URL.
    client = Client()
    client.force_login(User.objects.get(username=STAFF))
    answer = client.post("/requests/new/", {}, CONTENT_LENGTH=str(limits.REQUEST_DOCUMENT_BYTES * 2))
    assert answer.status_code == 413

    def fulfil(route: Route) -> None:
        route.fulfill(status=413, body=answer.content, content_type="text/html; charset=utf-8")

    page.route(re.compile(r".*/requests/too-large/$"), fulfil)
    page.goto("/requests/too-large/")
    expect(page.get_by_role("heading", name="The upload was too large")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "limits-upload-too-large")
