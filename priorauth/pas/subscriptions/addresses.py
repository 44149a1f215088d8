"""Which addresses a subscription's endpoint may name: public ones only. Pure: addresses in, a yes or no out.

An IPv6 address can carry an IPv4 one that a translator, tunnel or the host's own stack delivers
to; `is_global` judges the IPv6 prefix alone (64:ff9b::a9fe:a9fe is "global", but a NAT64
gateway sends it to 169.254.169.254), so the IPv4 address inside is judged as well.
"""

from __future__ import annotations

import ipaddress

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Prefixes whose last 32 bits are the IPv4 address: the NAT64 well-known prefix (RFC 6052),
# IPv4-compatible (RFC 4291, deprecated; a host may still route it over IPv4) and
# IPv4-translated (RFC 2765, SIIT).
_IPV4_IN_LAST_32_BITS = tuple(
    ipaddress.IPv6Network(prefix) for prefix in ("64:ff9b::/96", "::/96", "::ffff:0:0:0/96")
)
# The NAT64 local-use prefix (RFC 8215) is not globally reachable (IANA), though older Pythons
# call it global; where its IPv4 address sits depends on the local operator's prefix length
# (RFC 6052 2.2), so no one place can be judged: all of it is refused.
_NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")


def address_is_public(address: Address) -> bool:
    """Whether a post to the address goes to the public internet: a global unicast address, and
    for an IPv6 address that carries an IPv4 one, that IPv4 address too."""
    if isinstance(address, ipaddress.IPv6Address):
        if address in _NAT64_LOCAL_USE:
            return False
        if address.ipv4_mapped is not None:
            # The host's own stack sends it as IPv4: the IPv4 address is all there is to judge
            # (whatever a Python version thinks of the ::ffff:0:0/96 prefix itself).
            return address_is_public(address.ipv4_mapped)
        embedded = embedded_ipv4(address)
        if embedded is not None and not address_is_public(embedded):
            return False
    return address.is_global and not address.is_multicast


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 one carries (mapped, 6to4, Teredo's client, NAT64,
    compatible, translated), or None."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # the client: where the relay delivers
    if any(address in prefix for prefix in _IPV4_IN_LAST_32_BITS):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None
