"""Persona fixtures: one person per role, so permission tests read as sentences."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from priorauth.celery import app as celery_app
from priorauth.members.models import ProviderOrganization, Role, User
from priorauth.members.roles import assign_role, second_factor_required

PASSWORD = "correct-horse-battery-staple"


def make_user(username: str, role: Role, organization: ProviderOrganization | None = None) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", organization=organization
    )
    assign_role(user, role)
    return user


@pytest.fixture
def organization(db) -> ProviderOrganization:
    return ProviderOrganization.objects.create(name="Buckeye Oncology", npi="1234567893", tin="311234567")


@pytest.fixture
def other_organization(db) -> ProviderOrganization:
    return ProviderOrganization.objects.create(
        name="Peach State Hematology", npi="1245319599", tin="581234567"
    )


@pytest.fixture
def provider_staff(organization) -> User:
    return make_user("olivia", Role.PROVIDER_STAFF, organization)


@pytest.fixture
def other_staff(other_organization) -> User:
    return make_user("stranger", Role.PROVIDER_STAFF, other_organization)


@pytest.fixture
def nurse(db) -> User:
    return make_user("nina", Role.CLINICAL_REVIEWER)


@pytest.fixture
def physician(db) -> User:
    return make_user("dr_patel", Role.PHYSICIAN_REVIEWER)


@pytest.fixture
def supervisor(db) -> User:
    return make_user("sam", Role.SUPERVISOR)


@pytest.fixture
def policy_admin(db) -> User:
    return make_user("paula", Role.POLICY_ADMIN)


@pytest.fixture(autouse=True)
def _nothing_cached_from_another_test() -> None:
    # The pages keep computed figures (metrics) in Django's cache, which outlives a test's
    # database: a test reads the figures of its own rows, never those another test left.
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # Hashing strength is Django's concern, not ours: keep persona creation quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_in_process_unless_marked_redis(request) -> Iterator[None]:
    # With REDIS_URL set (CI), tasks would go to the broker with no worker to run them; only
    # tests marked `redis` start a real worker. Every other test runs its tasks in-process.
    if request.node.get_closest_marker("redis"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous


def second_factor_verify(client: Client, user: User) -> None:
    """Mark the client's signed-in session verified by the user's authenticator, as if the code
    had been typed; the authenticator is created when the role requires one and has none."""
    if second_factor_required(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "test"})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


@pytest.fixture(autouse=True)
def _signed_in_past_the_second_factor(request) -> Iterator[None]:
    """Make the test client's sign-in a whole one, second factor included, for other features' tests.

    `client.force_login(user)` and `client.login(username=..., password=...)` then give a session
    verified by the user's authenticator (created for them if their role requires one), as if
    they had typed the code: tests of intake, review or letters start signed in, as a person
    would be. `client.login` still checks the password, through django-axes (which needs the
    request Django's test client does not pass). The sign-in itself (password, code, set-up,
    lockout, session limits) is tested through the real forms in tests/accounts, whose tests
    are marked `sign_in` and get Django's test client unchanged.
    """
    if request.node.get_closest_marker("sign_in"):
        yield
        return
    plain_login = Client._login

    def _login(self: Client, user: User, backend: str | None = None) -> None:
        plain_login(self, user, backend)
        second_factor_verify(self, user)

    def login(self: Client, **credentials: str) -> bool:
        signing_in = HttpRequest()
        signing_in.META["REMOTE_ADDR"] = "127.0.0.1"
        user = authenticate(signing_in, **credentials)
        if user is None:
            return False
        self._login(user)
        return True

    # A patcher of its own: a test's `monkeypatch.undo()` must not undo this one.
    with pytest.MonkeyPatch.context() as patcher:
        patcher.setattr(Client, "_login", _login)
        patcher.setattr(Client, "login", login)
        yield


@pytest.fixture(autouse=True)
def _access_log_emptied_before_flush(request) -> Iterator[None]:
    # A transactional test ends with a flush (DELETE FROM every table, on SQLite), which the PHI
    # access log's triggers refuse, as they should. Those tests empty the log themselves first.
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")  # set up first, so torn down after this
    yield
    from tests.audit.purge import purge_access_log

    purge_access_log()
