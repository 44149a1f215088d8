"""The letter tests share the intake tests' world: seed records, a member, media in a temporary folder."""

from tests.requests.conftest import fast_passwords, media_root, member, records  # noqa: F401 (fixtures)
