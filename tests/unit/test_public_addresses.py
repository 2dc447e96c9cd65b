"""The addresses we may post signed messages to: public ones, however they are spelled."""

from __future__ import annotations

import pytest

from domain.errors import DomainError
from domain.notifications.addresses import is_public, may_send_to, parse
from domain.notifications.channels import check_url
from tenants.settings import ConfigurationError, Settings

NOT_PUBLIC = ("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.254",
              "0.0.0.0", "255.255.255.255", "224.0.0.1", "198.18.0.1", "192.0.0.8", "192.0.2.1",
              "::1", "::", "fe80::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
              "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2001:db8::1")
PUBLIC = ("8.8.8.8", "1.1.1.1", "223.5.5.5", "2606:4700::1111", "::ffff:8.8.8.8")


def test_only_public_addresses_pass_however_written():
    for address in NOT_PUBLIC:
        assert not is_public(parse(address)), address
    for address in PUBLIC:
        assert is_public(parse(address)), address


def test_the_loopback_switch_admits_loopback_and_nothing_else():
    assert may_send_to(parse("127.0.0.2"), allow_loopback=True)
    assert may_send_to(parse("::ffff:127.0.0.1"), allow_loopback=True)
    for address in ("10.1.2.3", "169.254.169.254", "100.64.0.1", "192.168.1.1"):
        assert not may_send_to(parse(address), allow_loopback=True), address


def test_stored_targets_refuse_non_public_literals_and_localhost():
    for url in ("https://100.64.0.1/hook", "https://[::ffff:10.0.0.1]/hook", "https://169.254.169.254/latest/meta-data",
                "https://localhost/hook", "https://api.localhost/hook", "https://[64:ff9b::a00:1]/x"):
        with pytest.raises(DomainError) as refused:
            check_url(url, "target", allow_loopback=False)
        assert refused.value.field == "target" and "non-public" in refused.value.message, url
    with pytest.raises(DomainError):
        check_url("http://10.0.0.1:8080/hook", "target", allow_loopback=True)
    assert check_url("http://127.0.0.1:8080/hook", "target", allow_loopback=True)
    assert check_url("https://hooks.example.com/x", "target", allow_loopback=False)  # names are checked when sending


def test_the_loopback_switch_is_refused_in_production():
    production = dict(FIRSTCALL_MODE="production", DATABASE_URL="postgresql://x@h/db", SECRET_KEY="s", DATA_ENCRYPTION_KEY="d",
                      LOOKUP_HASH_KEY="l", BROKER_URL="redis://h", APP_DB_PASSWORD="p")
    assert not Settings(**production).allow_loopback_deliveries
    with pytest.raises(ConfigurationError, match="FIRSTCALL_ALLOW_LOOPBACK_DELIVERIES"):
        Settings(**production, FIRSTCALL_ALLOW_LOOPBACK_DELIVERIES=True)
