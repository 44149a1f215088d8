"""POST /fhir/Subscription with elements of the wrong JSON type: a 400 naming where, nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from priorauth.pas.subscriptions.models import Subscription
from priorauth.pas.subscriptions.resource import FILTER_CRITERIA
from tests.pas.subscriptions.conftest import subscribe, subscription_resource

pytestmark = pytest.mark.django_db

FILTER = "Subscription._criteria.extension"
PAYLOAD = "Subscription.channel._payload.extension"


def _set(resource: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """Return the resource with the element at `path` (keys and list indexes) replaced by `value`."""
    parent: Any = resource
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return resource


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        (("_criteria", "extension"), 5, FILTER),
        (("_criteria", "extension"), True, FILTER),
        (("_criteria", "extension"), "org-identifier=1", FILTER),
        (("_criteria", "extension"), {"url": FILTER_CRITERIA}, FILTER),
        (("_criteria",), [], "Subscription._criteria"),
        (("_criteria",), 5, "Subscription._criteria"),
        (("_criteria", "extension", 0), 5, FILTER),
        (("_criteria", "extension", 0, "valueString"), 5, FILTER),
        (("_criteria", "extension", 0, "valueString"), ["org-identifier=1"], FILTER),
        (("channel", "_payload", "extension"), 5, PAYLOAD),
        (("channel", "_payload", "extension"), False, PAYLOAD),
        (("channel", "_payload", "extension", 0, "valueCode"), ["full-resource"], PAYLOAD),
        (("channel", "_payload"), "full-resource", "Subscription.channel._payload"),
        (("channel", "_payload"), [5], "Subscription.channel._payload"),
        (("channel", "header"), "Authorization: Bearer x", "Subscription.channel.header"),
        (("channel", "header"), [5], "Subscription.channel.header[0]"),
        (("channel", "header"), {"Authorization": "Bearer x"}, "Subscription.channel.header"),
        (("channel", "endpoint"), ["https://example.org/"], "Subscription.channel.endpoint"),
        (("channel", "endpoint"), 5, "Subscription.channel.endpoint"),
        (("channel",), [], "Subscription.channel"),
        (("reason",), {"text": "updates"}, "Subscription.reason"),
        (("end",), 20300101, "Subscription.end"),
        (("end",), ["2030-01-01T00:00:00Z"], "Subscription.end"),
    ],
)
def test_it_answers_an_element_of_the_wrong_json_type_with_a_400_naming_it(
    ehr, organization, listener, path, value, where
):
    _, token = ehr
    resource = _set(subscription_resource(listener.url, organization.npi), path, value)
    answer = subscribe(token, resource)
    assert answer.status_code == 400, answer.content
    body = answer.json()
    assert body["resourceType"] == "OperationOutcome"
    (issue,) = body["issue"]
    assert issue["severity"] == "error" and issue["code"] == "invalid"
    assert issue["diagnostics"].startswith(f"{where}:"), issue["diagnostics"]
    assert not Subscription.objects.exists()
    assert listener.received == []


@pytest.mark.parametrize(
    ("path", "text", "where"),
    [
        (("reason",), "PAS \ud800 updates", "Subscription.reason"),
        (("reason",), "PAS \x00 updates", "Subscription.reason"),
        (("channel", "header", 0), "X-Token: \udfff", "Subscription.channel.header[0]"),
        (("channel", "endpoint"), "{listener}\ud800", "Subscription.channel.endpoint"),
        (("channel", "endpoint"), "{listener}\x00", "Subscription.channel.endpoint"),
        (("channel", "endpoint"), "{listener} x", "Subscription.channel.endpoint"),
    ],
)
def test_it_answers_text_no_column_can_hold_with_a_400_not_a_failed_write(
    ehr, organization, listener, path, text, where
):
    # A lone surrogate travels as the JSON escape "\ud800"; the test client's encoder writes it so.
    _, token = ehr
    value = text.replace("{listener}", listener.url)
    answer = subscribe(token, _set(subscription_resource(listener.url, organization.npi), path, value))
    assert answer.status_code == 400, answer.content
    assert answer.json()["issue"][0]["diagnostics"].startswith(f"{where}:")
    assert not Subscription.objects.exists()
    assert listener.received == []
