"""The Subscription resource: what a client posts, checked; what we answer. Pure: dicts in and out.

R4 Subscription with the R5 backport (hl7.fhir.uv.subscriptions-backport): the topic in
`criteria`, the filter in `_criteria.extension[backport-filter-criteria]`, the payload content in
`channel._payload.extension[backport-payload-content]`. Only what the PAS topic needs is
accepted: a rest-hook, full-resource JSON, one `org-identifier=` filter.
"""

from __future__ import annotations

import datetime
import ipaddress
import re
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from priorauth.pas.fhir import storable
from priorauth.pas.subscriptions.addresses import address_is_public

PAS_TOPIC = "http://hl7.org/fhir/us/davinci-pas/SubscriptionTopic/PASSubscriptionTopic"
BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition"
BACKPORT_PROFILE = f"{BACKPORT}/backport-subscription"
FILTER_CRITERIA = f"{BACKPORT}/backport-filter-criteria"
PAYLOAD_CONTENT = f"{BACKPORT}/backport-payload-content"
FHIR_JSON = "application/fhir+json"
NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"

MAX_HEADERS = 10
MAX_HEADER_LENGTH = 1000
MAX_ENDPOINT_LENGTH = 500
# RFC 9110 token characters for a header's name.
HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
FILTER = re.compile(r"^org-identifier=(\S+)$")
# Headers the client may not set: the transport's own.
RESERVED_HEADERS = {"content-type", "content-length", "host", "transfer-encoding", "connection"}
UNSTORABLE = "holds a character that cannot be stored (a NUL or an unpaired surrogate such as \\ud800)"


class SubscriptionInvalid(Exception):
    """A Subscription we cannot accept; `path` names where (`Subscription.channel.endpoint`)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class SubscriptionRequest:
    endpoint: str
    headers: tuple[str, ...]
    org_identifier: str
    reason: str
    end: datetime.datetime | None


def parse(data: Any, *, allow_loopback: bool) -> SubscriptionRequest:
    """Return the subscription a posted resource asks for; SubscriptionInvalid names the first problem.

    `allow_loopback`: a plain-http endpoint on this machine is accepted (development, tests);
    otherwise the endpoint must be https and name no loopback, private or link-local address.
    """
    if not isinstance(data, dict) or data.get("resourceType") != "Subscription":
        raise SubscriptionInvalid("Subscription", "the body is not a Subscription resource")
    if data.get("criteria") != PAS_TOPIC:
        raise SubscriptionInvalid("Subscription.criteria", f"must be the PAS subscription topic {PAS_TOPIC}")
    org_identifier = _filter(data.get("_criteria"))
    if data.get("channel") is None:
        raise SubscriptionInvalid("Subscription.channel", "is missing")
    channel = _object(data["channel"], "Subscription.channel")
    if channel.get("type") != "rest-hook":
        raise SubscriptionInvalid("Subscription.channel.type", "only rest-hook is supported")
    if channel.get("payload") != FHIR_JSON:
        raise SubscriptionInvalid("Subscription.channel.payload", f"must be {FHIR_JSON}")
    _payload_content(channel.get("_payload"))
    return SubscriptionRequest(
        endpoint=endpoint_checked(channel.get("endpoint"), allow_loopback=allow_loopback),
        headers=_headers(channel.get("header")),
        org_identifier=org_identifier,
        reason=_text(data.get("reason"), "Subscription.reason"),
        end=_end(data.get("end")),
    )


def _filter(criteria: Any) -> str:
    path = "Subscription._criteria.extension"
    extensions = _list(_object(criteria, "Subscription._criteria").get("extension"), path)
    filters = [ext for ext in extensions if isinstance(ext, dict) and ext.get("url") == FILTER_CRITERIA]
    if len(filters) != 1:
        raise SubscriptionInvalid(path, "give one backport-filter-criteria: org-identifier=<your NPI>")
    criterion = filters[0].get("valueString")
    match = FILTER.match(criterion) if isinstance(criterion, str) else None
    if not match:
        raise SubscriptionInvalid(path, "the filter must read org-identifier=<your NPI>")
    # A token may name its system: http://hl7.org/fhir/sid/us-npi|1234567893.
    system, _, value = match.group(1).rpartition("|")
    if system and system != NPI_SYSTEM:
        raise SubscriptionInvalid(path, f"org-identifier must be an NPI ({NPI_SYSTEM})")
    return value


def _payload_content(payload: Any) -> None:
    path = "Subscription.channel._payload.extension"
    extensions = _list(_object(payload, "Subscription.channel._payload").get("extension"), path)
    for ext in extensions:
        wanted = ext.get("valueCode") if isinstance(ext, dict) and ext.get("url") == PAYLOAD_CONTENT else None
        if wanted not in (None, "full-resource"):
            raise SubscriptionInvalid(path, "only full-resource notifications are sent")


def _object(value: Any, path: str) -> dict[str, Any]:
    """Return the JSON object at `path` ({} when absent); SubscriptionInvalid for any other JSON type."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SubscriptionInvalid(path, "must be a JSON object")
    return value


def _list(value: Any, path: str) -> list[Any]:
    """Return the JSON array at `path` ([] when absent); SubscriptionInvalid for any other JSON type."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise SubscriptionInvalid(path, "must be a JSON array")
    return value


def endpoint_checked(value: Any, *, allow_loopback: bool) -> str:
    """Return the endpoint URL if we may post to it; SubscriptionInvalid says why not.

    Checked when the subscription is made and again before every post (a name may point
    elsewhere later): every address the host resolves to must be a public one, so that no
    subscription makes the server post to itself or to the private network behind it.
    """
    path = "Subscription.channel.endpoint"
    if not isinstance(value, str) or not value.strip():
        raise SubscriptionInvalid(path, "is missing")
    if len(value) > MAX_ENDPOINT_LENGTH:
        raise SubscriptionInvalid(path, f"is longer than {MAX_ENDPOINT_LENGTH} characters")
    if not storable(value) or any(c.isspace() or not c.isprintable() for c in value):
        raise SubscriptionInvalid(path, "is not a URL")
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        raise SubscriptionInvalid(path, "is not a URL") from None
    if parts.scheme not in ("https", "http") or not host or parts.username or parts.password:
        raise SubscriptionInvalid(path, "must be an https URL with a host and no user name")
    addresses = resolved(host)
    loopback = bool(addresses) and all(address.is_loopback for address in addresses)
    if loopback and allow_loopback:
        return value
    if parts.scheme != "https":
        raise SubscriptionInvalid(path, "must be https")
    if not addresses:
        raise SubscriptionInvalid(path, "names a host that cannot be found")
    if not all(address_is_public(address) for address in addresses):
        raise SubscriptionInvalid(path, "must be a public address")
    return value


def resolved(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Return every address the host stands for (none when it cannot be resolved).

    The resolver also reads the other spellings of an address (127.1, 2130706433, 0x7f000001),
    which a check of the text alone would take for names.
    """
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    addresses = []
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        # An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 one.
        mapped = getattr(address, "ipv4_mapped", None)
        addresses.append(mapped or address)
    return addresses


def _headers(value: Any) -> tuple[str, ...]:
    path = "Subscription.channel.header"
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_HEADERS:
        raise SubscriptionInvalid(path, f"must be a list of at most {MAX_HEADERS} headers")
    headers = []
    for index, header in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(header, str) or len(header) > MAX_HEADER_LENGTH:
            raise SubscriptionInvalid(where, f"must be text of at most {MAX_HEADER_LENGTH} characters")
        name, colon, content = header.partition(":")
        if not colon or not HEADER_NAME.match(name.strip()) or any(c in header for c in "\r\n\0"):
            raise SubscriptionInvalid(where, "must read 'Name: value' on one line")
        if not storable(header):
            raise SubscriptionInvalid(where, UNSTORABLE)
        if name.strip().lower() in RESERVED_HEADERS:
            raise SubscriptionInvalid(where, f"{name.strip()} is set by the server")
        headers.append(f"{name.strip()}: {content.strip()}")
    return tuple(headers)


def header_pairs(headers: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Return the stored 'Name: value' headers as a mapping to send."""
    pairs = (header.partition(":") for header in headers)
    return {name.strip(): value.strip() for name, _, value in pairs}


def _text(value: Any, path: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > 1000:
        raise SubscriptionInvalid(path, "must be text of at most 1000 characters")
    if not storable(value):
        raise SubscriptionInvalid(path, UNSTORABLE)
    return value.strip()


def _end(value: Any) -> datetime.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise SubscriptionInvalid("Subscription.end", "is not an instant")
    try:
        end = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SubscriptionInvalid("Subscription.end", "is not an instant") from None
    if end.tzinfo is None:
        raise SubscriptionInvalid("Subscription.end", "needs a time zone")
    return end


def as_resource(
    *,
    id: str,
    status: str,
    endpoint: str,
    headers: list[str],
    org_identifier: str,
    reason: str,
    end: datetime.datetime | None,
    error: str,
) -> dict[str, Any]:
    """Return the Subscription resource as we hold it."""
    resource: dict[str, Any] = {
        "resourceType": "Subscription",
        "id": id,
        "meta": {"profile": [BACKPORT_PROFILE]},
        "status": status,
        "reason": reason or "PAS prior authorization updates",
        "criteria": PAS_TOPIC,
        "_criteria": {
            "extension": [{"url": FILTER_CRITERIA, "valueString": f"org-identifier={org_identifier}"}]
        },
        "channel": {
            "type": "rest-hook",
            "endpoint": endpoint,
            "payload": FHIR_JSON,
            "_payload": {"extension": [{"url": PAYLOAD_CONTENT, "valueCode": "full-resource"}]},
        },
    }
    if headers:
        resource["channel"]["header"] = list(headers)
    if end is not None:
        resource["end"] = end.isoformat()
    if error:
        resource["error"] = error
    return resource
