"""Where a signed message may actually go: the target's name is resolved at send time, every
address it resolves to must be public (domain/notifications/addresses.py), and the connection goes
to the address that was checked — with the name kept for the Host header and TLS (SNI and the
certificate check) — so a name cannot resolve to a public address for the check and to one of
ours for the connection."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from ipaddress import IPv6Address

import httpx

from domain.notifications import addresses


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


# How names become addresses; a test puts in a name of its own rather than editing /etc/hosts.
resolver: Callable[[str, int], Awaitable[list[str]]] = system_resolver


class Refused(Exception):
    """Not sent: the reason, for the delivery's log."""


@dataclass(frozen=True)
class Pinned:
    url: httpx.URL  # with the checked address in place of the name
    host: str  # the Host header: the name (and port) as the target gave them
    extensions: dict


async def pin(url: str, *, allow_loopback: bool) -> Pinned:
    target = httpx.URL(url)
    host, port = target.host, target.port or (443 if target.scheme == "https" else 80)
    literal = addresses.parse(host)
    if literal is not None:
        found = [literal]
    elif addresses.names_loopback(host) and not allow_loopback:
        raise Refused(f"refused: {host} is this machine, not a public address")
    else:
        try:
            found = [addresses.parse(a.split("%", 1)[0]) for a in await resolver(host, port)]
        except OSError as e:
            raise Refused(f"{host} could not be resolved: {e}") from None
        if not found or None in found:
            raise Refused(f"{host} could not be resolved to an address")
    for ip in found:
        if not addresses.may_send_to(ip, allow_loopback=allow_loopback):
            shown = ip.ipv4_mapped if isinstance(ip, IPv6Address) and ip.ipv4_mapped else ip
            raise Refused(f"refused: {host} resolves to {shown}, which is not a public address")
    extensions = {"sni_hostname": host} if target.scheme == "https" and literal is None else {}
    return Pinned(target.copy_with(host=str(found[0])), target.netloc.decode("ascii"), extensions)
