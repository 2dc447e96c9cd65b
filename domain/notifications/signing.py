"""Signatures on what we send: our own webhooks (HMAC-SHA256 over timestamp and body, as Stripe
and GitHub do) and DingTalk's robot signing (HMAC-SHA256 of "timestamp\\nsecret", base64, in the
URL). Pure; the verification is here too, for receivers and tests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus

TOLERANCE_SECONDS = 300


def webhook_signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"v1={mac}"


def verify_webhook(secret: str, timestamp: str, body: bytes, signature: str, *, now: float | None = None) -> bool:
    """A forged signature or one older than five minutes (a replay) is refused."""
    # Whatever a stranger sends must come back False, never raise: digits of a sane length only
    # (a 400-digit integer overflows the clock arithmetic), and an ASCII signature to compare.
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12) or not signature.isascii():
        return False
    ts = int(timestamp)
    if abs((now if now is not None else time.time()) - ts) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(webhook_signature(secret, ts, body).encode(), signature.encode())


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(mac).decode())
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp_ms}&sign={sign}"
