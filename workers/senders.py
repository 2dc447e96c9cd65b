"""Sending a delivery over its channel: our signed webhook, a WeCom or DingTalk group robot, or
e-mail through the configured SMTP relay. Raises on any failure (the caller retries with
backoff); succeeds only on a 2xx — and, for the robots, on their own `errcode` 0."""

from __future__ import annotations

import asyncio
import smtplib
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import httpx
import orjson

from domain.notifications.channels import ChannelKind
from domain.notifications.signing import dingtalk_signed_url, webhook_signature
from tenants.settings import Settings
from workers.pinned import Refused, pin

TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class DeliveryFailed(Exception):
    """Why a send failed. The receiver's `answer` is apart from the message: it may quote the
    event back (a resident's name, their number), so it is kept on the delivery's attempt, which
    erasure rewrites, and not in the message the worker logs and a dead letter keeps."""

    def __init__(self, message: str, status_code: int | None = None, *, answer: str = "") -> None:
        super().__init__(message)
        self.status_code = status_code
        self.answer = answer

    def detail(self) -> str:
        """The message with the receiver's answer, for the delivery log."""
        return f"{self}: {self.answer}" if self.answer else str(self)


@dataclass(frozen=True)
class Outgoing:
    delivery_id: str
    kind: ChannelKind
    target: str
    secret: str | None
    topic: str
    title: str
    body: str
    data: dict[str, Any]
    event_id: str


async def send(message: Outgoing, settings: Settings) -> int | None:
    """The receiver's HTTP status (None for e-mail)."""
    if message.kind is ChannelKind.EMAIL:
        await asyncio.to_thread(_send_email, message, settings)
        return None
    if message.kind is ChannelKind.WEBHOOK:
        body = orjson.dumps({"id": message.delivery_id, "event_id": message.event_id, "topic": message.topic,
                             "title": message.title, "body": message.body, "data": message.data})
        ts = int(time.time())
        headers = {"content-type": "application/json", "x-firstcall-delivery": message.delivery_id,
                   "x-firstcall-timestamp": str(ts), "x-firstcall-signature": webhook_signature(message.secret or "", ts, body)}
        return await _post(message.target, body, headers, settings, robot=False)
    text = f"### {message.title}\n\n{message.body}"
    if message.kind is ChannelKind.WECOM:
        body = orjson.dumps({"msgtype": "markdown", "markdown": {"content": text}})
        return await _post(message.target, body, {"content-type": "application/json"}, settings, robot=True)
    url = dingtalk_signed_url(message.target, message.secret, int(time.time() * 1000)) if message.secret else message.target
    body = orjson.dumps({"msgtype": "markdown", "markdown": {"title": message.title, "text": text}})
    return await _post(url, body, {"content-type": "application/json"}, settings, robot=True)


async def _post(url: str, body: bytes, headers: dict[str, str], settings: Settings, *, robot: bool) -> int:
    try:
        target = await pin(url, allow_loopback=settings.allow_loopback_deliveries)
    except Refused as e:
        raise DeliveryFailed(str(e)) from None
    # No proxies from the environment: the connection goes to the address just checked.
    async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False, trust_env=False) as client:
        try:
            r = await client.post(target.url, content=body, headers={**headers, "host": target.host},
                                  extensions=target.extensions)
        except httpx.HTTPError as e:
            raise DeliveryFailed(f"{type(e).__name__}: {e}") from e
    if not 200 <= r.status_code < 300:
        raise DeliveryFailed(f"HTTP {r.status_code}", r.status_code, answer=r.text[:200])
    if robot:  # the robots answer 200 with their own error code
        try:
            code = r.json().get("errcode", 0)
        except ValueError:
            code = 0
        if code != 0:
            raise DeliveryFailed(f"robot errcode {code}", r.status_code, answer=r.text[:200])
    return r.status_code


def _send_email(message: Outgoing, settings: Settings) -> None:
    if not settings.smtp_host:
        raise DeliveryFailed("No SMTP_HOST is configured for e-mail channels.")
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = settings.smtp_from, message.target, message.title
    mail["Message-ID"] = f"<{message.delivery_id}@firstcall>"  # the same id on every attempt: receivers can dedupe
    mail.set_content(message.body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value() if settings.smtp_password else "")
            smtp.send_message(mail)
    except (smtplib.SMTPException, OSError) as e:
        raise DeliveryFailed(f"{type(e).__name__}: {e}") from e
