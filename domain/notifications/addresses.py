"""Which addresses we may post signed messages to: public ones only. Pure.

`ipaddress`'s `is_global` is the base; on top of it, ranges it calls global that are not anyone's
public host (IETF protocol assignments, the 6to4 relay anycast, local-use NAT64, multicast), and
IPv6 forms that carry an IPv4 address inside (mapped, NAT64, 6to4, Teredo) are judged by that
IPv4 address too — `::ffff:127.0.0.1` is loopback, whatever its spelling. `allow_loopback` is for
development and tests with receivers on this machine (FIRSTCALL_ALLOW_LOOPBACK_DELIVERIES); it
admits loopback only, never the rest of our network or the cloud's metadata address."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

_ALSO_NOT_PUBLIC = tuple(ip_network(n) for n in (
    "100.64.0.0/10",  # carrier-grade NAT (shared address space)
    "192.0.0.0/24",  # IETF protocol assignments
    "192.88.99.0/24",  # 6to4 relay anycast
    "64:ff9b:1::/48",  # local-use NAT64
))
_NAT64 = ip_network("64:ff9b::/96")

Address = IPv4Address | IPv6Address


def parse(host: str) -> Address | None:
    try:
        return ip_address(host.strip("[]"))
    except ValueError:
        return None


def _inner_ipv4(ip: IPv6Address) -> IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return IPv4Address(int(ip) & 0xFFFF_FFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def is_public(ip: Address) -> bool:
    if isinstance(ip, IPv6Address) and (inner := _inner_ipv4(ip)) is not None:
        if not is_public(inner):
            return False
        if ip.ipv4_mapped is not None:
            return True  # the IPv4 address itself, spelled in IPv6
    return ip.is_global and not ip.is_multicast and not any(ip in net for net in _ALSO_NOT_PUBLIC)


def is_loopback(ip: Address) -> bool:
    inner = _inner_ipv4(ip) if isinstance(ip, IPv6Address) else None
    return ip.is_loopback or (inner is not None and inner.is_loopback)


def may_send_to(ip: Address, *, allow_loopback: bool) -> bool:
    return is_public(ip) or (allow_loopback and is_loopback(ip))


def names_loopback(host: str) -> bool:
    """`localhost` and its subdomains resolve to loopback by rule (RFC 6761), not by DNS."""
    host = host.lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")
