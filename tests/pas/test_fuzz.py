"""Mutated Bundles thrown at $submit: always a 200 or a 4xx, never a server error."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.pas.bundles import submit_bundle

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**12),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=2),
    st.just({}),
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _mutated(bundle, path, value, delete):
    bundle = copy.deepcopy(bundle)
    if not path:
        return value
    parent = bundle
    for step in path[:-1]:
        parent = parent[step]
    if delete and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return bundle


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_it_never_answers_a_server_error(ehr, member, data):
    bundle = submit_bundle(member_id=member.member_id, claim_id="FUZZ-1")
    paths = list(_paths(bundle))
    path = data.draw(st.sampled_from(paths))
    mutated = _mutated(bundle, path, data.draw(VALUES), data.draw(st.booleans()))
    answer = ehr.submit(mutated)
    assert answer.status_code == 200 or 400 <= answer.status_code < 500, answer.content[:300]
