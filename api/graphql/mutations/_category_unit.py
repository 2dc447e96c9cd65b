"""The shape the taxonomy's mutations share: company-wide category:manage, one domain call inside
the idempotent unit of work, and the category as it now is."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Row

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.types.category import CaseCategoryPayload, category_payload
from tenants.principal import Principal
from tenants.roles import Permission

Change = Callable[[Any, Principal], Awaitable[Row]]


@user_errors(CaseCategoryPayload)
async def change_category(info: Info, *, operation: str, payload: dict[str, Any], idempotency_key: str | None,
                          change: Change) -> CaseCategoryPayload:
    require_on(info, Permission.CATEGORY_MANAGE)
    p = info.context.require()

    async def work(conn) -> dict:
        return {"code": (await change(conn, p)).code}

    done = await write(info, lambda conn: once(info, conn, idempotency_key, operation, payload, work))
    return await category_payload(info, done["code"])
