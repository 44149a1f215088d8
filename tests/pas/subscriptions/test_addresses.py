"""The endpoint's address rule: public unicast only, and an IPv4 address inside an IPv6 one judged too."""

from __future__ import annotations

import ipaddress

import pytest

from priorauth.notifications.channels import DeliveryError
from priorauth.pas.subscriptions import transport
from priorauth.pas.subscriptions.addresses import address_is_public, embedded_ipv4


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "169.254.169.254",
        "127.0.0.1",
        "::1",
        "fe80::1",
        "fd00::1",
        # Multicast: "global" to the stdlib, never a web server.
        "224.0.0.1",
        "ff0e::1",
        # NAT64 well-known prefix: a gateway delivers to 169.254.169.254 and 10.0.0.1.
        "64:ff9b::a9fe:a9fe",
        "64:ff9b::a00:1",
        # NAT64 local-use prefix: refused whatever it carries.
        "64:ff9b:1::808:808",
        "64:ff9b:1::a9fe:a9fe",
        # IPv4-compatible, IPv4-mapped, IPv4-translated.
        "::a9fe:a9fe",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "::ffff:0:a00:1",
        # 6to4 of 169.254.169.254 and of 10.0.0.1.
        "2002:a9fe:a9fe::",
        "2002:a00:1::1",
        # Teredo with the client 10.0.1.10, and with 169.254.169.254 (the last 32 bits inverted).
        "2001:0:4136:e378:8000:63bf:f5ff:fef5",
        "2001:0:4136:e378:8000:63bf:5601:5601",
    ],
)
def test_it_refuses_an_address_that_is_not_public_or_carries_one_that_is_not(address):
    assert address_is_public(ipaddress.ip_address(address)) is False


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "2606:4700:4700::1111",
        # NAT64 of 8.8.8.8, and 8.8.8.8 written as IPv4-mapped.
        "64:ff9b::808:808",
        "::ffff:8.8.8.8",
    ],
)
def test_it_accepts_a_public_address(address):
    assert address_is_public(ipaddress.ip_address(address)) is True


@pytest.mark.parametrize(
    ("address", "ipv4"),
    [
        ("::ffff:10.0.0.1", "10.0.0.1"),
        ("64:ff9b::a9fe:a9fe", "169.254.169.254"),
        ("::a9fe:a9fe", "169.254.169.254"),
        ("::ffff:0:a00:1", "10.0.0.1"),
        ("2002:a9fe:a9fe::", "169.254.169.254"),
        ("2001:0:4136:e378:8000:63bf:5601:5601", "169.254.169.254"),
        ("2606:4700:4700::1111", None),
    ],
)
def test_it_finds_the_ipv4_address_an_ipv6_address_carries(address, ipv4):
    found = embedded_ipv4(ipaddress.IPv6Address(address))
    assert found == (ipaddress.IPv4Address(ipv4) if ipv4 else None)


@pytest.mark.parametrize("endpoint", ["https://[64:ff9b::a9fe:a9fe]/latest", "https://224.0.0.1/hook"])
def test_a_notification_is_not_posted_to_an_endpoint_that_is_not_public(settings, endpoint):
    # Judged again before every post: a stored subscription gets no exemption.
    settings.PAS_SUBSCRIPTION_ALLOW_LOOPBACK = False
    with pytest.raises(DeliveryError) as refused:
        transport.post(endpoint=endpoint, headers=[], body={}, timeout=1)
    assert refused.value.label == "Endpoint refused: must be a public address"
    assert refused.value.transient is False
