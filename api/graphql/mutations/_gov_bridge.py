"""What the bridge mutations share: the payload (with the signing secret, shown once) and the
bridge's secret made and stored encrypted."""

from __future__ import annotations

import secrets

import strawberry

from api.context import Info
from api.graphql.types.errors import UserError
from api.graphql.types.gov_order import GovBridge


@strawberry.type
class GovBridgePayload:
    bridge: GovBridge | None = None
    secret: str | None = strawberry.field(
        default=None, description="签名密钥 The signing secret, shown only in this answer (not on a replayed idempotency key). "
                                  "The bridge signs what it sends with it, and we sign our answers with it.")
    errors: list[UserError] = strawberry.field(default_factory=list)


def new_secret(info: Info) -> tuple[str, bytes]:
    """A fresh secret and its stored (encrypted) form."""
    secret = secrets.token_urlsafe(32)
    return secret, info.context.platform.cipher.encrypt(secret)
