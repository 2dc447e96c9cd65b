from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.actor import api_key
from api.graphql.types.api_key import ApiKey, ApiKeyAccess
from api.graphql.types.permission import PermissionType
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.directory import service
from domain.directory.commands import CreateApiKey
from domain.errors import invalid
from tenants.roles import API_KEY_GRANTABLE, Permission


@strawberry.input
class CreateApiKeyInput:
    name: str
    access: ApiKeyAccess = ApiKeyAccess.READ
    project_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Null: every project.")
    expires_at: datetime | None = None
    permissions: list[PermissionType] | None = strawberry.field(default=None, description=(
        "Null: what the access gives. Otherwise the key reads and may do exactly these (access READ_WRITE), chosen from "
        f"the grantable ones: {', '.join(sorted(p.name for p in API_KEY_GRANTABLE))}. Each mutation checks them on "
        "the project it changes."))


@strawberry.type
class CreateApiKeyPayload:
    api_key: ApiKey | None = None
    secret: str | None = strawberry.field(default=None, description="The whole key. Shown once; store it now.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.API_KEY_MANAGE)], description=(
    "新建接口密钥 Create an integrator API key; its secret is shown this once. "
    "No idempotency key: the secret is never stored, so a retry could not show it again. If an answer is lost, "
    "revoke that key (organization.apiKeys lists it by name and prefix) and create another."))
@user_errors(CreateApiKeyPayload)
async def create_api_key(info: Info, input: CreateApiKeyInput) -> CreateApiKeyPayload:
    if input.project_ids is not None and len(input.project_ids) > 500:
        raise invalid("项目列表 projectIds 最多 500 个。projectIds may name at most 500 projects.", "projectIds")
    project_ids = [from_global_id(g, "Project", "projectIds") for g in input.project_ids] if input.project_ids is not None else None
    p = info.context.require()
    cmd = CreateApiKey(
        name=input.name, access=input.access.value, project_ids=project_ids, expires_at=input.expires_at,
        permissions=[Permission(v.value) for v in input.permissions] if input.permissions is not None else None,
        created_by=p.id if p.kind == "user" else None,
    )
    key_id, key = await service.create_api_key(cmd, unit_of_work(info), hash_secret=info.context.platform.signer.hash_secret)
    # The whole key is answered here, once; only its hash was stored.
    return CreateApiKeyPayload(api_key=await api_key(info, key_id), secret=key.token)
