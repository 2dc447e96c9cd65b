"""The signing secret an outside body or a 12345 bridge shares with us: made here, shown in one
answer only, stored encrypted. The same secret signs what we send and what it sends back. It never
goes into an audit row, an event or an idempotency result."""

from __future__ import annotations

import secrets
from typing import Protocol


class Encrypts(Protocol):
    """The platform's personal-data cipher (`tenants.personal_data.PersonalDataCipher`)."""

    def encrypt(self, value: str) -> bytes: ...


def signing_secret(cipher: Encrypts) -> tuple[str, bytes]:
    """A fresh secret and its stored (encrypted) form."""
    secret = "fcs_" + secrets.token_urlsafe(32)
    return secret, cipher.encrypt(secret)
