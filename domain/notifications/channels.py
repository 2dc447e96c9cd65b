"""Delivery channels: what a company may configure, checked before it is stored. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from domain.errors import invalid
from domain.notifications import addresses
from domain.notices.messages import PROGRAM_TOPICS
from domain.notifications.messages import DELIVERABLE, LEVEL_ORDER

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")


class ChannelKind(StrEnum):
    WEBHOOK = "webhook"
    EMAIL = "email"
    WECOM = "wecom"  # 企业微信群机器人
    DINGTALK = "dingtalk"  # 钉钉群机器人


KIND_LABELS = {ChannelKind.WEBHOOK: "Webhook", ChannelKind.EMAIL: "电子邮件 E-mail",
               ChannelKind.WECOM: "企业微信机器人 WeCom robot", ChannelKind.DINGTALK: "钉钉机器人 DingTalk robot"}


@dataclass(frozen=True)
class ChannelSpec:
    kind: ChannelKind
    name: str
    target: str
    topics: tuple[str, ...]
    secret: str | None = None
    min_level: str | None = None
    per_minute: int = 20


def check_url(value: str | None, field: str, *, allow_loopback: bool) -> str:
    """Where we post signed messages — a webhook channel, an outside body, a 12345 bridge: https to
    a host that is not an address of our own network. A name is resolved and checked again at
    every send (workers/pinned.py), since what it resolves to can change. `allow_loopback`:
    development and tests only, plain http to a receiver on this machine."""
    target = (value or "").strip()
    try:
        parts = urlsplit(target)
        parts.port  # noqa: B018 — a port out of range raises here, not at the first send
    except ValueError:
        raise invalid(f"「{field}」须为 https:// 地址。{field} must be an https:// URL.", field) from None
    if (parts.scheme not in ("https", "http") or not parts.hostname or len(target) > 2000
            or any(c.isspace() or ord(c) < 32 for c in target)):
        raise invalid(f"「{field}」须为 https:// 地址。{field} must be an https:// URL.", field)
    ip = addresses.parse(parts.hostname)
    loopback = addresses.names_loopback(parts.hostname) or (ip is not None and addresses.is_loopback(ip))
    if loopback and allow_loopback:
        return target
    if loopback or (ip is not None and not addresses.is_public(ip)):
        raise invalid(f"「{field}」不能指向内网、本机或其他非公网地址。"
                      f"{field} may not point to a private, loopback or other non-public address.", field)
    if parts.scheme != "https":
        raise invalid(f"「{field}」须使用 https。{field} must use https.", field)
    return target


def check_channel(spec: ChannelSpec, *, allow_loopback: bool) -> ChannelSpec:
    """`allow_loopback`: development and tests only (see check_url)."""
    name = spec.name.strip()
    if not 1 <= len(name) <= 100:
        raise invalid("名称须为 1 到 100 个字符。name must have 1–100 characters.", "name")
    target = spec.target.strip()
    if spec.kind is ChannelKind.EMAIL:
        if not EMAIL.match(target):
            raise invalid("目标 target 须为电子邮件地址。target must be an e-mail address.", "target")
    else:
        target = check_url(target, "target", allow_loopback=allow_loopback)
    topics = tuple(dict.fromkeys(t.strip() for t in spec.topics))
    if not topics or len(topics) > 50 or any(t not in DELIVERABLE for t in topics):
        raise invalid(f"主题 topics 含不支持的取值。topics must be some of: {', '.join(sorted(DELIVERABLE))}.", "topics")
    if spec.kind is not ChannelKind.WEBHOOK and any(t in PROGRAM_TOPICS for t in topics):
        raise invalid("通知名单（notice.recipients）、催缴名单（fee.reminders）和调查邀请（survey.invited）只能由网络回调（Webhook）"
                      "订阅：它们给程序的是住户 ID，不是给人看的文字。Only a webhook may subscribe to notice.recipients, "
                      "fee.reminders and survey.invited: they carry "
                      "ids for a program, not words for people.",
                      "topics")
    if spec.min_level is not None and spec.min_level not in LEVEL_ORDER:
        raise invalid("最低级别 minLevel 只能是 remind、l1、l2 或 l3。minLevel must be remind, l1, l2 or l3.", "minLevel")
    if not 1 <= spec.per_minute <= 600:
        raise invalid("每分钟上限 perMinute 须在 1 到 600 之间。perMinute must be between 1 and 600.", "perMinute")
    secret = (spec.secret or "").strip() or None
    if spec.kind is ChannelKind.WEBHOOK and (secret is None or not 16 <= len(secret) <= 200):
        raise invalid("网络回调（Webhook）须设置 16 到 200 个字符的签名密钥。"
                      "A webhook needs a signing secret of 16–200 characters.", "secret")
    if spec.kind in (ChannelKind.EMAIL, ChannelKind.WECOM) and secret is not None:
        raise invalid("此类渠道不需要密钥（企业微信机器人的密钥在其地址中）。"
                      "This kind of channel takes no secret (a WeCom robot's key is in its URL).", "secret")
    if secret is not None and len(secret) > 200:
        raise invalid("密钥最多 200 个字符。secret may have at most 200 characters.", "secret")
    return ChannelSpec(spec.kind, name, target, topics, secret, spec.min_level, spec.per_minute)


def masked(kind: ChannelKind, target: str) -> str:
    """Robot URLs carry their key in the query: shown without it."""
    if kind is ChannelKind.EMAIL:
        return target
    parts = urlsplit(target)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + ("?…" if parts.query else "")
