"""Every URL pattern, for every role, answers the status the matrix (matrix.py) gives it.

The URL patterns come from the URL configuration itself, the admin's included, so a new page
without a row fails here. Each object URL names organization A's objects: a request, its
document, its letter, its member. All answers are collected once, on HTTPS as in production;
the tests read them and report every mismatch at once.
"""

from __future__ import annotations

import pytest

from tests.authorization import matrix
from tests.authorization.urls import Pattern, admin_model, all_patterns
from tests.authorization.world import COLUMNS

# The mark makes pytest-django set up the test database for the answers fixture (conftest.py).
pytestmark = pytest.mark.django_db


def expected_row(pattern: Pattern) -> matrix.Row | None:
    """Return the pattern's row: its own, else its admin model's; None when the matrix lacks it."""
    if pattern.key in matrix.EXPECTED:
        return matrix.EXPECTED[pattern.key]
    model = admin_model(pattern)
    if model is None or model._meta.label_lower not in matrix.ADMIN_MODELS:
        return None
    if pattern.name is None:
        return matrix.ADMIN_OBJECT_REDIRECT
    return matrix.ADMIN_MODELS[model._meta.label_lower]


def test_it_has_a_row_for_every_url_pattern():
    missing = [p.key for p in all_patterns() if expected_row(p) is None]
    assert not missing, "URL patterns missing from tests/authorization/matrix.py:\n  " + "\n  ".join(missing)


def test_it_lists_no_pattern_that_does_not_exist():
    keys = {p.key for p in all_patterns()}
    models = {m._meta.label_lower for p in all_patterns() if (m := admin_model(p)) is not None}
    assert not set(matrix.EXPECTED) - keys, "rows for URL patterns that no longer exist"
    assert not set(matrix.ADMIN_MODELS) - models, "rows for admin models that are no longer registered"


def test_it_gives_every_role_the_expected_status_on_every_url(answers):
    mismatches = []
    for pattern in all_patterns():
        row = expected_row(pattern)
        if row is None:
            continue  # test_it_has_a_row_for_every_url_pattern names it
        for column, expected in zip(COLUMNS, row, strict=True):
            answer = answers[pattern.key, column]
            if answer.status != expected:
                got = f"{answer.status}, expected {expected}"
                mismatches.append(f"{pattern.key} ({answer.url}) as {column}: {got}")
    assert not mismatches, f"{len(mismatches)} cells differ from the matrix:\n  " + "\n  ".join(mismatches)


def test_it_hides_organization_a_objects_from_organization_b(answers):
    # The sentence the matrix's staff_b column says, stated once: every object page is a 404.
    object_pages = [p for p in all_patterns() if p.kwargs and not p.key.startswith("admin")]
    for pattern in object_pages:
        if answers[pattern.key, "staff_a"].status == 200:
            assert answers[pattern.key, "staff_b"].status == 404, pattern.key
