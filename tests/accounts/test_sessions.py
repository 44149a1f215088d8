"""Session limits: 15 minutes idle, 8 hours from sign-in, enforced by the server; cookie per browser."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.urls import reverse

from priorauth.accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT, Expiry, session_expiry
from tests.accounts.conftest import password_step

pytestmark = pytest.mark.sign_in

IDLE = 15 * 60
ABSOLUTE = 8 * 60 * 60
NOW = 1_800_000_000


@pytest.mark.parametrize(
    ("signed_in_ago", "seen_ago", "expected"),
    [
        (60, 0, None),
        (IDLE + 60, IDLE - 1, None),
        (IDLE, IDLE, Expiry.IDLE),
        (ABSOLUTE - 1, 30, None),
        (ABSOLUTE, 0, Expiry.ABSOLUTE),
        (ABSOLUTE + 1, IDLE + 1, Expiry.ABSOLUTE),
    ],
)
def test_it_decides_expiry_from_the_two_clocks(signed_in_ago, seen_ago, expected):
    session = {SIGNED_IN_AT: NOW - signed_in_ago, LAST_SEEN_AT: NOW - seen_ago}
    assert session_expiry(session, NOW) == expected


def test_it_treats_a_session_without_its_clocks_as_expired():
    assert session_expiry({}, NOW) == Expiry.ABSOLUTE


def test_it_uses_fifteen_minutes_idle_and_eight_hours_absolute():
    assert settings.SESSION_IDLE_SECONDS == IDLE
    assert settings.SESSION_ABSOLUTE_SECONDS == ABSOLUTE


@pytest.fixture
def signed_in(client, provider_staff):
    assert password_step(client, "olivia")["Location"] == "/"
    return client


def move_clocks(client, *, signed_in_ago: int, seen_ago: int) -> None:
    """Move the session's timestamps into the past, as if that time had passed."""
    session = client.session
    now = int(time.time())
    session[SIGNED_IN_AT] = now - signed_in_ago
    session[LAST_SEEN_AT] = now - seen_ago
    session.save()


def test_it_signs_out_a_session_idle_for_fifteen_minutes(signed_in):
    move_clocks(signed_in, signed_in_ago=IDLE + 5, seen_ago=IDLE + 1)
    response = signed_in.get("/requests/")
    assert response["Location"] == f"{reverse('login')}?next=/requests/"
    assert "_auth_user_id" not in signed_in.session
    page = signed_in.get(response["Location"]).content.decode()
    assert "signed out after 15 minutes without activity" in page


def test_it_keeps_a_session_alive_while_it_is_used(signed_in):
    move_clocks(signed_in, signed_in_ago=IDLE + 60, seen_ago=IDLE - 30)
    assert signed_in.get("/requests/").status_code == 200
    assert signed_in.session[LAST_SEEN_AT] >= int(time.time()) - 5


def test_it_signs_out_a_session_eight_hours_after_sign_in_however_active(signed_in):
    move_clocks(signed_in, signed_in_ago=ABSOLUTE + 1, seen_ago=10)
    response = signed_in.get("/requests/")
    assert response["Location"] == f"{reverse('login')}?next=/requests/"
    assert "a session lasts at most 8 hours" in signed_in.get(response["Location"]).content.decode()


def test_it_tells_the_warning_script_the_time_left_without_counting_the_question_as_activity(signed_in):
    move_clocks(signed_in, signed_in_ago=600, seen_ago=IDLE - 100)
    state = signed_in.get(reverse("accounts:session")).json()
    assert state["signed_in"] is True and 95 <= state["seconds_left"] <= 100
    assert signed_in.get(reverse("accounts:session")).json()["seconds_left"] <= 100


def test_it_keeps_the_session_alive_when_the_person_chooses_to_stay(signed_in):
    move_clocks(signed_in, signed_in_ago=600, seen_ago=IDLE - 100)
    state = signed_in.post(reverse("accounts:session")).json()
    assert state["signed_in"] is True and state["seconds_left"] >= IDLE - 5


def test_it_answers_the_warning_script_once_the_session_has_expired(signed_in):
    move_clocks(signed_in, signed_in_ago=IDLE + 5, seen_ago=IDLE + 1)
    assert signed_in.get(reverse("accounts:session")).json() == {"signed_in": False, "seconds_left": 0}
    assert "_auth_user_id" not in signed_in.session


def test_it_cannot_keep_alive_past_eight_hours(signed_in):
    move_clocks(signed_in, signed_in_ago=ABSOLUTE - 60, seen_ago=0)
    assert signed_in.post(reverse("accounts:session")).json()["seconds_left"] <= 60


def test_it_sets_a_session_cookie_that_the_browser_drops_when_it_closes(client, provider_staff):
    response = password_step(client, "olivia")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"]


def test_it_puts_the_idle_warning_on_signed_in_pages_only(client, signed_in):
    page = signed_in.get("/requests/").content.decode()
    assert 'role="alertdialog"' in page
    assert "js/session-timeout.js" in page
    assert 'data-warning-seconds="120"' in page
    signed_in.post(reverse("logout"))
    assert "alertdialog" not in signed_in.get("/").content.decode()
