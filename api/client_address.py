"""Where a request comes from, for the limits on failed sign-ins and keys: the connection's peer,
or — only when that peer is a trusted proxy (FIRSTCALL_TRUSTED_PROXIES) — the nearest address in
X-Forwarded-For that is not itself a trusted proxy. IPv6 sources count by their /64, which one
host commonly holds whole."""

from __future__ import annotations

from collections.abc import Mapping
from ipaddress import IPv4Address, IPv6Address, IPv6Network, ip_address

from tenants.settings import Settings, proxy_networks

UNKNOWN = "unknown"


def _parse(value: str) -> IPv4Address | IPv6Address | None:
    try:
        ip = ip_address(value.strip().strip("[]"))
    except ValueError:
        return None
    return ip.ipv4_mapped or ip if isinstance(ip, IPv6Address) else ip


def source_address(peer: str | None, headers: Mapping[str, str], settings: Settings) -> str:
    ip = _parse(peer) if peer else None
    if ip is None:
        return UNKNOWN
    trusted = proxy_networks(settings.trusted_proxies)
    forwarded = [part for part in headers.get("x-forwarded-for", "").split(",") if part.strip()]
    while any(ip in network for network in trusted) and forwarded:
        hop = _parse(forwarded.pop())
        if hop is None:
            break  # garbage from beyond the proxy: the proxy itself is the best we know
        ip = hop
    if isinstance(ip, IPv6Address):
        return str(IPv6Network((ip, 64), strict=False))
    return str(ip)


def request_address(conn, settings: Settings) -> str:
    """For a Starlette Request or WebSocket."""
    return source_address(conn.client.host if conn.client else None, conn.headers, settings)
