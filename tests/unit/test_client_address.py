"""The source address the sign-in limits count by: X-Forwarded-For only through a trusted proxy."""

from __future__ import annotations

import pytest

from api.client_address import UNKNOWN, source_address
from tenants.settings import ConfigurationError, Settings

PLAIN = Settings()
BEHIND_PROXY = Settings(FIRSTCALL_TRUSTED_PROXIES="10.0.0.0/8, 192.168.1.5")


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy():
    spoofed = {"x-forwarded-for": "203.0.113.77"}
    assert source_address("198.51.100.1", spoofed, PLAIN) == "198.51.100.1"
    assert source_address("198.51.100.1", spoofed, BEHIND_PROXY) == "198.51.100.1"
    assert source_address("10.1.2.3", spoofed, BEHIND_PROXY) == "203.0.113.77"
    # The nearest untrusted hop counts; what the client wrote further left does not.
    chain = {"x-forwarded-for": "1.2.3.4, 203.0.113.77, 192.168.1.5"}
    assert source_address("10.1.2.3", chain, BEHIND_PROXY) == "203.0.113.77"
    assert source_address("10.1.2.3", {"x-forwarded-for": "not-an-address"}, BEHIND_PROXY) == "10.1.2.3"
    assert source_address("10.1.2.3", {}, BEHIND_PROXY) == "10.1.2.3"


def test_ipv6_counts_by_its_64_and_mapped_ipv4_as_ipv4():
    assert source_address("2001:db8:1:2:aaaa::1", {}, PLAIN) == source_address("2001:db8:1:2:bbbb::9", {}, PLAIN)
    assert source_address("2001:db8:1:2::1", {}, PLAIN) != source_address("2001:db8:1:3::1", {}, PLAIN)
    assert source_address("::ffff:198.51.100.1", {}, PLAIN) == "198.51.100.1"
    assert source_address(None, {}, PLAIN) == source_address("garbage", {}, PLAIN) == UNKNOWN


def test_a_mistyped_trusted_proxy_stops_start_up():
    with pytest.raises(ConfigurationError, match="FIRSTCALL_TRUSTED_PROXIES"):
        Settings(FIRSTCALL_TRUSTED_PROXIES="10.0.0.0/8, proxy.internal")
