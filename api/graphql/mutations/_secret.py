"""The signing secret an outside body or a 12345 bridge shares with us: made here, shown in one
answer only, stored encrypted. The same secret signs what we send and what it sends back."""

from __future__ import annotations

import secrets

from api.context import Info


def signing_secret(info: Info) -> tuple[str, bytes]:
    """A fresh secret and its stored (encrypted) form."""
    secret = "fcs_" + secrets.token_urlsafe(32)
    return secret, info.context.platform.cipher.encrypt(secret)
