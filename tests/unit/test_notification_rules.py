"""Delivery rules: signatures we send (and verify), DingTalk's signing, what a channel may be,
and what each event says."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from domain.errors import DomainError
from domain.notifications.channels import ChannelKind, ChannelSpec, check_channel, masked
from domain.notifications.messages import reaches, render
from domain.notifications.signing import dingtalk_signed_url, verify_webhook, webhook_signature


def test_webhook_signatures_verify_and_refuse_forgery_and_replay():
    body = b'{"id":"d1"}'
    sig = webhook_signature("s" * 20, 1_800_000_000, body)
    assert sig.startswith("v1=") and verify_webhook("s" * 20, "1800000000", body, sig, now=1_800_000_010)
    assert not verify_webhook("x" * 20, "1800000000", body, sig, now=1_800_000_010)  # forged
    assert not verify_webhook("s" * 20, "1800000000", body + b" ", sig, now=1_800_000_010)  # altered
    assert not verify_webhook("s" * 20, "1800000000", body, sig, now=1_800_000_000 + 301)  # stale: a replay
    # Five minutes either way is the edge: a sender's clock may run ahead as much as behind.
    for skew in (300, -300):
        assert verify_webhook("s" * 20, "1800000000", body, sig, now=1_800_000_000 + skew)
    assert not verify_webhook("s" * 20, "1800000000", body, sig, now=1_800_000_000 - 301)  # from the future
    assert not verify_webhook("s" * 20, "soon", body, sig)


def test_dingtalk_signing_follows_their_recipe():
    url = dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=abc", "SECxyz", 1_700_000_000_000)
    query = parse_qs(urlsplit(url).query)
    expected = base64.b64encode(hmac.new(b"SECxyz", b"1700000000000\nSECxyz", hashlib.sha256).digest()).decode()
    assert query["access_token"] == ["abc"] and query["timestamp"] == ["1700000000000"] and query["sign"] == [expected]


@pytest.mark.parametrize(("spec", "field"), [
    (ChannelSpec(ChannelKind.WEBHOOK, "x", "ftp://example.com/hook", ("case.escalated",), "s" * 20), "target"),
    (ChannelSpec(ChannelKind.WEBHOOK, "x", "http://example.com/hook", ("case.escalated",), "s" * 20), "target"),
    (ChannelSpec(ChannelKind.WEBHOOK, "x", "https://example.com/hook", ("case.escalated",)), "secret"),
    (ChannelSpec(ChannelKind.WEBHOOK, "x", "https://example.com/hook", ("case.everything",), "s" * 20), "topics"),
    (ChannelSpec(ChannelKind.WECOM, "x", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", ("case.escalated",), "s"), "secret"),
    (ChannelSpec(ChannelKind.EMAIL, "x", "not-an-address", ("case.escalated",)), "target"),
    (ChannelSpec(ChannelKind.EMAIL, " ", "ops@example.com", ("case.escalated",)), "name"),
    (ChannelSpec(ChannelKind.DINGTALK, "x", "https://oapi.dingtalk.com/robot/send", ("case.escalated",), min_level="l9"), "minLevel"),
    (ChannelSpec(ChannelKind.WEBHOOK, "x", "https://127.0.0.1/hook", ("case.escalated",), "s" * 20), "target"),
    (ChannelSpec(ChannelKind.WEBHOOK, "x", "https://10.0.0.5/hook", ("case.escalated",), "s" * 20), "target"),
    (ChannelSpec(ChannelKind.WEBHOOK, "x", "http://[::1", ("case.escalated",), "s" * 20), "target"),
    (ChannelSpec(ChannelKind.WEBHOOK, "x", "https://[zz]/hook", ("case.escalated",), "s" * 20), "target"),
    (ChannelSpec(ChannelKind.WEBHOOK, "x", "https://example.com:99999/hook", ("case.escalated",), "s" * 20), "target"),
    (ChannelSpec(ChannelKind.WECOM, "x", "https://exa mple.com/send?key=k", ("case.escalated",)), "target"),
])
def test_impossible_channels_are_refused(spec, field):
    with pytest.raises(DomainError) as refused:
        check_channel(spec, allow_loopback=False)
    assert refused.value.field == field


def test_loopback_targets_only_in_development_and_robot_keys_never_shown():
    spec = ChannelSpec(ChannelKind.WECOM, "客服群", "http://127.0.0.1:9/wecom?key=secret-key", ("case.escalated",))
    assert check_channel(spec, allow_loopback=True).target == spec.target
    assert masked(ChannelKind.WECOM, spec.target) == "http://127.0.0.1:9/wecom?…"


def test_what_each_event_says_and_who_hears_which_level():
    title, body = render("case.escalated", {"level": "l2", "reason": "timer", "target": "resolve"}, number="GD-XH-1",
                         description="电梯异响")
    assert title == "二级升级 L2：工单 GD-XH-1" and body == "已到时限（处理完成）。电梯异响。"
    at = datetime(2026, 11, 22, 4, 40, tzinfo=UTC).isoformat()
    title, body = render("case.committed", {"at": at, "due": "2026-11-22T06:40:00+00:00"}, number="GD-XH-1", description="")
    assert title == "已承诺 Committed：工单 GD-XH-1" and "14:40" in body
    assert render("case.undispatchable", {"at": at}, number="x", description="") is None
    assert reaches("l2", {"level": "l3"}) and not reaches("l2", {"level": "l1"}) and reaches("l2", {"topic": "case.committed"})
