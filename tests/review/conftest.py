"""The review tests share the intake tests' world: seed records, a member, media in a temporary folder."""

from tests.requests.conftest import (  # noqa: F401 (fixtures)
    draft,
    fast_passwords,
    media_root,
    member,
    records,
)
